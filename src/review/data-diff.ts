/**
 * Compare two data files by what their publications would show, without rendering:
 * the attached tables cell by cell (table › row › column), the sentences of each section,
 * and the headings. Rows are matched by a stable key (a code, 项目编码 for projects, or the
 * kind of a fixed row), cells by their column header, sections by their heading in
 * report.yaml; sentences go through the same line diff as PDF pages, so changed figures
 * are called out.
 */
import type { Budget } from '../budget/model.js';
import { buildViews } from '../budget/views.js';
import { narrativeContext } from '../layout/narrative.js';
import type { TemplateSet } from '../layout/template-set.js';
import type { AffectedPart, DiffChange, DiffLine, FigureChange } from './diff-report.js';
import { align, diffLines, type KeyedLine } from './line-diff.js';
import { tableEntries, type TableCellEntry, type TableEntry, type TableRowEntry } from './table-entries.js';
import { headingLines, sectionEntries, type SectionEntry } from './text-entries.js';

/** The parts of a publication a data diff compares. */
export interface ComparablePublication {
  /** What changes every figure or wording at once: 金额单位：万元, 公开格式：luoyang-2022, 年度：2022. */
  settings: string[];
  tables: TableEntry[];
  sections: SectionEntry[];
  headings: string[];
}

export function comparablePublication(budget: Budget, template: TemplateSet): ComparablePublication {
  const views = buildViews(budget);
  const ctx = narrativeContext(budget);
  return {
    settings: [`金额单位：${budget.amountUnit}`, `公开格式：${template.format}`, `年度：${budget.year}`],
    tables: tableEntries(budget, views, template, ctx),
    sections: sectionEntries(template, ctx),
    headings: headingLines(budget, views, template, ctx),
  };
}

export interface DataDiff {
  /** Tables (report.yaml order), then sections, then headings. */
  changes: DiffChange[];
  /** Table rows and sections (and the headings, as one) that are the same. */
  unchanged: number;
  affected: AffectedPart[];
}

/** Path of the headings-and-titles entry. */
export const HEADINGS = '标题';
/** Path of the settings entry: listed first, since a changed amount unit changes every figure. */
export const SETTINGS = '设置';

export function diffPublications(before: ComparablePublication, after: ComparablePublication): DataDiff {
  const changes: DiffChange[] = [];
  const affected: AffectedPart[] = [];
  let unchanged = 0;
  const touch = (kind: AffectedPart['kind'], name: string, count: number) => {
    if (count > 0) affected.push({ kind, name, changes: count });
  };

  const settingHunks = diffLines(keyed(before.settings), keyed(after.settings));
  if (settingHunks.length > 0) changes.push({ status: 'changed', path: [SETTINGS], hunks: settingHunks });

  for (const [oldTable, newTable] of matchByKey(before.tables, after.tables, (t) => t.id)) {
    const name = (newTable ?? oldTable)!.name;
    const table = diffTable(name, oldTable?.rows ?? [], newTable?.rows ?? []);
    changes.push(...table.changes);
    unchanged += table.unchanged;
    touch('table', name, table.changes.length);
  }

  for (const [oldSection, newSection] of matchByKey(before.sections, after.sections, (s) => s.key)) {
    const path = (newSection ?? oldSection)!.path;
    const change = diffSection(path, oldSection?.sentences ?? [], newSection?.sentences ?? [], oldSection !== undefined, newSection !== undefined);
    if (change) changes.push(change);
    else unchanged++;
    touch('section', path.join(' › '), change ? 1 : 0);
  }

  const headingHunks = diffLines(keyed(before.headings), keyed(after.headings));
  if (headingHunks.length > 0) changes.push({ status: 'changed', path: [HEADINGS], hunks: headingHunks });
  else unchanged++;
  touch('headings', HEADINGS, headingHunks.length > 0 ? 1 : 0);

  return { changes, unchanged, affected };
}

