/**
 * The attached tables of a publication as data to compare: each table (report.yaml order)
 * as rows with a stable key and a readable label, each row as cells named by their column
 * header and holding the text the table prints. A reviewer compares what the publication
 * shows, so a cell is its printed text (126.22; empty for a null or a zero), not the model value.
 */
import { Decimal } from '../budget/decimal.js';
import type { Budget } from '../budget/model.js';
import { rowsOf, type Cell, type ListName, type ViewRow, type Views } from '../budget/views.js';
import type { NarrativeContext } from '../layout/narrative.js';
import { formatAmount } from '../layout/table.js';
import { PLACEHOLDER, type ColumnLayout, type HeaderCell, type TableLayout, type TableSide } from '../layout/table-layout.js';
import type { TemplateSet } from '../layout/template-set.js';

export interface TableCellEntry {
  /** The column's header label, e.g. 合计, 本年拨款·一般公共预算, 成本指标·全年系统维护费控制. */
  column: string;
  /** As printed; '' for an empty cell. */
  text: string;
}

export interface TableRowEntry {
  /** Identity across versions: a code (项目编码 for projects), or the kind of a fixed row. */
  key: string;
  /** How a reviewer names the row (劳务派遣费, 2010350 事业运行); null for a table's only row. */
  label: string | null;
  cells: TableCellEntry[];
}

export interface TableEntry {
  /** Layout id, e.g. 11-projects. */
  id: string;
  /** The table's name in the 目录, e.g. 项目支出预算表. */
  name: string;
  rows: TableRowEntry[];
}

/** Every attached table of the publication, in report.yaml order. */
export function tableEntries(budget: Budget, views: Views, template: TemplateSet, ctx: NarrativeContext): TableEntry[] {
  const placeholders = tablePlaceholders(budget, views);
  return template.outline.attachments.tables.map((ref) => {
    const name = template.narrative.line(ref.toc, ctx);
    const layout = template.tables.get(ref.id);
    if (!layout) throw new Error(`report.yaml names table ${ref.id}, but tables/${ref.id}.yaml does not exist`);
    const labels = columnLabels(layout.header, layout.columns.length, placeholders);
    const rows =
      layout.body.kind === 'list'
        ? listRows(layout, labels, placeholders, rowsOf(views, layout.body.list, layout.body.classSubtotals), layout.body.list, budget)
        : sideRows(layout, labels, layout.body.sides, views);
    return { id: ref.id, name, rows };
  });
}

/** The values a table layout's `{name}` placeholders take (as in compose.ts). */
export function tablePlaceholders(budget: Budget, views: Views): Record<string, string> {
  return { year: String(views.year), unitLine: views.unitLine, amountUnit: views.amountUnit, unit: budget.unit.name };
}

/** A layout text with its placeholders filled; an unknown placeholder stays as written. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

/** Leaf headers that mean nothing without their group: 小计, 其中：财政拨款. */
const GENERIC_LEAF = /^(小计|其中)/;

/**
 * A label per column: the leaf header text, joined (·) with the header groups above it only
 * where that is needed to tell columns apart — when two labels are equal, or one label is the
 * start of another (一般公共预算 beside 一般公共预算·小计) — or where the leaf is generic.
 */
export function columnLabels(header: HeaderCell[][], columnCount: number, placeholders: Record<string, string>): string[] {
  const cells = header.flat();
  const chains = Array.from({ length: columnCount }, (_, c) =>
    cells
      .filter((h) => h.col <= c && c < h.col + h.colSpan)
      .sort((a, b) => a.row - b.row)
      .map((h) => fillPlaceholders(h.text, placeholders)),
  );
  const depth = chains.map((chain) => (chain.length > 1 && GENERIC_LEAF.test(chain[chain.length - 1]!) ? 2 : 1));
  const label = (c: number) => chains[c]!.slice(-depth[c]!).join('·');
  for (;;) {
    const labels = chains.map((_, c) => label(c));
    const unclear = labels.flatMap((own, c) =>
      depth[c]! < chains[c]!.length && labels.some((other, d) => d !== c && (other === own || other.startsWith(`${own}·`))) ? [c] : [],
    );
    if (unclear.length === 0) return labels;
    for (const c of unclear) depth[c]! += 1;
  }
}

function cellText(value: Cell | undefined, column: ColumnLayout): string {
  if (value === undefined || value === null) return '';
  if (Decimal.isDecimal(value)) return column.format === 'amount' ? formatAmount(value as Decimal, column.showZero) : (value as Decimal).toString();
  return value;
}

function listRows(
  layout: TableLayout,
  labels: string[],
  placeholders: Record<string, string>,
  rows: ViewRow[],
  list: ListName,
  budget: Budget,
): TableRowEntry[] {
  const identify = rowIdentity(list, rows, budget);
  const indicatorColumns = indicatorGroups(layout, placeholders);
  const entries = rows.map((row): TableRowEntry => {
    const cells: TableCellEntry[] = [];
    layout.columns.forEach((column, c) => {
      if (column.binding.kind === 'key') cells.push({ column: labels[c]!, text: cellText(row.cells[column.binding.key], column) });
    });
    cells.push(...indicatorCells(row, indicatorColumns));
    return { ...identify(row), cells };
  });
  return withUniqueKeys(entries);
}

/** Performance indicators: one cell per indicator, named by its group and its 三级指标, holding its 指标值. */
function indicatorCells(row: ViewRow, groups: IndicatorGroup[]): TableCellEntry[] {
  if (!row.group) return [];
  const cells: TableCellEntry[] = [];
  for (const group of groups) {
    const seen = new Map<string, number>();
    for (const indicator of row.group[group.kind]) {
      const n = (seen.get(indicator.name) ?? 0) + 1;
      seen.set(indicator.name, n);
      const column = `${group.label}·${indicator.name}${n > 1 ? `（${n}）` : ''}`;
      cells.push({ column, text: group.showsValue ? indicator.value : indicator.name });
    }
  }
  return cells;
}

