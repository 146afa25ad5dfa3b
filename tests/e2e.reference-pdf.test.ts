/**
 * The reference publication, rendered in-process from data/ and read back with pdf-parse,
 * against the text of the real 2022 publication (/work/shared/reference). Figures, codes,
 * sentences and titles are taken from the reference text itself, so the test checks the
 * output against the original, not against itself. Text is compared with white space
 * removed, because the reference extraction inserted spaces and lost table columns.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creationDate, renderDocument, type RenderedDocument } from '../src/render/render-document.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA_FILE = `${ROOT}data/luolong-zwfwzx-2022.yaml`;
// The text of the real 2022 publication (shared/reference), kept with the tests so a fresh clone can run them.
const REFERENCE_FILE = fileURLToPath(new URL('./fixtures/reference-2022.txt', import.meta.url));
const PACKAGE_VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;

/** The page count of the reference rendering today; a change must be looked at, not absorbed. */
const EXPECTED_PAGE_COUNT = 23;
/** Tables too wide for a portrait page at a legible size (issue 3, item 5). */
const LANDSCAPE_TABLES = ['单位收入预算表', '支出经济分类汇总表', '单位预算项目绩效目标表'];
/** A fixed SOURCE_DATE_EPOCH (2022-03-01T00:00:00Z): the reference data has no publication date. */
const SOURCE_DATE_EPOCH = '1646092800';
const CLOSING_PUNCTUATION = '，。、；：）》」”！？';
const startsWithClosing = (line: string): boolean => line !== '' && CLOSING_PUNCTUATION.includes(line[0]!);
const A4 = { short: 595.28, long: 841.89 };

/**
 * Where the output deliberately differs from the reference text (after white space is
 * removed). Each is applied to the reference before comparing.
 */
const INTENDED_FIXES: ReadonlyArray<{ from: string; to: string; why: string }> = [
  { from: '一般公共预算817.58万元', to: '一般公共预算866.01万元', why: 'narrative slip: every table gives 866.01 (DESIGN.md)' },
  { from: '110联动办经费', to: '110联动办公费', why: 'one project under two names; the data holds it once, as in 项目支出预算表' },
  { from: '数据资源管理、等基基础设施', to: '数据资源管理、等基础设施', why: '基 repeated across a page break of the original' },
  { from: '7、负责全区信用体系', to: '7.负责全区信用体系', why: 'duties are one list, numbered 1. … 9. by the template' },
  { from: '8、负责中心突发公共事件', to: '8.负责中心突发公共事件', why: 'the same list numbering' },
  { from: '洛龙区政务服务中心(本级)', to: '洛龙区政务服务中心（本级）', why: 'the unit is written one way, with full-width brackets' },
  { from: '顺利开展,支付及时率', to: '顺利开展，支付及时率', why: 'full-width comma in Chinese text' },
  { from: '服务质量,优化营商环境', to: '服务质量，优化营商环境', why: 'full-width comma in Chinese text' },
];

/**
 * Table cells of the reference that the output does not have, by table title. The
 * 政务大厅标准化配置 project shows a third 满意度 value 100% with no indicator name; the data
 * keeps only the indicators that have a name.
 */
const CELLS_NOT_IN_OUTPUT: Record<string, string[]> = {
  '2022年单位预算项目绩效目标表': ['100%'],
};

/** Tables whose total row the reference prints without the word 合计 (the first row of figures). */
const UNLABELLED_TOTALS = ['2022年项目支出预算表', '2022年单位预算项目绩效目标表'];

const strip = (text: string): string => text.replace(/\s+/g, '');
const AMOUNT = /^\d+\.\d{2}$/;
/** Codes are digit strings; the reference splits the 21-digit project codes with spaces. */
const CODE = /^\d+$/;
const PROJECT_CODE = /^\d{21}$/;

function applyFixes(text: string): string {
  return INTENDED_FIXES.reduce((out, fix) => out.split(fix.from).join(fix.to), text);
}

// ---------------------------------------------------------------- the reference text

interface ReferenceTable {
  title: string;
  /** Lines outside the grid: title, 单位名称, 单位：万元, 注, 说明 (white space removed). */
  lines: string[];
  /** Grid rows: cells split at tabs, white space removed, intended fixes applied. */
  rows: string[][];
}

