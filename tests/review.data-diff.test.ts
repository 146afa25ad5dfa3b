/**
 * `budget-pdf diff OLD.yaml NEW.yaml`: two data files compared by what their publications
 * would show (tables by row and column, sentences by section), without rendering a PDF.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../src/budget/findings.js';
import { main } from '../src/cli.js';
import { colorEnabled } from '../src/commands/console-io.js';
import { loadBudget } from '../src/budget/load.js';
import { loadTemplateSet } from '../src/layout/template-set.js';
import { matchByKey } from '../src/review/data-diff.js';
import type { DiffChange, DiffReport } from '../src/review/diff-report.js';
import { runDiff } from '../src/review/run-diff.js';
import { columnLabels } from '../src/review/table-entries.js';
import { splitSentences } from '../src/review/text-entries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE_FILE = join(ROOT, 'data/luolong-zwfwzx-2022.yaml');
const REFERENCE = readFileSync(REFERENCE_FILE, 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'review-data-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The reference with `edits` applied; each `from` must occur in it, so a stale edit fails loudly. */
function edited(name: string, edits: Array<[string, string]>): string {
  let text = REFERENCE;
  for (const [from, to] of edits) {
    expect(text.includes(from), `edit target not found: ${from}`).toBe(true);
    text = text.replace(from, to);
  }
  return fixture(name, text);
}

/** 劳务派遣费 126.22 → 130.00, with the function line, economic line and income moved along so the file stays consistent. */
const LABOUR_130 = edited('labour-130.yaml', [
  ['    amount: 126.22\n    performance:\n      funding: { government: 126.22 }', '    amount: 130.00\n    performance:\n      funding: { government: 130.00 }'],
  ['project_operating: 620.78', 'project_operating: 624.56'],
  ['general_public: 866.01            # 一般公共预算\n  general_public_appropriation: 866.01', 'general_public: 869.79            # 一般公共预算\n  general_public_appropriation: 869.79'],
  ['name: 劳务费, gov_code: "50502", project: 196.87', 'name: 劳务费, gov_code: "50502", project: 200.65'],
]);

const text = (oldFile: string, newFile: string) => runDiff(oldFile, newFile, { format: 'text', color: false });

async function json(oldFile: string, newFile: string): Promise<DiffReport> {
  const result = await runDiff(oldFile, newFile, { format: 'json', color: false });
  expect(result.exitCode).toBeLessThan(2);
  return JSON.parse(result.stdout) as DiffReport;
}

const pathOf = (change: DiffChange) => (change.path ?? []).join(' › ');

describe('row order', () => {
  it('reports projects printed in another order, though every cell is the same', async () => {
    const lines = REFERENCE.split('\n');
    const first = lines.findIndex((l) => l.includes('"410311220000000013991"'));
    const second = lines.findIndex((l) => l.includes('"410311220000000013976"'));
    const third = lines.findIndex((l, i) => i > second && l.startsWith('  - code:'));
    const swapped = [...lines.slice(0, first), ...lines.slice(second, third), ...lines.slice(first, second), ...lines.slice(third)].join('\n');
    const file = fixture('swapped.yaml', swapped);
    const result = await text(REFERENCE_FILE, file);
    expect(result.exitCode).toBe(1);
    // Counted among the projects, as a reader counts them: the first and the second.
    expect(result.stdout).toMatch(/项目支出预算表 › (洛龙智慧政务 › 位置: 第 1 行 → 第 2 行|110联动办公费 › 位置: 第 2 行 → 第 1 行)/);
    expect(result.stdout).not.toContain('公开内容相同');
  });
});

