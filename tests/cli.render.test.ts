/**
 * `render` as a user runs it: a mistake in the data never replaces a good PDF, and --draft
 * renders anyway with the 草稿 watermark. Runs the built CLI (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'bin', 'budget-pdf.js');
const REFERENCE = join(process.cwd(), 'data', 'luolong-zwfwzx-2022.yaml');

function run(...args: string[]) {
  return runWith({}, ...args);
}

function runWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('render keeps earlier output safe', () => {
  let dir: string;
  let bad: string;
  let out: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-render-'));
    out = join(dir, 'unit.pdf');
    // One amount off by 0.01: a consistency error, not a syntax error.
    bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(REFERENCE, 'utf8').replace('wages: 183.12', 'wages: 183.13'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the PDF, then refuses bad data without touching it', () => {
    expect(run('render', REFERENCE, '-o', out).code).toBe(0);
    const good = readFileSync(out);
    expect(good.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const refused = run('render', bad, '-o', out);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/bad\.yaml:\d+:\d+ {2}sum\.income-expense {2}收支不平衡：收入总计 866\.01 与 支出总计 866\.02 不等，相差 0\.01/);
    expect(refused.out).toContain('未生成 PDF');
    expect(refused.out).not.toMatch(/\n\s+at /);
    expect(readFileSync(out).equals(good)).toBe(true);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });

  it('--draft renders despite the errors, with the watermark', () => {
    const draft = join(dir, 'draft.pdf');
    const r = run('render', bad, '-o', draft, '--draft');
    expect(r.code).toBe(0);
    expect(r.out).toContain('草稿');
    expect(readFileSync(draft).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('a PDF given as the data file: exit 2, saying it is a PDF (not asking to re-save it as UTF-8)', () => {
    const pdf = join(dir, 'given.pdf');
    writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x0a])]));
    const given = run('render', pdf, '-o', join(dir, 'again.pdf'));
    expect(given.code).toBe(2);
    expect(given.out).toContain(`${pdf} 是 PDF 文件，不是数据文件；render 和 check 要的是单位的 YAML 数据文件`);
    expect(given.out).not.toMatch(/UTF-8|另存为/);
    expect(existsSync(join(dir, 'again.pdf'))).toBe(false);
  });

  it('an unreadable data file exits 2 with a message and no stack trace', () => {
    const r = run('render', join(dir, 'missing.yaml'), '-o', join(dir, 'x.pdf'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('missing.yaml');
    expect(r.out).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });
});

describe('render refuses characters the fonts cannot draw', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the character, its code point, the font and its line and column in the data, and writes nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-glyph-'));
    const data = join(dir, 'tofu.yaml');
    // U+20000 (CJK Extension B) and an emoji are in no shipped face; both sit in the first duty (line 21).
    const text = readFileSync(REFERENCE, 'utf8');
    expect(text.split('\n')[20]).toMatch(/^ {4}- 贯彻执行/);
    writeFileSync(data, text.replace('- 贯彻执行', '- 贯𠀀彻😀执行'));
    const out = join(dir, 'tofu.pdf');
    const r = run('render', data, '-o', out);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/tofu\.yaml:21:8 {2}\S+ {2}.*「𠀀」（?\(?U\+20000/);
    expect(r.out).toMatch(/tofu\.yaml:21:10 {2}\S+ {2}.*「😀」（?\(?U\+1F600/);
    expect(r.out).toContain('NotoSerifSC-Regular.ttf');
    expect(existsSync(out)).toBe(false);
  });
});

describe('render refuses a SOURCE_DATE_EPOCH that is no date', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-epoch-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Past the year 9999 pdfkit threw (render.internal-error); `abc` was ignored but recorded in the manifest.
  it.each(['99999999999999', 'abc', '-1', '1.5'])('SOURCE_DATE_EPOCH=%s: exit 2 naming the variable and value, nothing written', (value) => {
    const out = join(dir, 'one', 'unit.pdf');
    const one = runWith({ SOURCE_DATE_EPOCH: value }, 'render', REFERENCE, '-o', out);
    expect(one.code).toBe(2);
    expect(one.out).toContain(`环境变量 SOURCE_DATE_EPOCH=“${value}” 无效`);
    expect(one.out).not.toMatch(/render\.internal-error|RangeError|\n\s+at /);
    const batch = runWith({ SOURCE_DATE_EPOCH: value }, 'render', join(process.cwd(), 'data'), '-o', join(dir, 'batch'));
    expect(batch.code).toBe(2);
    expect(batch.out).toContain(`SOURCE_DATE_EPOCH=“${value}” 无效`);
    expect(existsSync(join(dir, 'one'))).toBe(false);
    expect(existsSync(join(dir, 'batch'))).toBe(false);
  });

  it('takes the last second of 9999, and an empty value as unset', () => {
    expect(runWith({ SOURCE_DATE_EPOCH: '253402300799' }, 'render', REFERENCE, '-o', join(dir, 'last.pdf')).code).toBe(0);
    expect(runWith({ SOURCE_DATE_EPOCH: '' }, 'render', REFERENCE, '-o', join(dir, 'unset.pdf')).code).toBe(0);
  });
});

describe('render -o: what the path names is judged before rendering', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-out-'));
    writeFileSync(join(dir, 'notes.txt'), 'keep\n');
    mkdirSync(join(dir, 'dir.pdf'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a trailing slash means a folder, also after .pdf: x.pdf/ gets <name>.pdf, its .txt and manifest', () => {
    const r = run('render', REFERENCE, '-o', `${join(dir, 'x.pdf')}/`);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'x.pdf')).sort()).toEqual(['luolong-zwfwzx-2022.pdf', 'luolong-zwfwzx-2022.txt', 'manifest.json']);
    expect(readdirSync(dir).filter((name) => name.startsWith('x.'))).toEqual(['x.pdf']);
  });

  it.each([
    ['notes.txt', '-o {dir}/notes.txt 是已有的文件，不是文件夹；输出到一个 PDF 时，路径须以 .pdf 结尾'],
    ['notes.txt/u.pdf', '-o {dir}/notes.txt/u.pdf：{dir}/notes.txt 是已有的文件，不是文件夹'],
    ['dir.pdf', '-o {dir}/dir.pdf 是已有的文件夹，不能写成 PDF 文件；要生成到这个文件夹中，请写 -o {dir}/dir.pdf/'],
  ])('-o %s: exit 2 before rendering, naming what is in the way', (target, message) => {
    const r = run('render', REFERENCE, '-o', join(dir, target));
    expect(r.code).toBe(2);
    expect(r.out).toContain(message.replaceAll('{dir}', dir));
    expect(r.out).not.toMatch(/ENOTDIR|EISDIR|清单/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep\n');
    expect(readdirSync(join(dir, 'dir.pdf'))).toEqual([]);
  });

  it('an empty -o is a usage error, not the current directory', () => {
    const r = spawnSync(process.execPath, [CLI, 'render', REFERENCE, '-o', ''], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('-o 后的路径为空');
    expect(existsSync(join(dir, 'luolong-zwfwzx-2022.pdf'))).toBe(false);
  });
});