interface Reference {
  title: string;
  /** The unit as its tables name it: 洛龙区政务服务中心（本级）. */
  unit: string;
  tocEntries: string[];
  /** Parts one to three, white space removed and fixes applied, as one string. */
  narrative: string;
  /** Lines of parts one to three (white space removed), to find section headings. */
  narrativeLines: string[];
  tables: ReferenceTable[];
}

function readReference(): Reference {
  const lines = readFileSync(REFERENCE_FILE, 'utf8').split('\n');
  const nonEmpty = lines.map((line) => line.trim()).filter(Boolean);
  const tocStart = nonEmpty.findIndex((line) => strip(line) === '目录');
  const bodyStart = nonEmpty.findIndex((line, i) => i > tocStart && line === '第一部分');
  const attachmentsStart = nonEmpty.findIndex((line, i) => i > bodyStart && strip(line).startsWith('附件：'));
  const tocEntries = nonEmpty.slice(tocStart + 1, bodyStart).map((line) => strip(line.replace(/^-\s*/, '')));
  const narrativeLines = nonEmpty.slice(bodyStart, attachmentsStart).map(strip);

  const tables: ReferenceTable[] = [];
  const tableLines = lines.slice(lines.findIndex((line) => line.trim() === nonEmpty[attachmentsStart]) + 1);
  for (const line of tableLines) {
    if (line.trim() === '') continue;
    if (/^\d{4}年.+表$/.test(strip(line))) {
      tables.push({ title: strip(line), lines: [strip(line)], rows: [] });
    } else if (line.includes('\t')) {
      tables.at(-1)!.rows.push(line.split('\t').map((cell) => applyFixes(strip(cell))));
    } else {
      tables.at(-1)!.lines.push(applyFixes(strip(line)));
    }
  }
  const unitLine = tables.flatMap((table) => table.lines).find((line) => line.startsWith('单位名称：'))!;
  return { title: strip(nonEmpty[0]!), unit: unitLine.slice('单位名称：'.length), tocEntries, narrative: applyFixes(narrativeLines.join('')), narrativeLines, tables };
}

/** Rows from the first one with an amount: the header rows are not compared cell by cell. */
function bodyRows(rows: string[][]): string[][] {
  const first = rows.findIndex((row) => row.some((cell) => AMOUNT.test(cell)));
  return first < 0 ? [] : rows.slice(first);
}

// ---------------------------------------------------------------- the PDF read back

interface PdfReadBack {
  /** Text of each page as pdf-parse gives it (lines kept). */
  pages: string[];
  /** Table cells found on each page: rows of cells, each cell's lines joined by \n. */
  tables: string[][][];
  sizes: Array<{ width: number; height: number }>;
  info: Record<string, unknown>;
  outline: OutlineItem[];
}

interface OutlineItem {
  title: string;
  dest: unknown;
  items?: OutlineItem[];
}

async function readBack(pdf: Buffer, withTables: boolean): Promise<PdfReadBack> {
  // pdf.js detaches the buffer it is given: give it a copy.
  const parser = new PDFParse({ data: new Uint8Array(pdf), verbosity: VerbosityLevel.ERRORS });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo({ parsePageInfo: true });
    const tables = withTables ? (await parser.getTable()).pages.map((page) => page.tables.flat()) : [];
    return {
      pages: text.pages.map((page) => page.text),
      tables,
      sizes: info.pages.map((page) => ({ width: page.width, height: page.height })),
      info: info.info as Record<string, unknown>,
      outline: (info.outline ?? []) as OutlineItem[],
    };
  } finally {
    await parser.destroy();
  }
}

/**
 * The values in one table cell read back. Grid detection can merge neighbouring cells
 * whose rule is missing ("866.01 866.01"), so pieces on one line are separate values;
 * lines of one cell belong together (a wrapped name or a project code over three lines).
 */
function cellValues(cell: string): string[] {
  return cell.split(/[ \t\u00a0]+/).map(strip).filter(Boolean);
}