describe('a changed project amount', () => {
  it('is reported as table › row › column: old → new in every table that shows it', async () => {
    expect(loadBudget(LABOUR_130).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const result = await text(REFERENCE_FILE, LABOUR_130);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines).toContain('项目支出预算表 › 劳务派遣费 › 合计: 126.22 → 130.00');
    expect(lines).toContain('项目支出预算表 › 劳务派遣费 › 本年拨款·一般公共预算: 126.22 → 130.00');
    expect(lines).toContain('项目支出预算表 › 合计 › 合计: 620.78 → 624.56');
    expect(lines).toContain('单位预算项目绩效目标表 › 劳务派遣费 › 资金总额: 126.22 → 130.00');
    expect(lines).toContain('单位支出预算表 › 2010350 事业运行 › 其他运转类: 620.78 → 624.56');
    expect(lines).toContain('支出经济分类汇总表 › 30226 劳务费 › 总计: 196.87 → 200.65');
    // The named figures of the two-sided tables.
    expect(lines).toContain('单位收支预算表 › 收入总计 › 收入·金额: 866.01 → 869.79');
    expect(lines).toContain('财政拨款收支预算表 › 一、本年收入·（一）一般公共预算拨款 › 金额: 866.01 → 869.79');
    // Rows that did not change are not listed.
    expect(result.stdout).not.toContain('› 洛龙智慧政务 ›');
  });

  it('shows the changed sentences of 第二部分 with their figures called out', async () => {
    const result = await text(REFERENCE_FILE, LABOUR_130);
    const section = result.stdout.split('\n\n').find((block) => block.startsWith('第二部分 › 一、收入支出预算总体情况说明\n'));
    expect(section).toBeDefined();
    // The words that changed are marked inside the line, as git's word diff marks them.
    expect(section).toContain('- 区政务服务中心2022年收入总计[-866.01-]万元，支出总计[-866.01-]万元');
    expect(section).toContain('+ 区政务服务中心2022年收入总计{+869.79+}万元，支出总计{+869.79+}万元');
    expect(section).toContain('数字变化：866.01 → 869.79（2 处）；104.04 → 107.82');
    // An unchanged sentence of a changed section stays out.
    expect(section).not.toContain('主要原因');
  });

  it('lists the tables and sections it touches, and only those', async () => {
    const report = await json(REFERENCE_FILE, LABOUR_130);
    const affected = report.affected!.map((a) => `${a.kind}:${a.name}`);
    expect(affected).toContain('table:项目支出预算表');
    expect(affected).toContain('table:单位预算项目绩效目标表');
    expect(affected).toContain('section:第二部分 › 一、收入支出预算总体情况说明');
    expect(affected).toContain('section:第二部分 › 二、收入预算总体情况说明');
    // 基本支出 and 三公 are untouched by a project.
    expect(affected).not.toContain('table:一般公共预算基本支出预算表');
    expect(affected).not.toContain('table:一般公共预算“三公”经费预算表');
    expect(affected.some((a) => a.startsWith('section:第一部分'))).toBe(false);
    const projects = report.affected!.find((a) => a.name === '项目支出预算表')!;
    expect(projects.changes).toBe(report.changes.filter((c) => c.path?.[0] === '项目支出预算表').length);
    expect((await text(REFERENCE_FILE, LABOUR_130)).stdout).toMatch(/影响：\n {2}单位收支预算表（\d+ 行有改动）\n/);
  });
});

