/**
 * The table engine: one table layout (table-layout.ts) plus the Views of one budget become a
 * pdfmake table node, its title and unit lines, and its notes. Plain data only: the grid
 * lines are named table layouts (TABLE_LAYOUTS) that the renderer registers with pdfmake.
 *
 * Geometry decisions made here, not in pdfmake:
 * - Column widths: every column gets the width its content needs so that amounts and codes
 *   never wrap and names of up to `minChars` characters never wrap; spare width goes first to
 *   columns whose longer texts would otherwise wrap, then by the layout's width weights.
 *   The table fills the text width of its page.
 * - Orientation: portrait when those minimum widths fit the portrait text width, else landscape,
 *   unless portrait with only names of up to six characters kept whole takes fewer pages.
 * - Header cells are centred vertically by a computed top margin (pdfmake's own middle
 *   alignment misplaces text in rowSpan cells of repeated headers).
 * - Body rows never use rowSpan in the outer table: a rowSpan cell that straddles a page break
 *   loses its text. A row with several indicator lines (绩效目标表) is one outer row holding a
 *   nested table; rows never break (dontBreakRows), so its rowSpans never meet a page break.
 *   A row taller than a page (which pdfmake would drop) goes on in parts, each a row of its own:
 *   the first with the amounts, the later ones with the code and the name marked（续）.
 */
import type { Content, CustomTableLayout, TableCell } from 'pdfmake/interfaces.js';
import type { Finding } from '../budget/findings.js';
import { Decimal, fixed2 } from '../budget/decimal.js';
import { rowsOf, type Cell, type ViewRow, type Views } from '../budget/views.js';
import type { FontRole, FontSet } from '../pdf/fonts.js';
import type { ColumnLayout, FixedRow, HeaderCell, TableLayout, TableSide } from './table-layout.js';
import { noteTextId, PLACEHOLDER, unknownPlaceholderMessage, type TableNoteField } from './table-layout.js';
import { TemplateError } from './report-outline.js';
import { splitRow } from './row-split.js';
import { widestUnbreakable } from './line-units.js';
import { textWidth } from './text-measure.js';
import { balanceLines } from './title-balance.js';
import { cellTextNode, paragraphNode, titleNode } from './typography.js';

export type Orientation = 'portrait' | 'landscape';

export interface TextStyleRef {
  role: FontRole;
  size: number;
  /** Line pitch as a multiple of the size. */
  lineHeight?: number;
}

export interface TableBuildOptions {
  fonts: FontSet;
  /** Width of the text area (page less margins) in pt, portrait and landscape. */
  portraitWidth: number;
  landscapeWidth: number;
  /** Height of the text area in pt, portrait and landscape: no body row may be taller than a page. */
  portraitHeight: number;
  landscapeHeight: number;
  /** Table title; default { role: 'title', size: 16 }. */
  titleStyle?: TextStyleRef;
  /** 单位名称 / 单位：万元 line and the notes; default { role: 'body', size: 10.5 }. */
  metaStyle?: TextStyleRef;
  /** Properties for the title's first line: `id` (pageReference target), `outline`, `outlineText`, … */
  anchor?: Record<string, unknown>;
  /** Values for `{name}` in texts beyond {year}, {unitLine}, {amountUnit}; the reference format needs { unit: 单位名称 }. */
  placeholders?: Record<string, string>;
  /** Names the title may hold (the unit's name): good places for it to break. */
  phrases?: readonly string[];
}

export interface BuiltTable {
  id: string;
  title: string;
  orientation: Orientation;
  /** Title, then the 单位名称 / 单位：万元 line. */
  heading: Content[];
  /** The table. */
  node: Content;
  /** The empty-table 说明 and the footnote, when there are any. */
  notes: Content[];
  /** heading, node and notes in page order. */
  content: Content[];
  /** Column content widths in pt (cell padding and grid lines not included). */
  widths: number[];
}

/** Named pdfmake table layouts used by the nodes built here: register them with `pdfmake.addTableLayouts`. */
export const TABLE_GRID = 'budgetGrid';
export const TABLE_GRID_INNER = 'budgetGridInner';

const LINE_WIDTH = 0.5;
const PAD_X = 2.5;
const PAD_Y = 2;
/** Line pitch of cell text as a multiple of the font size. */
const CELL_LINE_HEIGHT = 1.3;
/** Default line pitch of a table's title, and of its unit line and notes. */
const TITLE_LINE_HEIGHT = 1.4;
const META_LINE_HEIGHT = 1.5;
/** The pitch a table takes when that keeps it on one page, rather than leave a few rows to the next. */
const CELL_LINE_HEIGHT_TIGHT = 1.15;
/** Header cells narrower than two characters make towers of single characters. */
const HEADER_MIN_CHARS = 2;
/** Spare width goes to header cells that would otherwise take more lines than this. */
const HEADER_COMFORT_LINES = 3;
/** Room left under a page's tallest body row, for rounding in pdfmake's own measurements. */
const ROW_HEIGHT_SLACK = 4;
/** Words (a number with its unit, a date) up to this many em stay whole in a table too wide to keep every word whole. */
const SHORT_WORD_EM = 6;
/** Float slack so a text measured to exactly fit its column stays on one line. */
const FIT_SLACK = 0.01;