interface IndicatorGroup {
  kind: keyof NonNullable<ViewRow['group']>;
  /** The header above the group's columns, e.g. 成本指标. */
  label: string;
  showsValue: boolean;
}

function indicatorGroups(layout: TableLayout, placeholders: Record<string, string>): IndicatorGroup[] {
  const groups: IndicatorGroup[] = [];
  layout.columns.forEach((column, c) => {
    const b = column.binding;
    if (b.kind !== 'indicator' || groups.some((g) => g.kind === b.indicator)) return;
    const showsValue = layout.columns.some((other) => other.binding.kind === 'indicator' && other.binding.indicator === b.indicator && other.binding.part === 'value');
    // The group is the header just above the leaf (成本指标 above 三级指标).
    const chain = layout.header.flat().filter((h) => h.col <= c && c < h.col + h.colSpan).sort((x, y) => x.row - y.row);
    const label = chain.length > 1 ? fillPlaceholders(chain[chain.length - 2]!.text, placeholders) : b.indicator;
    groups.push({ kind: b.indicator, label, showsValue });
  });
  return groups;
}

type RowIdentity = (row: ViewRow) => { key: string; label: string | null };

/**
 * How the rows of each view list are told apart. 合计, the department and the unit rows
 * are keyed by what they are; other rows by their code, so an edited name is a changed
 * cell, not a removed and an added row. Names alone repeat (事业运行 under several 款),
 * so rows with codes are labelled `code name`; projects by name (their codes are 21 digits).
 */
function rowIdentity(list: ListName, rows: ViewRow[], budget: Budget): RowIdentity {
  const department = `${budget.unit.department.code} ${budget.unit.department.name}`;
  const text = (cell: Cell | undefined) => (typeof cell === 'string' ? cell : '');
  const lineOf = (row: ViewRow): { key: string; label: string | null } => {
    const c = row.cells;
    if (list.startsWith('function-lines')) {
      const code = text(c.class_code) + text(c.item_code) + text(c.sub_code);
      return { key: code, label: `${code} ${text(c.name)}` };
    }
    if (list === 'economic-summary') {
      const code = text(c.class_code) + text(c.item_code);
      return { key: code, label: `${code} ${text(c.name)}` };
    }
    if (list === 'basic-economic-lines') return { key: text(c.code), label: `${text(c.code)} ${text(c.name)}` };
    if (list === 'performance') return { key: text(c.code), label: text(c.name) };
    if (list === 'projects') return { key: text(c.name), label: text(c.name) };
    // A list of one unnamed row (三公经费): the row is the table.
    return { key: 'row', label: rows.filter((r) => r.kind === 'line').length === 1 && !c.name ? null : text(c.name) };
  };
  // Project rows are the budget's projects in order; their 项目编码 is not a column of the table.
  const projectCodes = list === 'projects' ? budget.projects.map((p) => ({ code: p.code, name: p.name })) : [];
  let lineIndex = 0;
  return (row) => {
    switch (row.kind) {
      case 'total':
        return { key: 'total', label: '合计' };
      case 'department':
        return { key: 'department', label: department };
      case 'unit':
        return { key: 'unit', label: `${budget.unit.code} ${text(row.cells.name)}` };
      case 'subtotal':
        return { key: `class:${text(row.cells.class_code)}`, label: `${text(row.cells.class_code)} ${text(row.cells.name)}` };
      case 'line': {
        const entry = lineOf(row);
        const project = projectCodes[lineIndex++];
        if (project && project.name === text(row.cells.name)) return { key: `project:${project.code}`, label: entry.label };
        return { key: `line:${entry.key}`, label: entry.label };
      }
    }
  };
}

/** Rows of a two-sided table: each fixed row of each side, with the named figures it shows. */
function sideRows(layout: TableLayout, labels: string[], sides: TableSide[], views: Views): TableRowEntry[] {
  const entries: TableRowEntry[] = [];
  sides.forEach((side, s) => {
    const all = [...side.rows, ...side.totalRows];
    const count = new Map<string, number>();
    for (const row of all) count.set(row.label, (count.get(row.label) ?? 0) + 1);
    let heading: string | null = null;
    for (const row of all) {
      // A label that repeats on a side ((一)一般公共预算拨款 under 本年收入 and 上年结转) is
      // named with the numbered row above it.
      if (HEADING_ROW.test(row.label)) heading = row.label;
      const label = count.get(row.label)! > 1 && heading !== null && heading !== row.label ? `${heading}·${row.label}` : row.label;
      const cells: TableCellEntry[] = [];
      row.figures.forEach((ref, k) => {
        if (ref === null) return;
        const c = side.firstColumn + 1 + k;
        const column = layout.columns[c]!;
        cells.push({ column: labels[c]!, text: formatAmount(views.figures[ref.key] ?? null, row.showZero || column.showZero) });
      });
      if (cells.length > 0) entries.push({ key: `side${s}:${label}`, label, cells });
    }
  });
  return withUniqueKeys(entries);
}

/** 一、本年收入 — a numbered row that heads the rows below it. */
const HEADING_ROW = /^[一二三四五六七八九十]+、/;

/** Keys (and labels) that still repeat get an ordinal, so every row of a table has its own key. */
function withUniqueKeys(rows: TableRowEntry[]): TableRowEntry[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const n = (seen.get(row.key) ?? 0) + 1;
    seen.set(row.key, n);
    if (n === 1) return row;
    return { ...row, key: `${row.key}#${n}`, label: row.label === null ? null : `${row.label}（${n}）` };
  });
}