describe('the JSON report', () => {
  it('has the documented shape', async () => {
    const report = await json(REFERENCE_FILE, LABOUR_130);
    expect(report).toMatchObject({
      schema: 'budget-pdf.diff/1',
      kind: 'data',
      old: { file: REFERENCE_FILE },
      new: { file: LABOUR_130 },
      same: false,
    });
    expect(report.old.pages).toBeUndefined();
    const { changed, added, removed, unchanged } = report.summary;
    expect(changed + added + removed).toBe(report.changes.length);
    expect(unchanged).toBeGreaterThan(0);
    for (const change of report.changes) {
      expect(change.path!.length).toBeGreaterThan(0);
      expect(change.oldPage).toBeUndefined();
    }
    const row = report.changes.find((c) => pathOf(c) === '项目支出预算表 › 劳务派遣费')!;
    expect(row).toEqual({
      status: 'changed',
      path: ['项目支出预算表', '劳务派遣费'],
      hunks: [
        {
          removed: [],
          added: [],
          figures: [
            { old: '126.22', new: '130.00', path: ['项目支出预算表', '劳务派遣费', '合计'] },
            { old: '126.22', new: '130.00', path: ['项目支出预算表', '劳务派遣费', '本年拨款·一般公共预算'] },
          ],
        },
      ],
    });
    const section = report.changes.find((c) => pathOf(c) === '第二部分 › 二、收入预算总体情况说明')!;
    expect(section.status).toBe('changed');
    expect(section.hunks[0]!.removed[0]).toEqual({ line: 1, text: '区政务服务中心2022年收入合计866.01万元，其中：一般公共预算866.01万元；' });
    expect(section.hunks[0]!.figures).toContainEqual({ old: '866.01', new: '869.79', oldLine: 1, newLine: 1 });
  });
});