const BODY_ROLE: FontRole = 'table';
const HEADER_ROLE: FontRole = 'tableHeader';
/** 合计 rows are set bold: the table font set has one face per role, so bold is the header face. */
const TOTAL_ROLE: FontRole = 'tableHeader';

export const TABLE_LAYOUTS: Record<string, CustomTableLayout> = {
  [TABLE_GRID]: {
    hLineWidth: () => LINE_WIDTH,
    vLineWidth: () => LINE_WIDTH,
    paddingLeft: () => PAD_X,
    paddingRight: () => PAD_X,
    paddingTop: () => PAD_Y,
    paddingBottom: () => PAD_Y,
  },
  /** A table nested in a cell of a TABLE_GRID table: inner lines only, the outer table draws the frame. */
  [TABLE_GRID_INNER]: {
    hLineWidth: (i, node) => (i === 0 || i === node.table.body.length ? 0 : LINE_WIDTH),
    vLineWidth: (i, node) => (i === 0 || i === (node.table.widths?.length ?? 0) ? 0 : LINE_WIDTH),
    paddingLeft: () => PAD_X,
    paddingRight: () => PAD_X,
    paddingTop: () => PAD_Y,
    paddingBottom: () => PAD_Y,
  },
};

/** Space a column adds beside its content width: padding and one grid line. */
const COLUMN_GAP = 2 * PAD_X + LINE_WIDTH;

/** Total width of a table whose columns have these content widths. */
export function tableWidth(widths: number[]): number {
  return widths.reduce((a, b) => a + b, 0) + widths.length * COLUMN_GAP + LINE_WIDTH;
}

// ---------------------------------------------------------------------------------------------
// Cell values

/** An amount as the tables print it: two decimals, no separators; zero and null empty unless showZero. */
export function formatAmount(value: Decimal | null, showZero: boolean): string {
  if (value === null) return '';
  if (value.isZero() && !showZero) return '';
  return fixed2(value);
}

// ---------------------------------------------------------------------------------------------
// The body as a grid of texts

interface GridCell {
  text: string;
  role: FontRole;
}

/** One body row; several `lines` when the row holds a list of indicators. */
interface GridRow {
  lines: GridCell[][];
  /** Columns that show one value over all lines of the row (rowSpan in the nested table). */
  spanned: boolean[];
  /** A 合计 row (or the 本年收入合计, 收入总计 … rows at the foot of a two-sided table). */
  total: boolean;
}

type Fail = (rule: string, at: string, message: string) => never;

function failer(layout: TableLayout): Fail {
  return (rule, at, message) => {
    const finding: Finding = { rule, severity: 'error', message, loc: layout.locate(at) ?? { file: layout.file, line: 1, col: 1 }, path: at };
    throw new TemplateError([finding]);
  };
}

function cellText(value: Cell | undefined, column: ColumnLayout, where: string, fail: Fail): string {
  if (value === undefined) {
    fail('layout.unknown-key', column.path, `${where}没有键“${column.binding.kind === 'key' ? column.binding.key : ''}”；请检查列的 key。`);
  }
  if (value === null) return '';
  if (column.format === 'amount') {
    if (!Decimal.isDecimal(value)) fail('layout.cell-type', column.path, `${where}的“${String(value)}”不是金额，不能放在 amount 列。`);
    return formatAmount(value as Decimal, column.showZero);
  }
  if (typeof value !== 'string') fail('layout.cell-type', column.path, `${where}的金额 ${String(value)} 不能放在 ${column.format} 列；请把列的 format 设为 amount。`);
  return value as string;
}

function listGrid(layout: TableLayout, rows: ViewRow[], listName: string, fail: Fail): GridRow[] {
  const { columns } = layout;
  const hasIndicators = columns.some((c) => c.binding.kind === 'indicator');
  return rows.map((row, r) => {
    const role = row.kind === 'total' || row.kind === 'subtotal' ? TOTAL_ROLE : BODY_ROLE;
    const where = `视图列表 ${listName} 第 ${r + 1} 行`;
    const groups = row.group;
    const lineCount = hasIndicators && groups ? Math.max(1, ...Object.values(groups).map((g) => g.length)) : 1;
    const spanned = columns.map((c) => lineCount > 1 && c.binding.kind !== 'indicator');
    const lines: GridCell[][] = [];
    for (let k = 0; k < lineCount; k++) {
      lines.push(
        columns.map((c) => {
          const b = c.binding;
          if (b.kind === 'indicator') {
            if (!groups && row.kind === 'line') {
              fail('layout.no-indicators', c.path, `${where}没有绩效指标（group），不能绑定 indicator 列。`);
            }
            const indicator = groups?.[b.indicator][k];
            return { text: indicator ? indicator[b.part] : '', role };
          }
          if (k > 0) return { text: '', role };
          return { text: cellText(row.cells[b.kind === 'key' ? b.key : ''], c, where, fail), role };
        }),
      );
    }
    return { lines, spanned, total: row.kind === 'total' };
  });
}