function countOf(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Values of `expected` that `actual` has fewer times, with how many are missing. */
function missingFrom(actual: Iterable<string>, expected: Iterable<string>): Record<string, number> {
  const have = countOf(actual);
  const missing: Record<string, number> = {};
  for (const [value, n] of countOf(expected)) if ((have.get(value) ?? 0) < n) missing[value] = n - (have.get(value) ?? 0);
  return missing;
}

/** The page footer `— N —`, which sits between the halves of a sentence split by a page break. */
const FOOTER = /—\s*(\d+)\s*—\s*$/;

/** The dictionaries of a PDF's objects by number (pdfkit writes no object streams). */
function pdfObjects(pdf: Buffer): Map<number, string> {
  const objects = new Map<number, string>();
  for (const m of pdf.toString('latin1').matchAll(/(?:^|\n)(\d+) 0 obj\s*([\s\S]*?)(?=\nendobj|\nstream)/g)) objects.set(Number(m[1]), m[2]!);
  return objects;
}

/** The object that `dict` refers to under `key` (`/key N 0 R`). */
function referenced(objects: Map<number, string>, dict: string, key: string): string | undefined {
  const m = dict.match(new RegExp(`/${key} (\\d+) 0 R`));
  return m ? objects.get(Number(m[1])) : undefined;
}

interface TocEntry {
  /** The 目录 wording, white space removed. */
  text: string;
  level: 0 | 1;
  /** The page number the 目录 gives. */
  page: number;
  /** The text that marks the entry's place in the body: heading or table title. */
  heading: string;
}

/** The 目录 as printed on page 1, each entry with the heading it stands for in the reference. */
function readToc(page: string): TocEntry[] {
  const lines = page.split('\n').map((line) => line.trim()).filter(Boolean);
  let table = 0;
  let part = '';
  return lines
    .slice(lines.findIndex((line) => strip(line) === '目录') + 1)
    .filter((line) => !FOOTER.test(line))
    .map((line) => {
      const m = line.match(/^(.*\S)\s+(\d+)$/);
      const text = strip(m?.[1] ?? line);
      const page = Number(m?.[2]);
      if (/^第.部分/.test(text) || text.startsWith('附件：')) {
        part = text;
        return { text, level: 0, page, heading: text };
      }
      if (part.startsWith('附件：')) return { text, level: 1, page, heading: reference.tables[table++]?.title ?? '' };
      // A section's 目录 wording is short (一、主要职责); its heading in the body is the reference line with that number.
      const numeral = text.slice(0, text.indexOf('、') + 1);
      const body = reference.narrativeLines;
      const partAt = body.findIndex((line, i) => line + (body[i + 1] ?? '') === part);
      return { text, level: 1, page, heading: body.find((line, i) => i > partAt && line.startsWith(numeral)) ?? '' };
    });
}

// ---------------------------------------------------------------- the render, once

const reference = readReference();
let rendered: RenderedDocument;
let pdf: Buffer;
let again: Buffer;
let draft: Buffer;
let out: PdfReadBack;
let draftOut: PdfReadBack;
/** 1-based page of each reference table's title, in reference order. */
let titlePages: number[];
let attachmentsPage: number;
const savedEpoch = process.env.SOURCE_DATE_EPOCH;

/** 1-based pages that belong to reference table `i`: from its title to the next title. */
function pagesOfTable(i: number): number[] {
  const last = i + 1 < titlePages.length ? titlePages[i + 1]! - 1 : out.pages.length;
  return Array.from({ length: last - titlePages[i]! + 1 }, (_, k) => titlePages[i]! + k);
}

function cellsOfTable(i: number): string[][] {
  return pagesOfTable(i).flatMap((page) => out.tables[page - 1] ?? []);
}

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = SOURCE_DATE_EPOCH;
  rendered = await renderDocument(DATA_FILE);
  expect(rendered.findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(rendered.status).toBe(0);
  pdf = rendered.pdf!;
  again = (await renderDocument(DATA_FILE)).pdf!;
  draft = (await renderDocument(DATA_FILE, { draft: true })).pdf!;
  out = await readBack(pdf, true);
  draftOut = await readBack(draft, false);
  titlePages = reference.tables.map((table) => out.pages.findIndex((page) => strip(page).includes(table.title)) + 1);
  attachmentsPage = out.pages.findIndex((page) => strip(page).startsWith(reference.tocEntries.find((e) => e.startsWith('附件：'))!)) + 1;
});