describe('a unit renamed', () => {
  it('lists the new name of its rows once, with how many places change the same way', async () => {
    const renamed = fixture('renamed-unit.yaml', REFERENCE.replaceAll('name: 洛龙区政务服务中心', 'name: 洛龙区政务和大数据服务中心'));
    const result = await text(REFERENCE_FILE, renamed);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split('\n').filter((l) => l.includes('洛龙区政务服务中心 → 洛龙区政务和大数据服务中心'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/同样的改动共 \d+ 处/);
    // Each place is still in the JSON report.
    const report = await json(REFERENCE_FILE, renamed);
    const places = report.changes.flatMap((c) => c.hunks.flatMap((h) => h.figures)).filter((f) => f.new === '洛龙区政务和大数据服务中心');
    expect(places.length).toBe(Number(/共 (\d+) 处/.exec(lines[0]!)![1]));
  });
});

describe('identical and renamed', () => {
  it('exits 0 for two identical files, even when they differ in comments and layout', async () => {
    const reformatted = fixture('reformatted.yaml', REFERENCE.replace('# 一般公共预算\n', '# 一般公共预算（注释改动）\n').replace('year: 2022', 'year:    2022'));
    const result = await text(REFERENCE_FILE, reformatted);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('相同');
    const report = await json(REFERENCE_FILE, REFERENCE_FILE);
    expect(report.same).toBe(true);
    expect(report.changes).toEqual([]);
    expect(report.affected).toEqual([]);
  });

  it('reports a project renamed under the same 项目编码 as a name change', async () => {
    const renamed = edited('renamed.yaml', [['name: 劳务派遣费', 'name: 劳务外包费']]);
    const result = await text(REFERENCE_FILE, renamed);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toContain('项目支出预算表 › 劳务外包费 › 项目名称: 劳务派遣费 → 劳务外包费');
    expect(result.stdout).not.toContain('（新增）');
  });

  it('reports a project with a new 项目编码 as a row removed and a row added', async () => {
    const replaced = edited('replaced.yaml', [
      ['name: 劳务派遣费', 'name: 劳务外包费'],
      ['"410311220000000013973"', '"410311220000000099999"'],
    ]);
    const report = await json(REFERENCE_FILE, replaced);
    const projectChanges = report.changes.filter((c) => c.path?.[0] === '项目支出预算表');
    expect(projectChanges.map((c) => `${c.status} ${pathOf(c)}`)).toEqual([
      'removed 项目支出预算表 › 劳务派遣费',
      'added 项目支出预算表 › 劳务外包费',
    ]);
    expect(projectChanges[1]!.hunks[0]!.added[0]!.text).toBe(
      '类型: 其他运转类；项目名称: 劳务外包费；项目单位: 洛龙区政务服务中心；合计: 126.22；本年拨款·一般公共预算: 126.22',
    );
    expect(report.summary).toMatchObject({ added: 2, removed: 2 });
  });

  it('names a table of one row by table › column, and still compares a file with rule errors', async () => {
    // Only the 三公 figure moves, so the economic line no longer matches it: a rule error, not a load error.
    const vehicle = edited('vehicle.yaml', [['vehicle_operation: 1.50 ', 'vehicle_operation: 2.00 ']]);
    const result = await text(REFERENCE_FILE, vehicle);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toContain('一般公共预算“三公”经费预算表 › 公务用车运行费: 1.50 → 2.00');
    expect(result.stdout).toContain('第二部分 › 七、一般公共预算“三公”经费支出预算情况说明');
    expect(result.stderr).toContain(`注意：${vehicle} 有`);
  });

  it('compares performance indicators by name', async () => {
    const indicator = edited('indicator.yaml', [['[劳务派遣人员数量, 32人]', '[劳务派遣人员数量, 33人]']]);
    const result = await text(REFERENCE_FILE, indicator);
    expect(result.stdout.split('\n')).toContain('单位预算项目绩效目标表 › 劳务派遣费 › 产出指标·劳务派遣人员数量: 32人 → 33人');
  });
});

describe('inputs that cannot be compared', () => {
  it('exits 2 for a data file that does not parse, naming the file and the finding', async () => {
    const broken = fixture('broken.yaml', REFERENCE.replace('year: 2022', 'year: [2022'));
    const result = await text(REFERENCE_FILE, broken);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`无法比较 ${broken}：文件无法读取或解析`);
    expect(result.stderr).toContain('yaml.syntax');
  });

  it('exits 2 for a data file whose errors stop it loading, with file:line of each', async () => {
    const bad = edited('bad-amount.yaml', [['    amount: 126.22\n', '    amount: abc\n']]);
    const result = await text(bad, REFERENCE_FILE);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`无法比较 ${bad}：数据有 1 个错误，无法载入`);
    expect(result.stderr).toMatch(new RegExp(`${bad.replace(/[.\\]/g, '\\$&')}:\\d+:\\d+ {2}schema\\.amount`));
  });

  it('exits 2 for a missing file, a PDF beside a data file, and a file of no known kind', async () => {
    const missing = await text(REFERENCE_FILE, join(dir, 'nope.yaml'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('找不到文件');

    const pdf = fixture('x.pdf', Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'));
    const mixed = await text(pdf, REFERENCE_FILE);
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr).toContain(`不能比较 PDF 与数据文件：${pdf} 是 PDF，${REFERENCE_FILE} 是数据文件`);

    const notes = fixture('notes.txt', '预算说明\n');
    const unknown = await text(REFERENCE_FILE, notes);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain(`${notes} 既不是 PDF`);
  });

  it('with --format json puts the errors on stdout as JSON too, each finding naming its file and line', async () => {
    const bad = edited('bad-amount-json.yaml', [['    amount: 126.22\n', '    amount: abc\n']]);
    const result = await runDiff(bad, REFERENCE_FILE, { format: 'json', color: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`无法比较 ${bad}：数据有 1 个错误，无法载入`);
    const json = JSON.parse(result.stdout) as { schema: string; exitCode: number; findings: (Finding & { file?: string })[] };
    expect(json).toMatchObject({ schema: 'budget-pdf.diff/1', exitCode: 2 });
    expect(json.findings.map((f) => [f.rule, f.file])).toEqual([
      ['review.unloadable-data', bad],
      ['schema.amount', bad],
    ]);
    expect(json.findings[1]!.loc).toMatchObject({ file: bad, line: expect.any(Number) });

    const pdf = fixture('y.pdf', Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'));
    const mixed = JSON.parse((await runDiff(pdf, REFERENCE_FILE, { format: 'json', color: false })).stdout) as typeof json;
    expect(mixed.findings.map((f) => f.rule)).toEqual(['review.mixed-inputs']);
    const missing = JSON.parse((await runDiff(REFERENCE_FILE, join(dir, 'nope.yaml'), { format: 'json', color: false })).stdout) as typeof json;
    expect(missing.findings.map((f) => [f.rule, f.file])).toEqual([['review.missing-file', join(dir, 'nope.yaml')]]);
  });
});

describe('the CLI', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  /** stdout of `budget-pdf diff …` run in this process (stdout is not a terminal here). */
  async function diffOutput(...args: string[]): Promise<string> {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await main(['diff', ...args]);
    vi.mocked(process.stdout.write).mockRestore();
    return written.join('');
  }

  it('colours only on a terminal, or when FORCE_COLOR asks; NO_COLOR (any value) turns it off', async () => {
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('NO_COLOR', undefined);
    const plain = await diffOutput(REFERENCE_FILE, LABOUR_130);
    expect(plain).toContain('项目支出预算表 › 劳务派遣费');
    expect(plain).not.toContain('\u001b[');
    vi.stubEnv('FORCE_COLOR', '1');
    expect(await diffOutput(REFERENCE_FILE, LABOUR_130)).toContain('\u001b[33m项目支出预算表 › 劳务派遣费');
    // JSON is never coloured.
    expect(await diffOutput(REFERENCE_FILE, LABOUR_130, '--format', 'json')).not.toContain('\u001b[');

    const tty = { write: () => true, isTTY: true };
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(tty, { NO_COLOR: '' })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    const pipe = { write: () => true, isTTY: false };
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '3', NO_COLOR: '1' })).toBe(true);
  });

  it('runs the data diff for two .yaml files', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const code = await main(['diff', REFERENCE_FILE, LABOUR_130, '--format', 'json']);
    expect(code).toBe(1);
    expect((JSON.parse(written.join('')) as DiffReport).kind).toBe('data');
  });
});