function sidesGrid(layout: TableLayout, sides: TableSide[], views: Views, fail: Fail): GridRow[] {
  const { columns } = layout;
  const sideCells = (side: TableSide, row: FixedRow | undefined): GridCell[] => {
    const width = side.columnCount;
    if (!row) return new Array<GridCell>(width).fill({ text: '', role: BODY_ROLE });
    const role = row.bold ? TOTAL_ROLE : BODY_ROLE;
    const cells: GridCell[] = [{ text: row.label, role }];
    row.figures.forEach((ref, k) => {
      const column = columns[side.firstColumn + 1 + k]!;
      if (ref === null) {
        cells.push({ text: '', role });
        return;
      }
      if (!Object.hasOwn(views.figures, ref.key)) {
        fail('layout.unknown-figure', ref.path, `“${row.label}”绑定的数字“${ref.key}”不存在（Views.figures 中没有这个键）。`);
      }
      cells.push({ text: formatAmount(views.figures[ref.key] ?? null, row.showZero || column.showZero), role });
    });
    return cells;
  };
  const zip = (pick: (side: TableSide) => FixedRow[], total: boolean): GridRow[] => {
    const count = Math.max(...sides.map((sd) => pick(sd).length));
    const out: GridRow[] = [];
    for (let i = 0; i < count; i++) {
      out.push({ lines: [sides.flatMap((sd) => sideCells(sd, pick(sd)[i]))], spanned: columns.map(() => false), total });
    }
    return out;
  };
  return [...zip((sd) => sd.rows, false), ...zip((sd) => sd.totalRows, true)];
}

// ---------------------------------------------------------------------------------------------
// Column widths and orientation

interface Metrics {
  fonts: FontSet;
  bodySize: number;
  headerSize: number;
}

function width(text: string, role: FontRole, size: number, m: Metrics): number {
  return textWidth(text, { font: m.fonts.byRole[role].font, size });
}

/** Widest run of `n` consecutive characters: the narrowest measure in which the text breaks into pieces of ≥ n. */
function widestRun(text: string, n: number, role: FontRole, size: number, m: Metrics): number {
  const chars = [...text];
  if (chars.length <= n) return width(text, role, size, m);
  const each = chars.map((ch) => width(ch, role, size, m));
  let run = each.slice(0, n).reduce((a, b) => a + b, 0);
  let widest = run;
  for (let i = n; i < each.length; i++) {
    run += each[i]! - each[i - n]!;
    widest = Math.max(widest, run);
  }
  return widest;
}

interface ColumnNeeds {
  /** Width below which content would wrap where it must not. */
  min: number;
  /** Width at which every body text of the column fits on one line. */
  natural: number;
}

/**
 * `keepWords`: a text column is at least as wide as its widest word or number with its unit, or
 * as `keepWords` em when that word is wider, so that no word up to that width is cut. Wider words
 * are cut by the line breaker; 0 keeps none (a table that cannot fit otherwise).
 */
function columnNeeds(layout: TableLayout, grid: GridRow[], m: Metrics, keepWords: number): ColumnNeeds[] {
  const needs = layout.columns.map(() => ({ min: 0, natural: 0 }));
  for (const row of grid) {
    for (const line of row.lines) {
      line.forEach((cell, c) => {
        if (cell.text === '') return;
        const column = layout.columns[c]!;
        const full = width(cell.text, cell.role, m.bodySize, m);
        const unbreakable = column.format === 'amount' || (column.format === 'code' && !column.wrap);
        let min = unbreakable ? full : widestRun(cell.text, column.minChars, cell.role, m.bodySize, m);
        // Text breaks only between its unbreakable pieces (≤126.22万元); a long code is cut by breakCode.
        if (column.format === 'text' && keepWords > 0) {
          const word = widestUnbreakable(cell.text, { font: m.fonts.byRole[cell.role].font, size: m.bodySize });
          min = Math.max(min, Math.min(word, keepWords * m.bodySize));
        }
        needs[c]!.min = Math.max(needs[c]!.min, min);
        needs[c]!.natural = Math.max(needs[c]!.natural, full);
      });
    }
  }
  for (const cell of layout.header.flat()) {
    if (cell.colSpan !== 1) continue;
    const min = widestRun(cell.text, HEADER_MIN_CHARS, HEADER_ROLE, m.headerSize, m);
    const comfortable = widestRun(cell.text, Math.ceil([...cell.text].length / HEADER_COMFORT_LINES), HEADER_ROLE, m.headerSize, m);
    needs[cell.col]!.min = Math.max(needs[cell.col]!.min, min);
    needs[cell.col]!.natural = Math.max(needs[cell.col]!.natural, comfortable);
  }
  for (const n of needs) {
    n.min += FIT_SLACK;
    n.natural = Math.max(n.natural + FIT_SLACK, n.min);
  }
  return needs;
}

