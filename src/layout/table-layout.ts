/**
 * Table layouts: templates/<format>/tables/<id>.yaml, one file per table of the publication.
 * A layout says what a table looks like and what each cell shows; the table engine
 * (table.ts) turns a layout plus the Views of one budget into a pdfmake table. Nothing in
 * a layout is compiled as a template: `{name}` in a text is a plain placeholder.
 *
 * Every key, with an example, is documented for format authors in templates/README.md
 * ("Every key of a table layout"); keep the two in step.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isMap, type ParsedNode } from 'yaml';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { hasErrors } from '../budget/findings.js';
import { INDICATOR_KINDS, type IndicatorKind } from '../budget/model.js';
import { childPath, loadYamlWithSchema, nearest, s, type Infer, type Schema } from '../budget/schema.js';
import { FIGURE_NAMES, LIST_CELL_KEYS, LIST_NAMES, type ListName } from '../budget/views.js';
import { TemplateError } from './report-outline.js';

export type CellFormat = 'amount' | 'code' | 'text';
export type CellAlign = 'left' | 'center' | 'right';
export type IndicatorPart = 'name' | 'value';

/** Table text below this size is not legible in print. */
export const MIN_TABLE_FONT_SIZE = 9;
const DEFAULT_FONT_SIZE = 9;
const DEFAULT_MIN_CHARS = 6;

/** A header cell placed on the header grid. */
export interface HeaderCell {
  text: string;
  row: number;
  col: number;
  colSpan: number;
  rowSpan: number;
  /** Field path in the layout file, for messages. */
  path: string;
}

export type ColumnBinding =
  | { kind: 'key'; key: string }
  | { kind: 'indicator'; indicator: IndicatorKind; part: IndicatorPart }
  /** A column of a two-sided table: filled by its side's rows. */
  | { kind: 'side' };

export interface ColumnLayout {
  format: CellFormat;
  align: CellAlign;
  /** Share of spare width. */
  weight: number;
  showZero: boolean;
  minChars: number;
  wrap: boolean;
  /** Left out of the printed table when no body row fills it. */
  omitIfEmpty: boolean;
  binding: ColumnBinding;
  path: string;
}

export interface FigureRef {
  key: string;
  path: string;
}

export interface FixedRow {
  label: string;
  /** One per amount column of the side; null = always empty. */
  figures: (FigureRef | null)[];
  bold: boolean;
  showZero: boolean;
  path: string;
}

export interface TableSide {
  firstColumn: number;
  columnCount: number;
  rows: FixedRow[];
  totalRows: FixedRow[];
}

/** A list table; `classSubtotals`: a 功能分类 list with a subtotal row above each 类 (201 一般公共服务支出). */
export type TableBody = { kind: 'list'; list: ListName; classSubtotals: boolean } | { kind: 'sides'; sides: TableSide[] };

export interface TableLayout {
  /** File name without .yaml, e.g. 03-expense. */
  id: string;
  /** The layout file as given. */
  file: string;
  title: string;
  unitLineLabel: string | null;
  amountUnitLine: boolean;
  fontSize: number;
  headerFontSize: number;
  /** auto: portrait when the columns fit, else landscape; or the orientation the format asks for. */
  orientation: 'auto' | 'portrait' | 'landscape';
  /** Header rows; each row lists the cells that start in it. */
  header: HeaderCell[][];
  columns: ColumnLayout[];
  body: TableBody;
  emptyNote: string | null;
  footnote: string | null;
  /** Where a field path of the layout file was written (for build-time errors). */
  locate(path: string): SourceLoc | undefined;
}

/** The notes of a table that a unit's data can reword, by the layout field that holds them. */
export const TABLE_NOTE_FIELDS = ['emptyNote', 'footnote'] as const;
export type TableNoteField = (typeof TABLE_NOTE_FIELDS)[number];

/** The id under which a unit's `texts:` rewords a table note: `08-three-public.footnote`. */
export function noteTextId(tableId: string, field: TableNoteField): string {
  return `${tableId}.${field}`;
}

// ---------------------------------------------------------------------------------------------
// Schema

const INDICATOR_COLUMNS = INDICATOR_KINDS.flatMap((kind) => [`${kind}.name`, `${kind}.value`]) as unknown as readonly [
  string,
  ...string[],
];