function diffTable(table: string, oldRows: TableRowEntry[], newRows: TableRowEntry[]): { changes: DiffChange[]; unchanged: number } {
  const changes: DiffChange[] = [];
  let unchanged = 0;
  const rowPath = (row: TableRowEntry) => (row.label === null ? [table] : [table, row.label]);
  const position = new Map<TableRowEntry, number>([...oldRows.map((r, i) => [r, i + 1] as const), ...newRows.map((r, i) => [r, i + 1] as const)]);
  // A moved row's place among the body lines, as a reader counts them (合计 and the unit's rows not counted).
  const summaryRow = (r: TableRowEntry) => /^(?:total|department|unit)(?:#\d+)?$/.test(r.key);
  const place = new Map<TableRowEntry, number>();
  for (const rows of [oldRows, newRows]) rows.filter((r) => !summaryRow(r)).forEach((r, i) => place.set(r, i + 1));
  const moved = movedRows(oldRows, newRows);
  for (const [oldRow, newRow] of matchByKey(oldRows, newRows, (r) => r.key)) {
    if (oldRow && newRow) {
      const figures = diffCells(rowPath(newRow), oldRow.cells, newRow.cells);
      // Projects and 经济分类 lines print in the order entered: a row printed elsewhere is a change.
      if (moved.has(newRow.key)) {
        figures.unshift({ old: `第 ${place.get(oldRow)} 行`, new: `第 ${place.get(newRow)} 行`, path: [...rowPath(newRow), '位置'] });
      }
      if (figures.length === 0) unchanged++;
      else changes.push({ status: 'changed', path: rowPath(newRow), hunks: [{ removed: [], added: [], figures }] });
    } else if (newRow) {
      const line: DiffLine = { line: position.get(newRow)!, text: describeCells(newRow.cells) };
      changes.push({ status: 'added', path: rowPath(newRow), hunks: [{ removed: [], added: [line], figures: [] }] });
    } else if (oldRow) {
      const line: DiffLine = { line: position.get(oldRow)!, text: describeCells(oldRow.cells) };
      changes.push({ status: 'removed', path: rowPath(oldRow), hunks: [{ removed: [line], added: [], figures: [] }] });
    }
  }
  return { changes, unchanged };
}

/**
 * Keys of the rows both sides have that print in another order: those outside the longest run
 * of rows that keep their order (two swapped rows: one of them; a row moved up: that row).
 */
function movedRows(oldRows: readonly TableRowEntry[], newRows: readonly TableRowEntry[]): Set<string> {
  const inNew = new Set(newRows.map((r) => r.key));
  const inOld = new Set(oldRows.map((r) => r.key));
  const a = oldRows.map((r) => r.key).filter((k) => inNew.has(k));
  const b = newRows.map((r) => r.key).filter((k) => inOld.has(k));
  if (a.every((k, i) => k === b[i])) return new Set();
  const kept = new Set(align(a.length, b.length, (i, j) => (a[i] === b[j] ? 1 : 0)).flatMap((s) => (s.kind === 'pair' ? [b[s.b]!] : [])));
  return new Set(b.filter((k) => !kept.has(k)));
}

/** Cells whose printed text differs, matched by column; a cell only on one side compares with an empty one. */
function diffCells(rowPath: string[], oldCells: TableCellEntry[], newCells: TableCellEntry[]): FigureChange[] {
  const figures: FigureChange[] = [];
  for (const [oldCell, newCell] of matchByKey(oldCells, newCells, (c) => c.column)) {
    const old = oldCell?.text ?? '';
    const next = newCell?.text ?? '';
    if (old !== next) figures.push({ old, new: next, path: [...rowPath, (newCell ?? oldCell)!.column] });
  }
  return figures;
}

/** An added or removed row in one line: its non-empty cells as 列: 值. */
function describeCells(cells: TableCellEntry[]): string {
  return cells
    .filter((c) => c.text !== '')
    .map((c) => `${c.column}: ${c.text}`)
    .join('；');
}

function diffSection(path: string[], oldSentences: string[], newSentences: string[], inOld: boolean, inNew: boolean): DiffChange | null {
  const hunks = diffLines(keyed(oldSentences), keyed(newSentences));
  if (inOld && inNew && hunks.length === 0) return null;
  if (!inOld) return { status: 'added', path, hunks };
  if (!inNew) return { status: 'removed', path, hunks };
  return { status: 'changed', path, hunks };
}

function keyed(lines: readonly string[]): KeyedLine[] {
  return lines.map((text, i) => ({ line: i + 1, text, key: text }));
}

/**
 * Pairs of items with the same key, in the order of `after`. An item only in `before`
 * comes where it stood there: before the next item both lists share, and before any
 * items only in `after` at that place, so a replaced row reads "removed, then added".
 */
export function matchByKey<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Array<[T | undefined, T | undefined]> {
  const oldIndex = new Map(before.map((item, i) => [key(item), i] as const));
  const newKeys = new Set(after.map(key));
  // For each position of `after`: the old index of the next shared item (before.length if none).
  const nextShared = new Array<number>(after.length + 1).fill(before.length);
  for (let k = after.length - 1; k >= 0; k--) nextShared[k] = oldIndex.get(key(after[k]!)) ?? nextShared[k + 1]!;
  const pairs: Array<[T | undefined, T | undefined]> = [];
  let nextOld = 0;
  const flushOldUpTo = (end: number) => {
    for (; nextOld < end; nextOld++) {
      const item = before[nextOld]!;
      if (!newKeys.has(key(item))) pairs.push([item, undefined]);
    }
  };
  after.forEach((item, k) => {
    const i = oldIndex.get(key(item));
    flushOldUpTo(nextShared[k]!);
    if (i === undefined) {
      pairs.push([undefined, item]);
      return;
    }
    nextOld = Math.max(nextOld, i + 1);
    pairs.push([before[i], item]);
  });
  flushOldUpTo(before.length);
  return pairs;
}