/**
 * Column needs keeping every word of a text column whole, unless that makes the table too wide for
 * any page it may take: a long URL or code in a name or indicator cell is the data's, not the
 * format's, and is cut rather than refuse the table.
 */
function columnNeedsThatFit(layout: TableLayout, grid: GridRow[], m: Metrics, textWidths: Record<Orientation, number>): ColumnNeeds[] {
  // The widest page the table may take: landscape, unless the layout asks for portrait.
  const widest = layout.orientation === 'portrait' ? textWidths.portrait : textWidths.landscape;
  // Every word whole; else the short ones (2024年, ≥95%, 100人次); else none.
  for (const keepWords of [Infinity, SHORT_WORD_EM]) {
    const needs = columnNeeds(layout, grid, m, keepWords);
    if (tableWidth(needs.map((n) => n.min)) <= widest) return needs;
  }
  return columnNeeds(layout, grid, m, 0);
}

/**
 * Content widths filling `available`: minimums, then growth towards natural widths, then spare
 * width to the amount columns (`amounts`) narrower than the widest of them, so that they come out
 * as wide as each other as far as it goes (never at a text column's cost), then the rest by weight.
 */
function distribute(needs: ColumnNeeds[], weights: number[], available: number, amounts: readonly number[] = []): number[] {
  const widths = needs.map((n) => n.min);
  let spare = available - widths.reduce((a, b) => a + b, 0);
  const growth = needs.map((n) => n.natural - n.min);
  const totalGrowth = growth.reduce((a, b) => a + b, 0);
  if (totalGrowth > 0) {
    const share = Math.min(1, spare / totalGrowth);
    growth.forEach((g, i) => (widths[i]! += g * share));
    spare -= totalGrowth * share;
  }
  if (spare > 0 && amounts.length > 1) {
    // Fill the narrow amount columns up to one level: the widest, or as high as the spare width reaches.
    const cost = (level: number) => amounts.reduce((sum, i) => sum + Math.max(0, level - widths[i]!), 0);
    let high = Math.max(...amounts.map((i) => widths[i]!));
    if (cost(high) > spare) {
      let low = Math.min(...amounts.map((i) => widths[i]!));
      while (high - low > 0.01) {
        const middle = (low + high) / 2;
        if (cost(middle) <= spare) low = middle;
        else high = middle;
      }
      high = low;
    }
    spare -= cost(high);
    for (const i of amounts) widths[i] = Math.max(widths[i]!, high);
  }
  if (spare > 0) {
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => (widths[i]! += (spare * w) / totalWeight));
  }
  return widths;
}

function chooseOrientation(layout: TableLayout, needs: ColumnNeeds[], textWidths: Record<Orientation, number>, fail: Fail): Orientation {
  const required = tableWidth(needs.map((n) => n.min));
  if (layout.orientation === 'portrait' && required > textWidths.portrait) {
    return fail(
      'layout.table-too-wide',
      'orientation',
      `表格 ${layout.id} 要求竖排（orientation: portrait），但至少需要 ${required.toFixed(1)} pt 宽，竖排版心只有 ${textWidths.portrait.toFixed(1)} pt；` +
        '请改为 auto 或 landscape，或减小 fontSize。',
    );
  }
  if (layout.orientation === 'portrait') return 'portrait';
  if (layout.orientation === 'auto' && required <= textWidths.portrait) return 'portrait';
  if (required <= textWidths.landscape) return 'landscape';
  return fail(
    'layout.table-too-wide',
    'columns',
    `表格 ${layout.id} 至少需要 ${required.toFixed(1)} pt 宽（金额和编码不换行、短名称不换行），横排版心只有 ${textWidths.landscape.toFixed(1)} pt；` +
      '请减小 fontSize，或让长编码列 wrap: true。',
  );
}

// ---------------------------------------------------------------------------------------------
// pdfmake nodes

/** Height of a cell of `lines` lines at `size` and pitch `lineHeight`, with its padding. */
function cellHeight(lines: number, size: number, lineHeight: number): number {
  return lines * lineHeight * size + 2 * PAD_Y;
}

/** Content width of a cell spanning `colSpan` columns from `col`. */
function spanWidth(widths: number[], col: number, colSpan: number): number {
  let w = 0;
  for (let i = col; i < col + colSpan; i++) w += widths[i]!;
  return w + (colSpan - 1) * COLUMN_GAP;
}

/**
 * A cell's text. Names that wrap are broken into even lines (like a title), so no line
 * holds one character alone; amounts and codes are single lines or pre-broken.
 */
function textCell(text: string, format: ColumnLayout['format'], role: FontRole, size: number, cellWidth: number, align: ColumnLayout['align'], fonts: FontSet, lineHeight: number): Record<string, unknown> {
  const spec = { fonts, role, size, width: cellWidth, align, lineHeight };
  return (format === 'text' ? titleNode(text, spec) : cellTextNode(text, spec)) as unknown as Record<string, unknown>;
}