afterAll(() => {
  if (savedEpoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = savedEpoch;
});

describe('the reference text as parsed here', () => {
  it('has the twelve tables, the 目录 and the narrative', () => {
    expect(reference.tables).toHaveLength(12);
    expect(reference.tocEntries).toHaveLength(18);
    expect(reference.narrative.length).toBeGreaterThan(3000);
  });
});

describe('the reference publication, read back', () => {
  it(`has ${EXPECTED_PAGE_COUNT} A4 pages, each with its number in the official — N — style`, () => {
    expect(out.pages).toHaveLength(EXPECTED_PAGE_COUNT);
    out.pages.forEach((page, i) => expect(strip(page).match(FOOTER)?.[1], `page ${i + 1}`).toBe(String(i + 1)));
  });

  it('has every table title, 单位名称 line and 单位：万元 on the table’s first page', () => {
    reference.tables.forEach((table, i) => expect(titlePages[i], table.title).toBeGreaterThan(0));
    // In the reference order, each table starting on a page of its own.
    titlePages.slice(1).forEach((page, i) => expect(page, reference.tables[i + 1]!.title).toBeGreaterThan(titlePages[i]!));
    reference.tables.forEach((table, i) => {
      const page = strip(out.pages[titlePages[i]! - 1]!);
      // The reference lost the 单位名称 line of the 绩效目标表 in extraction; the format has one on every table.
      const nameLine = table.lines.find((line) => /^(单位|部门)名称：/.test(line)) ?? `单位名称：${reference.unit}`;
      expect(page, table.title).toContain(nameLine);
      expect(page, table.title).toContain('单位：万元');
    });
  });

  it('has every line of the reference tables outside the grid (注, 说明) on the table’s pages', () => {
    reference.tables.forEach((table, i) => {
      const text = pagesOfTable(i).map((page) => strip(out.pages[page - 1]!)).join('');
      for (const line of table.lines) expect(text, table.title).toContain(line);
    });
  });

  it('has every amount of the reference tables, as many times as the reference (no more, no fewer)', () => {
    const expected = reference.tables.flatMap((table) => table.rows.flat().filter((cell) => AMOUNT.test(cell)));
    const actual = out.tables.slice(attachmentsPage - 1).flat(2).flatMap(cellValues).filter((value) => AMOUNT.test(value));
    expect(expected).toHaveLength(270);
    expect(missingFrom(actual, expected), 'missing from the PDF').toEqual({});
    expect(missingFrom(expected, actual), 'not in the reference').toEqual({});
  });

  it('has every code of the reference tables (类/款/项, unit, economic and 21-digit project codes)', () => {
    const expected = reference.tables.flatMap((table) => table.rows.flat().filter((cell) => CODE.test(cell)));
    const actual = out.tables.slice(attachmentsPage - 1).flat(2).flatMap(cellValues).filter((value) => CODE.test(value));
    expect(expected.filter((code) => PROJECT_CODE.test(code))).toHaveLength(13);
    expect(expected).toEqual(expect.arrayContaining(['201', '03', '50', '30199', '50501', '605001', '410311220000000009675']));
    expect(missingFrom(actual, expected), 'missing from the PDF').toEqual({});
    expect(missingFrom(expected, actual), 'not in the reference').toEqual({});
  });

  it('has every cell of every reference table body in that table', () => {
    reference.tables.forEach((table, i) => {
      const expected = bodyRows(table.rows).flat().filter(Boolean);
      const notInOutput = CELLS_NOT_IN_OUTPUT[table.title] ?? [];
      for (const cell of notInOutput) {
        expect(expected, table.title).toContain(cell);
        expected.splice(expected.indexOf(cell), 1);
      }
      const actual = cellsOfTable(i).flat().flatMap(cellValues);
      expect(missingFrom(actual, expected), table.title).toEqual({});
    });
  });

  it('has each 合计 row of the reference with the same amounts, labelled 合计', () => {
    const label = (row: string[]): string => row.find(Boolean) ?? '';
    const amounts = (row: string[]): string[] => row.filter((cell) => AMOUNT.test(cell));
    let checked = 0;
    reference.tables.forEach((table, i) => {
      const body = bodyRows(table.rows);
      // Tables without figures (政府性基金, 国有资本经营) still show their empty 合计 row.
      const totals = table.rows.filter((row) => label(row) === '合计' && (amounts(row).length > 0 || body.length === 0));
      if (UNLABELLED_TOTALS.includes(table.title)) totals.push(body[0]!);
      const pdfTotals = cellsOfTable(i)
        .filter((row) => cellValues(row.find((cell) => strip(cell) !== '') ?? '')[0] === '合计')
        .map((row) => row.flatMap(cellValues).filter((value) => AMOUNT.test(value)));
      for (const row of totals) expect(pdfTotals, table.title).toContainEqual(amounts(row));
      checked += totals.length;
    });
    // Every table but 单位收支预算表, 财政拨款收支预算表 (本年收入合计 …) and the 三公 table has one.
    expect(checked).toBe(9);
  });

  it('has the text of parts one to three: every sentence of the reference, and nothing else', () => {
    const narrativePages = out.pages.slice(1, attachmentsPage - 1).map((page) => strip(page).replace(FOOTER, ''));
    const text = narrativePages.join('');
    const sentences = reference.narrative.split(/(?<=[。；])/).filter(Boolean);
    expect(sentences.length).toBeGreaterThan(60);
    expect(sentences.filter((sentence) => !text.includes(sentence))).toEqual([]);
    for (const fix of INTENDED_FIXES) expect(text, fix.why).not.toContain(fix.from);
    // Sentence by sentence above tells what is missing; as a whole, nothing is added or reordered.
    expect(text).toBe(reference.narrative);
  });

  it('has the title, then the 目录 in the official order, each page number the page where the heading is', () => {
    expect(strip(out.pages[0]!).startsWith(reference.title)).toBe(true);
    const toc = readToc(out.pages[0]!);
    expect(toc.map((entry) => entry.text)).toEqual(reference.tocEntries);
    expect(toc.filter((entry) => entry.level === 1 && reference.tables.some((table) => table.title === entry.heading))).toHaveLength(12);
    for (const entry of toc) {
      expect(entry.heading, entry.text).not.toBe('');
      const pages = out.pages.flatMap((page, i) => (i > 0 && strip(page).includes(entry.heading) ? [i + 1] : []));
      expect(pages, `${entry.text} → ${entry.heading}`).toEqual([entry.page]);
    }
  });

  it('has bookmarks in exactly the tree and wording of the 目录, each opening the page of its heading', () => {
    const objects = pdfObjects(pdf);
    const pageTree = [...objects.values()].find((dict) => /\/Type \/Pages\b/.test(dict) && !/\/Parent /.test(dict))!;
    const pageNumbers = [...pageTree.match(/\/Kids \[([^\]]*)\]/)![1]!.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
    expect(pageNumbers).toHaveLength(out.pages.length);
    const pageOf = (dest: unknown): number => pageNumbers.indexOf((dest as Array<{ num: number }>)[0]!.num) + 1;

    // The 目录 as a tree: each part with the entries that follow it up to the next part.
    const parts: Array<TocEntry & { sections: TocEntry[] }> = [];
    for (const entry of readToc(out.pages[0]!)) {
      if (entry.level === 0) parts.push({ ...entry, sections: [] });
      else parts.at(-1)!.sections.push(entry);
    }
    // The bookmark tree as text and page, to compare with the 目录 entry by entry.
    const tree = out.outline.map((item) => ({
      text: strip(item.title),
      page: pageOf(item.dest),
      sections: (item.items ?? []).map((child) => ({ text: strip(child.title), page: pageOf(child.dest), children: child.items?.length ?? 0 })),
    }));
    expect(tree).toEqual(parts.map((part) => ({
      text: part.text,
      page: part.page,
      sections: part.sections.map((section) => ({ text: section.text, page: section.page, children: 0 })),
    })));
    // Parts one and three, part two without sections of its own in the 目录, 附件 with the twelve tables.
    expect(tree.map((part) => part.sections.length)).toEqual([2, 0, 0, 12]);
  });

  it('puts the 单位收入预算表, the 支出经济分类汇总表 and the 绩效目标表 on landscape pages, all else portrait', () => {
    const landscapePages = new Set(
      reference.tables.flatMap((table, i) => (LANDSCAPE_TABLES.some((name) => table.title.endsWith(name)) ? pagesOfTable(i) : [])),
    );
    expect(landscapePages.size).toBeGreaterThanOrEqual(3);
    out.sizes.forEach((size, i) => {
      const landscape = landscapePages.has(i + 1);
      expect(size, `page ${i + 1}`).toEqual(landscape ? { width: A4.long, height: A4.short } : { width: A4.short, height: A4.long });
    });
    const byPage = reference.tables.map((_, i) => (landscapePages.has(titlePages[i]!) ? 'landscape' : 'portrait'));
    expect(Object.values(rendered.tableOrientations!)).toEqual(byPage);
  });

  it('repeats the header rows of a table on every page it spans', () => {
    const spanning = reference.tables.map((_, i) => pagesOfTable(i)).filter((pages) => pages.length > 1);
    expect(spanning.length).toBeGreaterThan(0);
    for (const pages of spanning) {
      const rows = pages.map((page) => out.tables[page - 1]!);
      const headerRows = rows[0]!.findIndex((row) => row.flatMap(cellValues).some((value) => AMOUNT.test(value)));
      expect(headerRows).toBeGreaterThan(0);
      for (const [k, page] of pages.entries()) expect(rows[k]!.slice(0, headerRows), `page ${page}`).toEqual(rows[0]!.slice(0, headerRows));
    }
  });

  it('reads as words, not letter-spaced, in the narrative: no justified line is spaced wide enough to extract as 支 出 合 计', () => {
    const spaced = out.pages.slice(1, attachmentsPage - 1).flatMap((page, i) =>
      page.split('\n').filter((line) => /(\p{Script=Han} ){3}\p{Script=Han}/u.test(line)).map((line) => `page ${i + 2}: ${line}`),
    );
    expect(spaced).toEqual([]);
  });

  it('starts no line of the narrative and no line of a table cell with closing punctuation', () => {
    const offending = out.pages.slice(0, attachmentsPage - 1).flatMap((page, i) =>
      page.split('\n').map((line) => line.trim()).filter(startsWithClosing).map((line) => `page ${i + 1}: ${line}`),
    );
    out.tables.forEach((rows, i) => {
      for (const cell of rows.flat()) {
        for (const line of cell.split('\n').map((l) => l.trim())) {
          if (startsWithClosing(line)) offending.push(`page ${i + 1}, cell ${JSON.stringify(cell)}`);
        }
      }
    });
    expect(offending).toEqual([]);
  });

  it('never splits a number over two lines, in the narrative or in a table cell', () => {
    const splitAt = (lines: string[]): boolean =>
      lines.some((line, k) => k + 1 < lines.length && /[\d.]$/.test(line.trim()) && /^[\d.%]/.test(lines[k + 1]!.trim()));
    const offending = out.pages
      .slice(0, attachmentsPage - 1)
      .flatMap((page, i) => (splitAt(page.split('\n')) ? [`page ${i + 1}`] : []));
    out.tables.forEach((rows, i) => {
      for (const cell of rows.flat()) {
        // A 21-digit project code goes over three lines, as in the reference: it is a code, not an amount.
        if (!PROJECT_CODE.test(strip(cell)) && splitAt(cell.split('\n'))) offending.push(`page ${i + 1}, cell ${JSON.stringify(cell)}`);
      }
    });
    expect(offending).toEqual([]);
  });

  it('wraps no table cell of up to six characters (a short name stays on one line)', () => {
    const wrapped: string[] = [];
    out.tables.forEach((rows, i) => {
      // Body rows only: header labels in narrow columns (政府性基金) are set in short lines by design, as in the reference.
      const first = rows.findIndex((row) => {
        const values = row.flatMap(cellValues);
        return values.some((value) => AMOUNT.test(value)) || values[0] === '合计';
      });
      for (const cell of rows.slice(Math.max(first, 0)).flat()) {
        if (strip(cell).length <= 6 && cell.trim().includes('\n')) wrapped.push(`page ${i + 1}: ${JSON.stringify(cell)}`);
      }
    });
    expect(wrapped).toEqual([]);
  });

  it('shows all 13 projects in the 绩效目标表, each with its code and amount, none lost at a page break', () => {
    const title = reference.tables.find((table) => table.title.endsWith('绩效目标表'))!;
    const projectList = reference.tables.find((table) => table.title.endsWith('项目支出预算表'))!;
    const expected = title.rows.filter((row) => PROJECT_CODE.test(row[0]!)).map((row) => [row[0], row[1], row[2]]);
    expect(expected).toHaveLength(13);
    const names = projectList.rows.filter((row) => row[0] === '其他运转类').map((row) => row[1]);
    expect(expected.map((row) => row[1]).sort()).toEqual([...names].sort());

    const i = reference.tables.indexOf(title);
    const actual = cellsOfTable(i)
      .filter((row) => PROJECT_CODE.test(strip(row[0] ?? '')))
      .map((row) => [strip(row[0]!), strip(row[1]!), strip(row[2]!)]);
    expect(actual).toEqual(expected);
  });

  it('embeds every font, subset (tagged name, FontFile2 a fraction of the font file) with a ToUnicode map', () => {
    const objects = pdfObjects(pdf);
    const ref = (dict: string, key: string): string | undefined => referenced(objects, dict, key);
    const fonts = [...objects.values()].filter((dict) => /\/Type \/Font\b/.test(dict));
    const type0 = fonts.filter((dict) => /\/Subtype \/Type0/.test(dict));
    // Each face of fonts.yaml's roles (four here: 宋体 regular and bold, 黑体, 楷体) is used and embedded once.
    const faces = new Set(Object.values(rendered.fonts!.byRole).map((font) => font.font.postscriptName));
    const embedded = type0.map((dict) => dict.match(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/)?.[1]);
    expect(embedded.sort()).toEqual([...faces].sort());
    // Nothing but composite (Type0 → CIDFontType2) fonts: no standard 14 font, which would not be embedded.
    expect(fonts.filter((dict) => !/\/Subtype \/(Type0|CIDFontType2)/.test(dict))).toEqual([]);

    const sourceSizes = new Map(
      Object.values(rendered.fonts!.byRole).map((font) => [font.font.postscriptName, statSync(font.file).size] as const),
    );
    for (const font of fonts) expect(font).toMatch(/\/BaseFont \/[A-Z]{6}\+[\w-]+/);
    for (const font of type0) {
      expect(font).toMatch(/\/ToUnicode \d+ 0 R/);
      const cid = objects.get(Number(font.match(/\/DescendantFonts \[(\d+) 0 R\]/)![1]))!;
      const descriptor = ref(cid, 'FontDescriptor')!;
      const name = descriptor.match(/\/FontName \/[A-Z]{6}\+([\w-]+)/)![1]!;
      const file = ref(descriptor, 'FontFile2');
      expect(file, name).toBeDefined();
      const length = Number(file!.match(/\/Length (\d+)/)![1]);
      expect(sourceSizes.has(name), name).toBe(true);
      expect(length, name).toBeLessThan(sourceSizes.get(name)! / 10);
    }
  });

  it('carries the metadata: title, unit, subject, keywords, creator, language, a date from SOURCE_DATE_EPOCH', () => {
    const unit = reference.unit;
    // The reference data has no publication date, so the date is SOURCE_DATE_EPOCH's (2022-03-01).
    expect(rendered.budget!.published).toBeFalsy();
    expect(creationDate(rendered.budget!, { SOURCE_DATE_EPOCH }).toISOString()).toBe('2022-03-01T00:00:00.000Z');
    expect(out.info).toMatchObject({
      Title: reference.title,
      Author: unit,
      Creator: `budget-pdf ${PACKAGE_VERSION}`,
      Language: 'zh-CN',
      CreationDate: 'D:20220301000000Z',
      ModDate: 'D:20220301000000Z',
    });
    expect(String(out.info.Subject)).toMatch(/2022.*预算/);
    expect(String(out.info.Keywords)).toContain('2022');
    expect(String(out.info.Keywords)).toContain(unit.replace(/（.*）$/, ''));
    expect(pdf.toString('latin1')).toMatch(/\/Lang \(zh-CN\)/);
  });

  it('gives the same bytes when rendered twice', () => {
    expect(again.equals(pdf)).toBe(true);
  });

  it('puts 草稿 on every page of a draft, and nowhere in the final', () => {
    expect(draftOut.pages).toHaveLength(out.pages.length);
    draftOut.pages.forEach((page, i) => expect(strip(page), `page ${i + 1}`).toContain('草稿'));
    expect(out.pages.filter((page) => page.includes('草稿'))).toEqual([]);
  });
});