const headerCellObject = s.object({
  text: s.string({ nonEmpty: true }),
  colSpan: s.optional(s.int({ min: 1, max: 60 }), 1),
  rowSpan: s.optional(s.int({ min: 1, max: 10 }), 1),
});
type HeaderCellSpec = Infer<typeof headerCellObject>;
const headerCellText = s.string({ nonEmpty: true });

/** A header cell: a text, or { text, colSpan, rowSpan }. */
const headerCell: Schema<HeaderCellSpec> = {
  expected: '表头单元格（文字，或 { text, colSpan, rowSpan }）',
  read(node: ParsedNode, ctx, at) {
    if (isMap(node)) return headerCellObject.read(node, ctx, at);
    const text = headerCellText.read(node, ctx, at);
    return typeof text === 'string' ? { text, colSpan: 1, rowSpan: 1 } : text;
  },
};

const column = s.object({
  key: s.optional(s.string({ nonEmpty: true })),
  indicator: s.optional(s.enum(INDICATOR_COLUMNS)),
  format: s.enum(['amount', 'code', 'text'] as const),
  align: s.optional(s.enum(['left', 'center', 'right'] as const)),
  width: s.optional(s.int({ min: 1, max: 50 }), 1),
  showZero: s.optional(s.boolean()),
  minChars: s.optional(s.int({ min: 1, max: 30 })),
  wrap: s.optional(s.boolean()),
  omitIfEmpty: s.optional(s.boolean()),
});

const fixedRow = s.object({
  label: s.string({ nonEmpty: true }),
  code: s.optional(s.string({ nonEmpty: true })),
  figures: s.optional(s.list(s.string({ nonEmpty: true }), { minItems: 1 })),
  blank: s.optional(s.boolean(), false),
  bold: s.optional(s.boolean(), false),
  showZero: s.optional(s.boolean(), false),
});

const side = s.object({
  columns: s.int({ min: 2, max: 30 }),
  figures: s.optional(s.list(s.string({ nonEmpty: true }), { minItems: 1 })),
  rows: s.list(fixedRow, { minItems: 1 }),
  totalRows: s.optional(s.list(fixedRow), []),
});

export const tableLayoutSchema = s.object({
  title: s.string({ nonEmpty: true }),
  unitLine: s.optional(s.string({ nonEmpty: true })),
  amountUnitLine: s.optional(s.boolean(), true),
  fontSize: s.optional(s.int({ min: MIN_TABLE_FONT_SIZE, max: 16 }), DEFAULT_FONT_SIZE),
  headerFontSize: s.optional(s.int({ min: MIN_TABLE_FONT_SIZE, max: 16 }), DEFAULT_FONT_SIZE),
  orientation: s.optional(s.enum(['auto', 'portrait', 'landscape'] as const), 'auto'),
  header: s.list(s.list(headerCell, { minItems: 1 }), { minItems: 1 }),
  columns: s.list(column, { minItems: 1 }),
  list: s.optional(s.enum(LIST_NAMES)),
  classSubtotals: s.optional(s.boolean(), false),
  sides: s.optional(s.list(side, { minItems: 2 })),
  emptyNote: s.optional(s.string({ nonEmpty: true })),
  footnote: s.optional(s.string({ nonEmpty: true })),
});
type TableLayoutSpec = Infer<typeof tableLayoutSchema>;
type ColumnSpec = Infer<typeof column>;
type FixedRowSpec = Infer<typeof fixedRow>;

// ---------------------------------------------------------------------------------------------
// Loading

/** The layout file of table `id` in a template folder. */
export function tableLayoutPath(templateDir: string, id: string): string {
  return path.join(templateDir, 'tables', `${id}.yaml`);
}

/**
 * Loads every layout in a template set's tables/ folder, keyed by id (file name without .yaml).
 * Throws one TemplateError with the findings of all files.
 */
export function loadTableLayouts(dir: string): Map<string, TableLayout> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch (error) {
    throw new TemplateError([{ rule: 'template.missing', severity: 'error', message: `无法读取表格布局文件夹 ${dir}：${(error as Error).message}` }]);
  }
  const layouts = new Map<string, TableLayout>();
  const findings: Finding[] = [];
  for (const name of names) {
    try {
      const layout = loadTableLayout(path.join(dir, name));
      layouts.set(layout.id, layout);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      findings.push(...error.findings);
    }
  }
  if (findings.length > 0) throw new TemplateError(findings);
  return layouts;
}