/** Header rows: every position filled (spanned positions with ''), texts centred across and down. */
function headerRows(layout: TableLayout, widths: number[], fonts: FontSet, lineHeight: number): { rows: TableCell[][]; height: number } {
  const size = layout.headerFontSize;
  const font = fonts.byRole[HEADER_ROLE].font;
  const rows = layout.header.length;
  const heights = new Array<number>(rows).fill(0);
  const cells = layout.header.flat().map((cell) => {
    const w = spanWidth(widths, cell.col, cell.colSpan);
    const lines = Math.max(1, balanceLines(cell.text, { font, size, width: w }).length);
    return { cell, w, height: cellHeight(lines, size, lineHeight) };
  });
  // Row heights as pdfmake computes them: single-row cells first, then rowSpan cells stretch their last row.
  for (const { cell, height } of cells) if (cell.rowSpan === 1) heights[cell.row] = Math.max(heights[cell.row]!, height);
  const spannedHeight = (cell: HeaderCell): number =>
    heights.slice(cell.row, cell.row + cell.rowSpan).reduce((a, b) => a + b, 0) + (cell.rowSpan - 1) * LINE_WIDTH;
  for (const { cell, height } of [...cells].sort((a, b) => a.cell.rowSpan - b.cell.rowSpan)) {
    if (cell.rowSpan > 1 && height > spannedHeight(cell)) heights[cell.row + cell.rowSpan - 1]! += height - spannedHeight(cell);
  }

  const grid: TableCell[][] = Array.from({ length: rows }, () => new Array<TableCell>(layout.columns.length).fill(''));
  for (const { cell, w, height } of cells) {
    // Balanced like a title: no header ends with one character alone on its last line.
    const node = titleNode(cell.text, { fonts, role: HEADER_ROLE, size, width: w, align: 'center', lineHeight }) as unknown as Record<string, unknown>;
    const top = Math.max(0, (spannedHeight(cell) - height) / 2);
    grid[cell.row]![cell.col] = {
      ...node,
      ...(cell.colSpan > 1 ? { colSpan: cell.colSpan } : {}),
      ...(cell.rowSpan > 1 ? { rowSpan: cell.rowSpan } : {}),
      ...(top > 0 ? { margin: [0, round(top), 0, 0] } : {}),
    } as TableCell;
  }
  // Each row also takes the grid line above it.
  return { rows: grid, height: heights.reduce((a, b) => a + b + LINE_WIDTH, 0) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * A long code in a column that allows it (wrap: true) is cut into pieces that fit, one per line:
 * the line breaker never splits a number, and a code has no better place to break.
 */
function breakCode(text: string, role: FontRole, size: number, cellWidth: number, fonts: FontSet): string {
  const font = fonts.byRole[role].font;
  const chars = [...text];
  let fit = 1;
  while (fit < chars.length && textWidth(chars.slice(0, fit + 1).join(''), { font, size }) <= cellWidth) fit++;
  // Even pieces (21 digits → 7 + 7 + 7), so no line holds a lone digit.
  const lines = Math.ceil(chars.length / fit);
  const per = Math.ceil(chars.length / lines);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += per) pieces.push(chars.slice(i, i + per).join(''));
  return pieces.join('\n');
}

/**
 * The layout and grid without the columns marked omitIfEmpty that no row fills (the 特定目标类 of a
 * fund that has none): header cells over them narrow, and vanish when they cover nothing else.
 */
function withoutEmptyColumns(layout: TableLayout, grid: GridRow[]): { layout: TableLayout; grid: GridRow[] } {
  const keep = layout.columns.map((column, c) => !column.omitIfEmpty || grid.some((row) => row.lines.some((line) => line[c]!.text !== '')));
  if (keep.every(Boolean)) return { layout, grid };
  const keptBefore = (col: number): number => keep.slice(0, col).filter(Boolean).length;
  const header = layout.header.map((row) =>
    row.flatMap((cell) => {
      const colSpan = keep.slice(cell.col, cell.col + cell.colSpan).filter(Boolean).length;
      return colSpan === 0 ? [] : [{ ...cell, col: keptBefore(cell.col), colSpan }];
    }),
  );
  const kept = <T>(cells: T[]): T[] => cells.filter((_, c) => keep[c]);
  return {
    layout: { ...layout, header, columns: kept(layout.columns) },
    grid: grid.map((row) => ({ ...row, lines: row.lines.map(kept), spanned: kept(row.spanned) })),
  };
}

/**
 * No page holds the header and a total row alone: leading 合计 rows go with the header and the
 * row after them (keepWithHeaderRows), trailing ones with the row before them, as one row
 * holding a nested table (rows never break). Without trailing totals, the last two rows stay
 * together, so no row is left alone under a repeated header either.
 */
function keepTotalsWithRows(grid: GridRow[]): { rows: GridRow[]; withHeader: number } {
  let leading = 0;
  while (leading < grid.length && grid[leading]!.total) leading++;
  const withHeader = Math.max(1, Math.min(grid.length, leading + 1));
  let trailing = 0;
  while (trailing < grid.length && grid[grid.length - 1 - trailing]!.total) trailing++;
  const count = trailing > 0 ? trailing + 1 : 2;
  const block = grid.slice(grid.length - count);
  // Rows of several lines (绩效目标表 projects) are no totals; they are kept whole on their own.
  if (grid.length - count < withHeader || block.some((row) => row.lines.length > 1)) return { rows: grid, withHeader };
  const merged: GridRow = { lines: block.flatMap((row) => row.lines), spanned: block[0]!.spanned.map(() => false), total: true };
  return { rows: [...grid.slice(0, grid.length - count), merged], withHeader };
}

/** Lines of text in a cell node made by textCell (a single line node, or stacks of line nodes). */
function lineCount(node: unknown): number {
  const stack = (node as { stack?: unknown[] }).stack;
  return Array.isArray(stack) ? stack.reduce<number>((n, child) => n + lineCount(child), 0) : 1;
}

/**
 * Height of body rows as pdfmake lays them out: each row its tallest cell with its padding and the
 * grid line above it; a row holding a nested table (several lines of one row) the nested rows'
 * (the holder's margin takes back its own padding). An estimate: a rowSpan cell is counted in its first row.
 */
function bodyHeight(rows: TableCell[][], size: number, lineHeight: number): number {
  let height = 0;
  for (const row of rows) {
    const nested = row.find((cell): cell is TableCell & { table: { body: TableCell[][] } } => typeof cell === 'object' && cell !== null && 'table' in cell);
    height += nested
      ? bodyHeight(nested.table.body, size, lineHeight)
      : cellHeight(Math.max(...row.map((cell) => lineCount(cell))), size, lineHeight) + LINE_WIDTH;
  }
  return height;
}

/** Height of a table's title and unit line: their lines at their styles' pitch, and their margins. */
function headingHeight(heading: Content[], titleStyle: TextStyleRef, metaStyle: TextStyleRef): number {
  const [title, unit] = heading as unknown as Array<Record<string, unknown> | undefined>;
  const margins = (node: Record<string, unknown> | undefined): number => {
    const m = node?.margin as number[] | undefined;
    return m ? m[1]! + m[3]! : 0;
  };
  let height = lineCount(title) * titleStyle.size * (titleStyle.lineHeight ?? TITLE_LINE_HEIGHT) + margins(title);
  if (unit) height += metaStyle.size * (metaStyle.lineHeight ?? META_LINE_HEIGHT) + margins(unit);
  return height;
}

/** Marks a project row continued from the page before (the name column of its later parts). */
const CONTINUED = '（续）';

function bodyRows(layout: TableLayout, grid: GridRow[], widths: number[], fonts: FontSet, maxRowHeight: number, lineHeight: number): TableCell[][] {
  const { columns, fontSize } = layout;
  const node = (cell: GridCell, c: number): Record<string, unknown> => {
    const column = columns[c]!;
    const text = column.format === 'code' && column.wrap ? breakCode(cell.text, cell.role, fontSize, widths[c]!, fonts) : cell.text;
    return textCell(text, column.format, cell.role, fontSize, widths[c]!, column.align, fonts, lineHeight);
  };
  const height = (cell: Record<string, unknown>): number => cellHeight(lineCount(cell), fontSize, lineHeight);
  const out: TableCell[][] = [];
  for (const row of grid) {
    if (row.lines.length === 1) {
      out.push(row.lines[0]!.map((cell, c) => node(cell, c) as TableCell));
      continue;
    }
    const cells = row.lines.map((line) => line.map((cell, c) => (row.spanned[c] ? null : node(cell, c))));
    const first = row.lines[0]!.map((cell, c) => (row.spanned[c] ? node(cell, c) : null));
    const continued = continuedCells(row, columns).map((cell, c) => (cell ? node(cell, c) : null));
    const lines = {
      heights: cells.map((line) => Math.max(0, ...line.map((cell) => (cell ? height(cell) : 0)))),
      gap: LINE_WIDTH,
      floor: Math.max(0, ...[...first, ...continued].map((cell) => (cell ? height(cell) : 0))),
    };
    // A row taller than a page would not be printed at all: it goes on in parts, each on a page.
    splitRow(lines, maxRowHeight - LINE_WIDTH).forEach(([from, to], part) => {
      const spannedCells = part === 0 ? first : continued;
      out.push(spannedRow(cells.slice(from, to), spannedCells, widths));
    });
  }
  return out;
}

/**
 * What a later part of a split row shows in the columns that span all its lines: the code and the
 * name marked（续）, so the page tells whose indicators go on; no amounts, so none is counted twice.
 */
function continuedCells(row: GridRow, columns: ColumnLayout[]): Array<GridCell | null> {
  let marked = false;
  return row.lines[0]!.map((cell, c) => {
    if (!row.spanned[c]) return null;
    const format = columns[c]!.format;
    if (format === 'amount') return { ...cell, text: '' };
    if (format === 'text' && !marked && cell.text !== '') {
      marked = true;
      return { ...cell, text: `${cell.text}${CONTINUED}` };
    }
    return cell;
  });
}

/**
 * One outer row for lines of a row: `spanned` cells (non-null) over all of them. Several lines
 * make one outer cell over all columns holding a nested table with the same columns.
 */
function spannedRow(lines: Array<Array<Record<string, unknown> | null>>, spanned: Array<Record<string, unknown> | null>, widths: number[]): TableCell[] {
  const pick = (k: number, c: number): Record<string, unknown> => (spanned[c] ?? lines[k]![c])!;
  if (lines.length === 1) return lines[0]!.map((_, c) => pick(0, c) as TableCell);
  const nested: TableCell[][] = lines.map((line, k) =>
    line.map((_, c): TableCell => {
      if (!spanned[c]) return pick(k, c) as TableCell;
      return k === 0 ? ({ ...spanned[c], rowSpan: lines.length } as TableCell) : '';
    }),
  );
  const holder = {
    colSpan: widths.length,
    // The nested table covers the cell's padding, so its columns line up with the header's.
    margin: [-PAD_X, -PAD_Y, -PAD_X, -PAD_Y],
    layout: TABLE_GRID_INNER,
    table: { widths: [...widths], body: nested },
  } as unknown as TableCell;
  return [holder, ...new Array<TableCell>(widths.length - 1).fill('')];
}

/** Space between the 单位名称 and the 单位：万元 of the line under a table's title. */
const UNIT_LINE_GAP = 12;

/**
 * "单位名称：…" at the left, "单位：万元" at the right, set by typography like every other text:
 * a long unit name breaks into lines within its column instead of running into the amount unit.
 */
function unitLine(layout: TableLayout, views: Views, style: TextStyleRef, pageWidth: number, fonts: FontSet): Content {
  const spec = { fonts, role: style.role, size: style.size, lineHeight: style.lineHeight ?? META_LINE_HEIGHT };
  const right = layout.amountUnitLine ? `单位：${views.amountUnit}` : '';
  const rightWidth = right ? textWidth(right, { font: fonts.byRole[style.role].font, size: style.size }) + 0.01 : 0;
  const left = layout.unitLineLabel !== null ? `${layout.unitLineLabel}：${views.unitLine}` : '';
  const leftWidth = pageWidth - rightWidth - (right ? UNIT_LINE_GAP : 0);
  return {
    columns: [
      { width: leftWidth, ...(cellTextNode(left, { ...spec, width: leftWidth }) as object) },
      { width: rightWidth, ...(cellTextNode(right, { ...spec, width: rightWidth, align: 'right' }) as object) },
    ],
    columnGap: right ? UNIT_LINE_GAP : 0,
    margin: [0, 6, 0, 4],
  } as Content;
}

function fillPlaceholders(text: string, at: string, values: Record<string, string>, fail: Fail): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    if (!Object.hasOwn(values, name)) fail('layout.placeholder', at, unknownPlaceholderMessage(name, Object.keys(values)));
    return values[name]!;
  });
}

