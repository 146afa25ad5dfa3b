import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiffReport } from '../src/review/diff-report.js';
import { runPdfDiff } from '../src/review/diff-command.js';
import { ReviewInputError } from '../src/review/errors.js';
import { figureChanges, pairFigureChanges } from '../src/review/line-diff.js';
import { diffPdfPages, maskPageNumbers } from '../src/review/pdf-diff.js';
import { extractPageTexts, normalizePageText } from '../src/review/pdf-text.js';

// pdfmake ships no type declarations; the test only needs this much of its server API.
interface PdfMakeServer {
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  createPdf(doc: object): { getBuffer(): Promise<Buffer> };
}
const pdfmake = createRequire(import.meta.url)('pdfmake') as PdfMakeServer;

const FONT = fileURLToPath(new URL('../fonts/NotoSerifSC-Regular.ttf', import.meta.url));

const PAGE_1 = ['第一部分 单位概况', '本单位2022年一般公共预算支出866.01万元，比上年增长14%。', '主要用于政务服务大厅运行。'];
const PAGE_2 = ['第二部分 机构设置', '本预算包括综合办公室、政务服务发展股、信用资源股的预算。'];
const PAGE_3 = ['第三部分 名词解释', '财政拨款收入：指区级财政当年拨付的资金。', '合计 866.01'];
const INSERTED = ['附：新增说明', '本页为新增内容，说明110联动办公费的用途。'];

/** A document with one page per list of paragraphs, a running footer and fixed metadata. */
function document(pages: string[][], info: { title: string; creationDate: Date }) {
  return {
    info,
    defaultStyle: { font: 'Serif', fontSize: 12 },
    footer: (page: number, total: number) => ({ text: `- ${page} -    第 ${page} 页 共 ${total} 页`, alignment: 'center' }),
    // pdfmake rewrites the arrays it is given, so it gets copies.
    content: pages.map((paragraphs, k) => ({ stack: [...paragraphs], ...(k > 0 ? { pageBreak: 'before' } : {}) })),
  };
}

const INFO = { title: '预算说明', creationDate: new Date('2022-01-01T00:00:00Z') };

let dir: string;
const files: Record<string, string> = {};

async function render(name: string, pages: string[][], info = INFO): Promise<void> {
  const bytes = await pdfmake.createPdf(document(pages, info)).getBuffer();
  files[name] = join(dir, `${name}.pdf`);
  await writeFile(files[name], bytes);
}