/** Loads and checks one table layout; throws TemplateError with findings that name file and line. */
export function loadTableLayout(file: string): TableLayout {
  const read = loadYamlWithSchema(file, tableLayoutSchema);
  if (!read.value || hasErrors(read.findings)) throw new TemplateError(read.findings);
  const findings: Finding[] = [];
  const problem = (rule: string, at: string, message: string): void => {
    findings.push({ rule, severity: 'error', message, loc: read.locate(at) ?? { file, line: 1, col: 1 }, path: at });
  };
  const layout = checkLayout(read.value, file, read.locate, problem);
  if (findings.length > 0 || !layout) throw new TemplateError(findings);
  return layout;
}

type Problem = (rule: string, at: string, message: string) => void;

function checkLayout(
  spec: TableLayoutSpec,
  file: string,
  locate: (path: string) => SourceLoc | undefined,
  problem: Problem,
): TableLayout | null {
  const columnCount = spec.columns.length;
  const header = placeHeader(spec.header, columnCount, problem);
  const columns = spec.columns.map((c, i) => checkColumn(c, childPath('columns', i), spec, problem));

  let body: TableBody | null = null;
  if ((spec.list === null) === (spec.sides === null)) {
    problem('layout.body', 'list', '表格要么用 list（按视图列表逐行），要么用 sides（左右两栏固定行），二者必须且只能有一个。');
  } else if (spec.list !== null) {
    body = { kind: 'list', list: spec.list, classSubtotals: spec.classSubtotals };
  } else {
    body = { kind: 'sides', sides: checkSides(spec.sides!, columns, problem) };
  }
  if (spec.classSubtotals && !spec.list?.startsWith('function-lines')) {
    problem('layout.class-subtotals', 'classSubtotals', 'classSubtotals 只用于功能分类的列表（list: function-lines 或 function-lines.<资金>）。');
  }
  if (spec.emptyNote !== null && spec.list === null) {
    problem('layout.empty-note', 'emptyNote', 'emptyNote 只用于 list 表格（列表没有明细行时打印）。');
  }
  for (const field of ['title', 'emptyNote', 'footnote'] as const) {
    const text = spec[field];
    if (text !== null) refuseHandlebars(text, field, problem);
  }
  for (const cell of header.flat()) refuseHandlebars(cell.text, cell.path, problem);
  if (!body) return null;
  return {
    id: path.basename(file).replace(/\.ya?ml$/i, ''),
    file,
    title: spec.title,
    unitLineLabel: spec.unitLine,
    amountUnitLine: spec.amountUnitLine,
    fontSize: spec.fontSize,
    headerFontSize: spec.headerFontSize,
    orientation: spec.orientation,
    header,
    columns,
    body,
    emptyNote: spec.emptyNote,
    footnote: spec.footnote,
    locate,
  };
}

/**
 * Places header cells on the grid as HTML does: each cell takes the first position in its row
 * not covered by a rowSpan from above. Every row must end exactly at the last column.
 */
function placeHeader(rows: HeaderCellSpec[][], columnCount: number, problem: Problem): HeaderCell[][] {
  const covered = rows.map(() => new Array<boolean>(columnCount).fill(false));
  const placed: HeaderCell[][] = [];
  rows.forEach((row, r) => {
    const out: HeaderCell[] = [];
    let col = 0;
    let overflow = false;
    const nextFree = (): void => {
      while (col < columnCount && covered[r]![col]) col++;
    };
    row.forEach((spec, i) => {
      const at = `header[${r}][${i}]`;
      nextFree();
      if (col + spec.colSpan > columnCount) {
        problem('layout.header-width', at, `表头第 ${r + 1} 行的“${spec.text}”超出了表格的 ${columnCount} 列（columns 有 ${columnCount} 项）。`);
        col = columnCount;
        overflow = true;
        return;
      }
      if (r + spec.rowSpan > rows.length) {
        problem('layout.header-rowspan', at, `表头第 ${r + 1} 行的“${spec.text}”rowSpan ${spec.rowSpan} 超出了表头的 ${rows.length} 行。`);
      }
      for (let dr = 0; dr < spec.rowSpan && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < spec.colSpan; dc++) {
          if (covered[r + dr]![col + dc]) {
            problem('layout.header-overlap', at, `表头第 ${r + 1} 行的“${spec.text}”与上方单元格的 rowSpan 重叠（第 ${col + dc + 1} 列）。`);
          }
          covered[r + dr]![col + dc] = true;
        }
      }
      out.push({ text: spec.text, row: r, col, colSpan: spec.colSpan, rowSpan: spec.rowSpan, path: at });
      col += spec.colSpan;
    });
    const filled = covered[r]!.filter(Boolean).length;
    // A row that runs past the last column has been reported at the cell that does.
    if (filled !== columnCount && !overflow) {
      problem('layout.header-width', `header[${r}]`, `表头第 ${r + 1} 行（连同上方的 rowSpan）占 ${filled} 列，表格有 ${columnCount} 列（columns 的项数）。`);
    }
    placed.push(out);
  });
  return placed;
}