function isNonZero(cell: Cell | undefined): boolean {
  return Decimal.isDecimal(cell) && !(cell as Decimal).isZero();
}

/** Builds one table of the publication from its layout and the budget's views. */
export function buildTable(full: TableLayout, views: Views, options: TableBuildOptions): BuiltTable {
  const fail = failer(full);
  const { fonts } = options;
  const titleStyle = options.titleStyle ?? { role: 'title', size: 16 };
  const metaStyle = options.metaStyle ?? { role: 'body', size: 10.5 };
  const values: Record<string, string> = {
    year: String(views.year),
    unitLine: views.unitLine,
    amountUnit: views.amountUnit,
    ...options.placeholders,
  };

  let fullGrid: GridRow[];
  let emptyList = false;
  if (full.body.kind === 'list') {
    const rows = rowsOf(views, full.body.list, full.body.classSubtotals);
    fullGrid = listGrid(full, rows, full.body.list, fail);
    // Empty: no line, or none with an amount in the columns printed (a 三公 row of zeros: 无“三公”经费).
    const amountKeys = full.columns.flatMap((c) => (c.format === 'amount' && c.binding.kind === 'key' ? [c.binding.key] : []));
    emptyList = !rows.some((row) => row.kind === 'line' && (amountKeys.length === 0 || amountKeys.some((k) => isNonZero(row.cells[k]))));
  } else {
    fullGrid = sidesGrid(full, full.body.sides, views, fail);
  }
  const { layout, grid } = withoutEmptyColumns(full, fullGrid);
  const header = layout.header.map((row) => row.map((cell) => ({ ...cell, text: fillPlaceholders(cell.text, cell.path, values, fail) })));
  const resolved: TableLayout = { ...layout, header };

  const metrics: Metrics = { fonts, bodySize: layout.fontSize, headerSize: layout.headerFontSize };
  const textWidths = { portrait: options.portraitWidth, landscape: options.landscapeWidth };
  const needs = columnNeedsThatFit(resolved, grid, metrics, textWidths);
  const title = fillPlaceholders(layout.title, 'title', values, fail);
  // Every page of the table repeats the header rows above its body rows.
  const kept = keepTotalsWithRows(grid);

  const amounts = layout.columns.flatMap((c, i) => (c.format === 'amount' ? [i] : []));

  /** The table set on pages of one orientation, with the column needs given. */
  const setOn = (orientation: Orientation, columnNeeds: ColumnNeeds[]) => {
    const pageWidth = textWidths[orientation];
    const widths = distribute(columnNeeds, layout.columns.map((c) => c.weight), pageWidth - tableWidth(layout.columns.map(() => 0)), amounts).map(
      (w) => Math.floor(w * 100) / 100,
    );
    const heading: Content[] = [
      titleNode(title, {
        fonts, role: titleStyle.role, size: titleStyle.size, width: pageWidth, lineHeight: titleStyle.lineHeight ?? TITLE_LINE_HEIGHT, phrases: options.phrases,
        ...(options.anchor ? { firstLine: options.anchor } : {}),
      }),
    ];
    if (layout.unitLineLabel !== null || layout.amountUnitLine) heading.push(unitLine(layout, views, metaStyle, pageWidth, fonts));
    const pageHeight = orientation === 'portrait' ? options.portraitHeight : options.landscapeHeight;
    const rowsAt = (lineHeight: number) => {
      const head = headerRows(resolved, widths, fonts, lineHeight);
      const body = bodyRows(layout, kept.rows, widths, fonts, pageHeight - head.height - ROW_HEIGHT_SLACK, lineHeight);
      return { head, body, height: head.height + bodyHeight(body, layout.fontSize, lineHeight) };
    };
    // A table that would leave a few rows to a page of their own is set a little tighter, if that keeps
    // it on one page. No room is kept in hand: the estimate is within a few pt (the reference's
    // 经济分类汇总表 fills its page to 0.4 pt), and a wrong guess costs only a denser table, or the
    // rows left over that there were without it.
    const room = pageHeight - headingHeight(heading, titleStyle, metaStyle);
    let rows = rowsAt(CELL_LINE_HEIGHT);
    // Only text lines get tighter, not padding: beyond that ratio the tighter table cannot fit either.
    if (rows.height > room && rows.height * (CELL_LINE_HEIGHT_TIGHT / CELL_LINE_HEIGHT) <= room) {
      const tight = rowsAt(CELL_LINE_HEIGHT_TIGHT);
      if (tight.height <= room) rows = tight;
    }
    // Pages it takes, near enough to compare two orientations: later pages repeat the header.
    const pages = rows.height <= room ? 1 : 1 + Math.ceil((rows.height - room) / Math.max(1, pageHeight - rows.head.height));
    return { orientation, pageWidth, widths, heading, rows, pages };
  };

  let set = setOn(chooseOrientation(layout, needs, textWidths, fail), needs);
  // Too wide for portrait only because its names are kept whole: in portrait with names of more
  // than six characters wrapping, if that takes fewer pages (a 财政拨款收支表 with four-digit
  // amounts: one portrait page, not two landscape ones).
  if (layout.orientation === 'auto' && set.orientation === 'landscape') {
    const shortNamesOnly = { ...resolved, columns: resolved.columns.map((c) => ({ ...c, minChars: Math.min(c.minChars, SHORT_WORD_EM) })) };
    const narrower = columnNeeds(shortNamesOnly, grid, metrics, SHORT_WORD_EM);
    if (tableWidth(narrower.map((n) => n.min)) <= textWidths.portrait) {
      const portrait = setOn('portrait', narrower);
      if (portrait.pages < set.pages) set = portrait;
    }
  }
  const { orientation, pageWidth, widths, heading, rows } = set;

  const node = {
    table: {
      headerRows: layout.header.length,
      keepWithHeaderRows: kept.withHeader,
      dontBreakRows: true,
      widths,
      body: [...rows.head.rows, ...rows.body],
    },
    layout: TABLE_GRID,
  } as Content;

  const notes: Content[] = [];
  const note = (field: TableNoteField): void => {
    const standard = layout[field];
    if (standard === null) return;
    // The unit's own wording (texts: { "<id>.footnote": … }) is used as written, like a narrative override.
    const text = views.texts[noteTextId(layout.id, field)] ?? fillPlaceholders(standard, field, values, fail);
    const paragraph = paragraphNode(text, {
      fonts, role: metaStyle.role, size: metaStyle.size, width: pageWidth, indentChars: 0, lineHeight: metaStyle.lineHeight ?? META_LINE_HEIGHT,
    });
    notes.push({ stack: [paragraph], margin: [0, 6, 0, 0] } as Content);
  };
  if (emptyList) note('emptyNote');
  note('footnote');

  return { id: layout.id, title, orientation, heading, node, notes, content: [...heading, node, ...notes], widths };
}