describe('building blocks', () => {
  it('labels columns by leaf header, joined with its group where that tells columns apart', () => {
    const layout = loadTemplateSet('luoyang-2022').tables.get('02-income')!;
    const labels = columnLabels(layout.header, layout.columns.length, {});
    expect(labels.slice(0, 6)).toEqual(['部门(单位)代码', '部门(单位)名称', '总计', '本年收入·合计', '一般公共预算·小计', '一般公共预算·其中：财政拨款']);
    expect(labels).toContain('上年结转结余·合计');
    expect(labels).toContain('上年结转结余·一般公共预算');
    expect(labels).toContain('事业收入');
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('splits sentences after 。！？； and keeps a closing quote with its sentence', () => {
    expect(splitSentences('收入866.01万元；支出866.01万元。称“三公”经费。”无变化')).toEqual(['收入866.01万元；', '支出866.01万元。', '称“三公”经费。”', '无变化']);
  });

  it('matches by key and puts a removed item where it stood, before what replaced it', () => {
    const pairs = matchByKey(['a', 'b', 'c'], ['a', 'x', 'c', 'd'], (s) => s);
    expect(pairs).toEqual([['a', 'a'], ['b', undefined], [undefined, 'x'], ['c', 'c'], [undefined, 'd']]);
  });
});

describe('settings that change every figure at once', () => {
  it('lists a changed amount unit first, before the tables it changes', async () => {
    const inYuan = edited('in-yuan.yaml', [['amount_unit: 万元', 'amount_unit: 元']]);
    const report = await json(REFERENCE_FILE, inYuan);
    const first = report.changes[0]!;
    expect(pathOf(first)).toBe('设置');
    expect(first.hunks.flatMap((h) => h.removed.map((l) => l.text))).toEqual(['金额单位：万元']);
    expect(first.hunks.flatMap((h) => h.added.map((l) => l.text))).toEqual(['金额单位：元']);
    const same = await json(REFERENCE_FILE, REFERENCE_FILE);
    expect(same.changes.map(pathOf)).not.toContain('设置');
  });
});