function checkColumn(c: ColumnSpec, at: string, spec: TableLayoutSpec, problem: Problem): ColumnLayout {
  let binding: ColumnBinding = { kind: 'side' };
  if (spec.list !== null) {
    if ((c.key === null) === (c.indicator === null)) {
      problem('layout.column-binding', at, `第 ${columnNumber(at)} 列要写 key（视图行的键）或 indicator（绩效指标），二者只能有一个。`);
    } else if (c.key !== null) {
      binding = { kind: 'key', key: c.key };
      const known = LIST_CELL_KEYS[spec.list];
      if (!known.includes(c.key)) {
        const suggestion = nearest(c.key, known);
        problem(
          'layout.unknown-key',
          `${at}.key`,
          `第 ${columnNumber(at)} 列的 key“${c.key}”不是视图列表 ${spec.list} 的键；${suggestion ? `是否应为“${suggestion}”？` : ''}可用的键：${known.join('、')}。`,
        );
      }
    } else {
      const [indicator, part] = c.indicator!.split('.') as [IndicatorKind, IndicatorPart];
      binding = { kind: 'indicator', indicator, part };
    }
  } else if (c.key !== null || c.indicator !== null) {
    problem('layout.column-binding', at, `第 ${columnNumber(at)} 列：左右两栏表格（sides）的列由各栏的行填充，不写 key 或 indicator。`);
  }
  if (c.showZero !== null && c.format !== 'amount') problem('layout.column-option', `${at}.showZero`, 'showZero 只用于 amount 列。');
  if (c.wrap !== null && c.format !== 'code') problem('layout.column-option', `${at}.wrap`, 'wrap 只用于 code 列（文字列总是可以换行，金额从不换行）。');
  if (c.minChars !== null && c.format === 'amount') problem('layout.column-option', `${at}.minChars`, 'minChars 不用于 amount 列（金额从不换行）。');
  if (c.omitIfEmpty && spec.list === null) problem('layout.column-option', `${at}.omitIfEmpty`, 'omitIfEmpty 只用于 list 表格（左右两栏表格的列由固定行填充）。');
  return {
    format: c.format,
    align: c.align ?? (c.format === 'amount' ? 'right' : c.format === 'code' ? 'center' : 'left'),
    weight: c.width,
    showZero: c.showZero ?? false,
    minChars: c.minChars ?? DEFAULT_MIN_CHARS,
    wrap: c.wrap ?? false,
    omitIfEmpty: c.omitIfEmpty ?? false,
    binding,
    path: at,
  };
}

function columnNumber(at: string): number {
  return Number(/\[(\d+)\]/.exec(at)?.[1] ?? 0) + 1;
}

function checkSides(sides: Infer<typeof side>[], columns: ColumnLayout[], problem: Problem): TableSide[] {
  const out: TableSide[] = [];
  let first = 0;
  sides.forEach((sd, i) => {
    const at = `sides[${i}]`;
    const amountColumns = sd.columns - 1;
    if (first < columns.length && columns[first]!.format !== 'text') {
      problem('layout.side-columns', `${at}.columns`, `第 ${i + 1} 栏的第一列（表格第 ${first + 1} 列）是项目名称，format 应为 text。`);
    }
    for (let c = first + 1; c < Math.min(first + sd.columns, columns.length); c++) {
      if (columns[c]!.format !== 'amount') {
        problem('layout.side-columns', `${at}.columns`, `第 ${i + 1} 栏的第 ${c - first + 1} 列（表格第 ${c + 1} 列）是金额，format 应为 amount。`);
      }
    }
    for (const [k, pattern] of (sd.figures ?? []).entries()) {
      if (!pattern.includes('{code}')) problem('layout.side-figures', `${at}.figures[${k}]`, `“${pattern}”中没有 {code}；figures 是按行的 code 生成数字键的模板。`);
    }
    if (sd.figures !== null && sd.figures.length !== amountColumns) {
      problem('layout.side-figures', `${at}.figures`, `第 ${i + 1} 栏有 ${amountColumns} 个金额列，figures 应有 ${amountColumns} 项，现有 ${sd.figures.length} 项。`);
    }
    const rowsOf = (list: FixedRowSpec[], field: 'rows' | 'totalRows'): FixedRow[] =>
      list.map((row, r) => checkFixedRow(row, `${at}.${field}[${r}]`, sd.figures, amountColumns, problem));
    out.push({ firstColumn: first, columnCount: sd.columns, rows: rowsOf(sd.rows, 'rows'), totalRows: rowsOf(sd.totalRows, 'totalRows') });
    first += sd.columns;
  });
  if (first !== columns.length) {
    problem('layout.side-columns', 'sides', `各栏共占 ${first} 列，表格有 ${columns.length} 列（columns 的项数）。`);
  }
  const totals = out.map((sd) => sd.totalRows.length);
  if (new Set(totals).size > 1) {
    problem('layout.side-totals', 'sides', `各栏的 totalRows 行数必须相同，才能在表底对齐（现为 ${totals.join('、')} 行）。`);
  }
  return out;
}