beforeAll(async () => {
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => path === FONT);
  pdfmake.setFonts({ Serif: { normal: FONT, bold: FONT, italics: FONT, bolditalics: FONT } });
  dir = await mkdtemp(join(tmpdir(), 'review-pdf-diff-'));
  const changedPage2 = [PAGE_2[0], PAGE_2[1].replace('综合办公室', '综合办事室')];
  const changedAmount = [PAGE_1[0], PAGE_1[1].replace('866.01', '870.00'), PAGE_1[2]];
  await Promise.all([
    render('base', [PAGE_1, PAGE_2, PAGE_3]),
    render('again', [PAGE_1, PAGE_2, PAGE_3]),
    render('metadata', [PAGE_1, PAGE_2, PAGE_3], { title: '另一个标题', creationDate: new Date('2023-06-30T12:00:00Z') }),
    render('one-char', [PAGE_1, changedPage2, PAGE_3]),
    render('amount', [changedAmount, PAGE_2, PAGE_3]),
    render('inserted', [PAGE_1, INSERTED, PAGE_2, PAGE_3]),
  ]);
  files.text = join(dir, 'x.pdf');
  await writeFile(files.text, '这不是 PDF，只是一段文字。\n');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const diff = (a: string, b: string, format: 'text' | 'json' = 'text') =>
  runPdfDiff(files[a] ?? a, files[b] ?? b, { format, color: false });

async function jsonReport(a: string, b: string): Promise<DiffReport> {
  return JSON.parse((await diff(a, b, 'json')).stdout) as DiffReport;
}

describe('extractPageTexts', () => {
  it('reads the text of every page with its line structure', async () => {
    const pages = await extractPageTexts(await readFile(files.base), 'base.pdf');
    expect(pages).toHaveLength(3);
    expect(pages[0].split('\n').slice(0, 3)).toEqual(PAGE_1);
    expect(pages[1]).toContain('综合办公室');
    expect(pages[2]).toContain('- 3 -');
  });

  it('rejects bytes that are not a PDF with a message naming the file', async () => {
    const error = await extractPageTexts(Buffer.from('hello'), 'notes.pdf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewInputError);
    expect((error as ReviewInputError).rule).toBe('review.not-pdf');
    expect((error as ReviewInputError).message).toMatch(/notes\.pdf 不是 PDF 文件.*notes\.pdf is not a PDF file/);
  });

  it('rejects a damaged PDF', async () => {
    const bytes = await readFile(files.base);
    const error = await extractPageTexts(bytes.subarray(0, bytes.length / 3), 'cut.pdf').catch((e: unknown) => e);
    expect((error as ReviewInputError).rule).toBe('review.damaged-pdf');
    expect((error as ReviewInputError).message).toContain('cut.pdf 已损坏');
  });

  it('normalises whitespace and blank lines but keeps lines', () => {
    expect(normalizePageText('\n 项目\t 金额  \r\n\n\n\n合计\u00a0 866.01 \n\n')).toBe('项目 金额\n\n合计 866.01');
  });
});

describe('runPdfDiff on rendered PDFs', () => {
  it('gives exit 0 for two renders of the same text', async () => {
    const result = await diff('base', 'again');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('文字相同，共 3 页');
  });

  it('ignores metadata (title, creation date)', async () => {
    const result = await diff('base', 'metadata');
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it('reports a one-character change on page 2 only', async () => {
    const result = await diff('base', 'one-char');
    expect(result.exitCode).toBe(1);
    const report = await jsonReport('base', 'one-char');
    expect((report as DiffReport & { exitCode: number }).exitCode).toBe(1); // as the command exits
    expect(((await jsonReport('base', 'again')) as DiffReport & { exitCode: number }).exitCode).toBe(0);
    expect(report.summary).toEqual({ changed: 1, added: 0, removed: 0, unchanged: 2 });
    expect(report.changes).toEqual([
      {
        status: 'changed',
        oldPage: 2,
        newPage: 2,
        // What the page holds: its heading.
        section: '第二部分机构设置',
        hunks: [
          {
            removed: [{ line: 2, text: PAGE_2[1] }],
            added: [{ line: 2, text: PAGE_2[1].replace('综合办公室', '综合办事室') }],
            figures: [],
          },
        ],
      },
    ]);
    expect(result.stdout).toContain('\n第 2 页 · 第二部分机构设置\n- 本预算包括综合办[-公-]室');
    expect(result.stdout).toContain('\n+ 本预算包括综合办{+事+}室');
    expect(result.stdout).not.toContain('第 1 页');
    expect(result.stdout).not.toContain('第 3 页');
  });

  it('calls out a changed amount', async () => {
    const result = await diff('base', 'amount');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('数字变化：866.01 → 870.00');
    const report = await jsonReport('base', 'amount');
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0].hunks[0].figures).toEqual([{ old: '866.01', new: '870.00', oldLine: 2, newLine: 2 }]);
  });

  it('shows an inserted page as one added page and later pages unchanged', async () => {
    const report = await jsonReport('base', 'inserted');
    expect(report.same).toBe(false);
    expect(report.old.pages).toBe(3);
    expect(report.new.pages).toBe(4);
    expect(report.summary).toEqual({ changed: 0, added: 1, removed: 0, unchanged: 3 });
    expect(report.changes[0]).toMatchObject({ status: 'added', newPage: 2 });
    expect(report.changes[0].hunks[0].added.map((l) => l.text)).toEqual(expect.arrayContaining(INSERTED));

    const text = (await diff('base', 'inserted')).stdout;
    expect(text).toContain('第 2 页（新增页） · 第一部分单位概况\n+ 附：新增说明');
    expect(text).toContain('有差异：0 页改动，1 页新增，0 页删除，3 页相同。');
  });

  it('shows a removed page the other way round', async () => {
    const report = await jsonReport('inserted', 'base');
    expect(report.summary).toEqual({ changed: 0, added: 0, removed: 1, unchanged: 3 });
    expect(report.changes[0]).toMatchObject({ status: 'removed', oldPage: 2 });
  });

  it('gives exit 2 and a clear message for a text file named x.pdf', async () => {
    const result = await diff('base', 'text');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[review.not-pdf]');
    expect(result.stderr).toContain(`${files.text} 不是 PDF 文件`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives exit 2 for a missing file and names both bad inputs', async () => {
    const missing = join(dir, 'missing.pdf');
    const result = await runPdfDiff(missing, files.text, { format: 'json', color: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`找不到文件 ${missing}`);
    expect(result.stderr).toContain('[review.not-pdf]');
    // In JSON mode a tool gets the same errors on stdout, one object it can parse.
    const json = JSON.parse(result.stdout) as { schema: string; exitCode: number; findings: { rule: string; severity: string; file: string; message: string }[] };
    expect(json.schema).toBe('budget-pdf.diff/1');
    expect(json.exitCode).toBe(2);
    expect(json.findings.map((f) => [f.rule, f.severity, f.file])).toEqual([
      ['review.missing-file', 'error', missing],
      ['review.not-pdf', 'error', files.text],
    ]);
    expect(json.findings[0]!.message).toContain(`找不到文件 ${missing}`);
  });

  it('colours the text only when asked', async () => {
    const plain = await diff('base', 'amount');
    const coloured = await runPdfDiff(files.base, files.amount, { format: 'text', color: true });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(coloured.stdout).toContain('\u001b[31m- ');
    expect(coloured.stdout).toContain('\u001b[32m+ ');
    // Changed words in reverse video there, not in [- -] / {+ +}.
    expect(coloured.stdout).toContain('\u001b[7m');
    expect(coloured.stdout).not.toContain('{+');
    expect(plain.stdout).toContain('{+');
  });
});

describe('diffPdfPages', () => {
  const page = (n: number, body: string) => `${body}\n- ${n} -`;

  it('aligns pages by similarity so a page removed in the middle changes nothing else', () => {
    const bodies = ['甲页内容，预算总额100.00万元', '乙页内容，人员经费20.00万元', '丙页内容，公用经费30.00万元', '丁页内容，项目支出50.00万元'];
    const oldPages = bodies.map((b, k) => page(k + 1, b));
    const newPages = [bodies[0], bodies[2], bodies[3].replace('50.00', '55.00')].map((b, k) => page(k + 1, b));
    const result = diffPdfPages(oldPages, newPages);
    expect(result.unchangedPages).toBe(2);
    expect(result.changes.map((c) => [c.status, c.oldPage, c.newPage])).toEqual([
      ['removed', 2, undefined],
      ['changed', 4, 3],
    ]);
    expect(result.changes[1].hunks[0].figures).toEqual([{ old: '50.00', new: '55.00', oldLine: 1, newLine: 1 }]);
  });

  it('treats a rewritten page between unchanged ones as changed, not removed and added', () => {
    const result = diffPdfPages(['一', '二二二二', '三'], ['一', '完全不同的文字', '三']);
    expect(result.changes.map((c) => c.status)).toEqual(['changed']);
  });

  it('sets aside lines that only moved over a page break, and shows what was edited', () => {
    const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}第${k + 1}行的文字`);
    const [a, b, c] = [lines('甲段', 6), lines('乙段', 6), lines('丙段', 6)];
    // One line added to page 1 pushes its last line to page 2, and page 2's last to page 3.
    const oldPages = [[...a, b[0]], [...b.slice(1), c[0]], c.slice(1)].map((p) => p.join('\n'));
    const newPages = [[...a.slice(0, 3), '新加的一行', ...a.slice(3)], [b[0], ...b.slice(1, 5)], [b[5], c[0], ...c.slice(1)]].map((p) => p.join('\n'));
    const result = diffPdfPages(oldPages, newPages);
    const shown = result.changes.flatMap((ch) => ch.hunks.flatMap((h) => [...h.removed.map((l) => `-${l.text}`), ...h.added.map((l) => `+${l.text}`)]));
    expect(shown).toEqual(['+新加的一行']);
    // 乙段第1行 moved from page 1 to 2; 乙段第6行 and 丙段第1行 from page 2 to 3.
    expect(result.changes.map((ch) => [ch.newPage, ch.moved ?? 0])).toEqual([[1, 1], [2, 3], [3, 2]]);
  });

  it('masks page numbers only in running headers and footers', () => {
    expect(maskPageNumbers('- 12 -')).toBe(maskPageNumbers('- 13 -'));
    expect(maskPageNumbers('第 3 页 共 20 页')).toBe(maskPageNumbers('第 4 页 共 21 页'));
    expect(maskPageNumbers('合计 866.01')).toBe('合计 866.01');
    // "12" in the body is content, not a page number.
    const body = diffPdfPages(['标题\n正文\n12\n其他\n更多\n- 1 -'], ['标题\n正文\n13\n其他\n更多\n- 1 -']);
    expect(body.changes).toHaveLength(1);
  });
});

describe('figureChanges', () => {
  it('pairs figures that replace each other and ignores unchanged ones', () => {
    expect(figureChanges('2022年支出866.01万元，增长14%', '2022年支出870.00万元，增长15%')).toEqual([
      { old: '866.01', new: '870.00' },
      { old: '14%', new: '15%' },
    ]);
    expect(figureChanges('合计 1,234.50', '合计 1,300.00')).toEqual([{ old: '1,234.50', new: '1,300.00' }]);
  });

  it('does not invent a change for a figure that is only added', () => {
    expect(figureChanges('支出万元', '支出12.5万元')).toEqual([]);
  });

  it('finds the figures of a paragraph that wraps differently, with the lines they are on', () => {
    // The reason's words changed too, and 104.04 moved to the next line.
    const removed = [
      { line: 19, text: '与2021年相比，一般公共预算收支预算增加104.04' },
      { line: 20, text: '万元，增长14%，主要原因：建设区级电子监察平台及扩容政务服务实体' },
    ];
    const added = [
      { line: 19, text: '与2021年相比，一般公共预算收支预算增加' },
      { line: 20, text: '112.17万元，增长15%，主要原因：新增政务数据共享平台运维及劳务派遣' },
    ];
    expect(pairFigureChanges(removed, added)).toEqual([
      { old: '104.04', new: '112.17', oldLine: 19, newLine: 20 },
      { old: '14%', new: '15%', oldLine: 20, newLine: 20 },
    ]);
  });
});

describe('what a changed page holds', () => {
  it('is the heading above the first changed line, the 目录 by its title, not by its first entry', () => {
    const toc = (n: number) => `目 录\n第一部分 洛龙区政务服务中心概况 ......... 3\n第二部分 预算情况说明 ......... ${n}\n- 1 -`;
    const text = (reason: string) => `六、一般公共预算基本支出预算情况说明\n基本支出245.23万元。\n七、“三公”经费支出预算情况说明\n主要原因：${reason}。\n- 5 -`;
    const { changes } = diffPdfPages([toc(5), text('车辆使用年限增加')], [toc(6), text('车辆使用年限增加，维修费用增加')]);
    expect(changes.map((c) => c.section)).toEqual(['目录', '七、“三公”经费支出预算情况说明']);
  });
});

describe('a table row whose amounts are on a line of their own', () => {
  it('names the row beside its changed figures, by the row’s first line, not a wrapped cell’s tail', () => {
    const page = (amount: string) => ['2022年项目支出预算表', '其他运转类 洛龙智慧政务 洛龙区政务', '服务中心', `${amount} ${amount}`, '- 18 -'].join('\n');
    const { changes } = diffPdfPages([page('47.72')], [page('50.72')]);
    const [hunk] = changes[0]!.hunks;
    expect(hunk!.removed).toEqual([{ line: 4, text: '47.72 47.72', context: '其他运转类 洛龙智慧政务 洛龙区政务' }]);
    expect(hunk!.added[0]!.context).toBe('其他运转类 洛龙智慧政务 洛龙区政务');
  });
});

describe('rows in another order on one page', () => {
  it('are counted as changed places, not listed as removed and added', () => {
    const page = (rows: string[]) => ['2022年项目支出预算表', ...rows, '- 18 -'].join('\n');
    const a = '其他运转类 洛龙智慧政务 47.72';
    const b = '其他运转类 110联动办公费 5.00';
    const { changes } = diffPdfPages([page([a, b, '合计 52.72'])], [page([b, a, '合计 52.72'])]);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.reordered).toBe(1);
    expect(changes[0]!.hunks).toEqual([]);
  });
});