function checkFixedRow(
  row: FixedRowSpec,
  at: string,
  patterns: string[] | null,
  amountColumns: number,
  problem: Problem,
): FixedRow {
  const given = [row.code !== null, row.figures !== null, row.blank].filter(Boolean).length;
  let figures: (FigureRef | null)[] = new Array<FigureRef | null>(amountColumns).fill(null);
  if (given !== 1) {
    problem('layout.row-binding', at, `“${row.label}”：每行要写 code、figures 或 blank: true 之一（只能一个）。`);
  } else if (row.code !== null) {
    if (patterns === null) {
      problem('layout.row-binding', `${at}.code`, `“${row.label}”写了 code，但这一栏没有 figures 模板（如 "expense.class.{code}"）。`);
    } else {
      figures = patterns.map((p) => ({ key: p.replaceAll('{code}', row.code!), path: `${at}.code` }));
    }
  } else if (row.figures !== null) {
    if (row.figures.length !== amountColumns) {
      problem('layout.row-binding', `${at}.figures`, `“${row.label}”：这一栏有 ${amountColumns} 个金额列，figures 应有 ${amountColumns} 项，现有 ${row.figures.length} 项。`);
    }
    figures = row.figures.map((key, k) => (key === NO_FIGURE ? null : { key, path: `${at}.figures[${k}]` }));
  }
  for (const ref of figures) {
    if (ref === null || KNOWN_FIGURES.has(ref.key)) continue;
    const suggestion = nearest(ref.key, FIGURE_NAMES);
    problem(
      'layout.unknown-figure',
      ref.path,
      `“${row.label}”绑定的数字“${ref.key}”不存在；${suggestion ? `是否应为“${suggestion}”？` : ''}可用的数字由 budget-pdf fields <数据文件> 列出（如 income.total、expense.class.201、fiscal.expense）。`,
    );
  }
  return { label: row.label, figures, bold: row.bold, showZero: row.showZero, path: at };
}

const KNOWN_FIGURES: ReadonlySet<string> = new Set(FIGURE_NAMES);

/** In a row's figures: a cell that is always empty. */
const NO_FIGURE = 'none';

/** `{name}` placeholders: a name is letters, digits and _ (so a lone brace in Chinese text stays text). */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The placeholders a layout text may use: what the table engine fills in (table.ts, compose.ts). */
export const TABLE_PLACEHOLDERS = ['year', 'unitLine', 'amountUnit', 'unit'] as const;

/**
 * Layout texts are never Handlebars: say so when one is written that way. A placeholder that does
 * not exist is named when the layout loads, with the nearest one, not first when a table is built.
 */
function refuseHandlebars(text: string, at: string, problem: Problem): void {
  if (/\{\{/.test(text)) {
    problem('layout.placeholder', at, `“{{…}}”是 Handlebars 写法；表格布局只用简单占位符，如 {year}。`);
    return;
  }
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!(TABLE_PLACEHOLDERS as readonly string[]).includes(name!)) problem('layout.placeholder', at, unknownPlaceholderMessage(name!, TABLE_PLACEHOLDERS));
  }
}

/** What to say of a placeholder that has no value: the nearest one, and those there are. */
export function unknownPlaceholderMessage(name: string, known: readonly string[]): string {
  const near = nearest(name, known);
  return `“{${name}}”没有值；${near ? `是否应为“{${near}}”？` : ''}可用的占位符：${known.map((k) => `{${k}}`).join('、')}。`;
}
