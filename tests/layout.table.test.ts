/**
 * The table engine: layout files (templates/luoyang-2022/tables/*.yaml) and the pdfmake nodes
 * built from them. Everything but the last test works on the document definition; the last
 * renders all twelve tables and reads the PDF back.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from './support/read-pdf.js';
import { loadBudget } from '../src/budget/load.js';
import type { Indicator } from '../src/budget/model.js';
import { buildViews, FIGURE_NAMES, LIST_CELL_KEYS, type Cell, type IndicatorGroups, type ListName, type ViewRow, type Views } from '../src/budget/views.js';
import { TemplateError } from '../src/layout/report-outline.js';
import { loadTableLayout, loadTableLayouts, type TableLayout } from '../src/layout/table-layout.js';
import { buildTable, formatAmount, TABLE_GRID, TABLE_LAYOUTS, tableWidth, type BuiltTable, type TableBuildOptions } from '../src/layout/table.js';
import { loadFontSet, type FontSet } from '../src/pdf/fonts.js';
import { renderPdf } from '../src/pdf/render.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const tablesDir = path.join(repoRoot, 'templates', 'luoyang-2022', 'tables');
const dataFile = path.join(repoRoot, 'data', 'luolong-zwfwzx-2022.yaml');

/** Text widths of A4 with the reference format's margins (report.yaml). */
const PORTRAIT_MARGINS: [number, number, number, number] = [72, 72, 68, 72];
const LANDSCAPE_MARGINS: [number, number, number, number] = [50, 56, 50, 60];
const PORTRAIT_WIDTH = 595.28 - 72 - 68;
const LANDSCAPE_WIDTH = 841.89 - 50 - 50;
const PORTRAIT_HEIGHT = 841.89 - 72 - 72;
const LANDSCAPE_HEIGHT = 595.28 - 56 - 60;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'budget-pdf-table-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fonts: FontSet;
let layouts: Map<string, TableLayout>;
beforeAll(() => {
  fonts = loadFontSet();
  layouts = loadTableLayouts(tablesDir);
});

function options(extra: Partial<TableBuildOptions> = {}): TableBuildOptions {
  return {
    fonts, portraitWidth: PORTRAIT_WIDTH, landscapeWidth: LANDSCAPE_WIDTH, portraitHeight: PORTRAIT_HEIGHT, landscapeHeight: LANDSCAPE_HEIGHT,
    placeholders: { unit: '洛龙区政务服务中心' }, ...extra,
  };
}

function layout(id: string): TableLayout {
  const found = layouts.get(id);
  if (!found) throw new Error(`no layout ${id}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Hand-made views with the reference publication's figures (a few lines per list)

const d = (text: string): Decimal => new Decimal(text);
const amounts = (keys: string[], values: (string | null)[]): Record<string, Cell> =>
  Object.fromEntries(keys.map((k, i) => [k, values[i] ? d(values[i]!) : null]));

const FUNCTION_AMOUNTS = ['total', 'basic', 'wages', 'family_subsidy', 'goods_services', 'capital', 'project', 'project_operating', 'project_targeted'];
function functionRow(kind: ViewRow['kind'], codes: [string, string, string, string], name: string, values: (string | null)[]): ViewRow {
  const [class_code, item_code, sub_code, unit_code] = codes;
  return { kind, cells: { class_code, item_code, sub_code, unit_code, name, ...amounts(FUNCTION_AMOUNTS, values) } };
}
const FUNCTION_LINES: ViewRow[] = [
  functionRow('total', ['', '', '', ''], '合计', ['866.01', '245.23', '231.55', null, '13.68', null, '620.78', '620.78', null]),
  functionRow('department', ['', '', '', '605'], '洛龙区政务服务中心', ['866.01', '245.23', '231.55', null, '13.68', null, '620.78', '620.78', null]),
  functionRow('line', ['201', '03', '50', ''], '事业运行', ['815.19', '194.41', '183.12', null, '11.29', null, '620.78', '620.78', null]),
  functionRow('line', ['201', '29', '06', ''], '工会事务', ['2.39', '2.39', null, null, '2.39', null, null, null, null]),
  functionRow('line', ['208', '05', '05', ''], '机关事业单位基本养老保险缴费支出', ['18.02', '18.02', '18.02', null, null, null, null, null, null]),
];
const EMPTY_FUND: ViewRow[] = [functionRow('total', ['', '', '', ''], '合计', FUNCTION_AMOUNTS.map(() => null))];

const INCOME_AMOUNTS = [
  'grand_total', 'current_total', 'general_public', 'general_public_appropriation', 'government_fund', 'state_capital', 'special_account',
  'business', 'business_operation', 'higher_subsidy', 'affiliated_remit', 'other', 'carryover_total', 'carryover_general_public',
  'carryover_government_fund', 'carryover_state_capital', 'carryover_special_account', 'carryover_unit_funds',
];
const incomeValues = ['866.01', '866.01', '866.01', '866.01'];

const ECONOMIC_AMOUNTS = [
  'total', 'general_public', 'general_public_appropriation', 'government_fund', 'state_capital', 'carryover', 'special_account',
  'business', 'higher_subsidy', 'affiliated_remit', 'business_operation', 'other',
];
function economicRow(kind: ViewRow['kind'], codes: string[], name: string, gov: string, value: string): ViewRow {
  const [class_code = '', item_code = '', gov_class_code = '', gov_item_code = ''] = codes;
  return { kind, cells: { class_code, item_code, name, gov_class_code, gov_item_code, gov_name: gov, ...amounts(ECONOMIC_AMOUNTS, [value, value, value]) } };
}

const PROJECT_AMOUNTS = ['total', 'general_public', 'government_fund', 'state_capital', 'carryover_general_public', 'carryover_government_fund', 'carryover_state_capital', 'special_account', 'unit_funds'];
function projectRow(kind: ViewRow['kind'], type: string, name: string, unit: string, value: string): ViewRow {
  return { kind, cells: { type, name, unit_name: unit, ...amounts(PROJECT_AMOUNTS, [value, value]) } };
}

const ind = (name: string, value: string): Indicator => ({ name, value });
const noIndicators: IndicatorGroups = { cost: [], output: [], benefit: [], satisfaction: [] };
const FUNDING = ['funding_total', 'funding_government', 'funding_special_account', 'funding_unit'];
function performanceRow(kind: ViewRow['kind'], code: string, name: string, value: string, group: IndicatorGroups): ViewRow {
  return { kind, cells: { code, name, ...amounts(FUNDING, [value, value]) }, group };
}

function fixtureViews(): Views {
  const figures: Record<string, Decimal | null> = {};
  // Every figure a layout binds exists (as views.ts provides them); most are empty.
  for (const l of layouts.values()) {
    if (l.body.kind !== 'sides') continue;
    for (const side of l.body.sides) for (const row of [...side.rows, ...side.totalRows]) for (const ref of row.figures) if (ref) figures[ref.key] = null;
  }
  const set = (values: Record<string, string>): void => {
    for (const [key, value] of Object.entries(values)) figures[key] = d(value);
  };
  set({
    'income.general_public': '866.01', 'income.general_public_appropriation': '866.01', 'income.total': '866.01', 'income.grand_total': '866.01',
    'expense.class.201': '817.58', 'expense.class.208': '18.02', 'expense.class.210': '16.10', 'expense.class.221': '14.31',
    'expense.total': '866.01', 'expense.year_end_carryover': '0', 'expense.grand_total': '866.01',
    'fiscal.income': '866.01', 'fiscal.income_total': '866.01', 'fiscal.expense': '866.01', 'fiscal.expense_total': '866.01',
    'expense.fund.general_public': '866.01', 'expense.class.201.fiscal': '817.58', 'expense.class.201.general_public': '817.58',
  });
  const lists: Record<ListName, ViewRow[]> = {
    'income-units': [
      { kind: 'total', cells: { code: '', name: '合计', ...amounts(INCOME_AMOUNTS, incomeValues) } },
      { kind: 'department', cells: { code: '605', name: '洛龙区政务服务中心', ...amounts(INCOME_AMOUNTS, incomeValues) } },
      { kind: 'unit', cells: { code: '605001', name: '洛龙区政务服务中心', ...amounts(INCOME_AMOUNTS, incomeValues) } },
    ],
    'function-lines': FUNCTION_LINES,
    'function-lines.general_public': FUNCTION_LINES,
    'function-lines.government_fund': EMPTY_FUND,
    'function-lines.state_capital': EMPTY_FUND,
    'basic-economic-lines': [
      { kind: 'total', cells: { code: '合计', name: '', gov_code: '', gov_name: '', total: d('245.23'), personnel: d('231.55'), public: d('13.68') } },
      { kind: 'line', cells: { code: '30199', name: '其他工资福利支出', gov_code: '50501', gov_name: '工资福利支出', total: d('34.16'), personnel: d('34.16'), public: null } },
      { kind: 'line', cells: { code: '30231', name: '公务用车运行维护费', gov_code: '50502', gov_name: '商品和服务支出', total: d('1.5'), personnel: null, public: d('1.5') } },
    ],
    'economic-summary': [
      economicRow('total', [], '合计', '', '866.01'),
      economicRow('department', ['605'], '洛龙区政务服务中心', '', '866.01'),
      economicRow('line', ['301', '99', '505', '01'], '其他工资福利支出', '工资福利支出', '34.16'),
      economicRow('line', ['310', '02', '506', '01'], '办公设备购置', '资本性支出（一）', '133.46'),
    ],
    'three-public': [
      { kind: 'line', cells: { total: d('1.50'), abroad: d('0'), vehicle: d('1.50'), vehicle_purchase: d('0'), vehicle_operation: d('1.50'), reception: d('0') } },
    ],
    projects: [
      projectRow('total', '', '合计', '', '620.78'),
      projectRow('department', '', '605', '洛龙区政务服务中心', '620.78'),
      projectRow('line', '其他运转类', '洛龙智慧政务', '洛龙区政务服务中心', '47.72'),
      projectRow('line', '其他运转类', '网络安全等级评审经费和安全设备采购经费', '洛龙区政务服务中心', '15.00'),
    ],
    performance: [
      performanceRow('total', '', '合计', '620.78', noIndicators),
      performanceRow('unit', '605001', '洛龙区政务服务中心（本级）', '620.78', noIndicators),
      performanceRow('line', '410311220000000009675', '窗口服务专项经费', '60.00', {
        cost: [ind('项目人均支出成本', '<300元'), ind('项目全年支出控制', '≤60万元')],
        output: [ind('保障窗口工作顺利开展，支付及时率', '≥98%'), ind('驻厅窗口工作人员', '205人'), ind('中心服务群众职能实现率', '≥98%')],
        benefit: [ind('有效提升办事群众满意度', '≥98%')],
        satisfaction: [ind('驻厅窗口工作人员满意度', '≥98%')],
      }),
      performanceRow('line', '410311220000000013976', '110联动办经费', '5.00', {
        cost: [ind('全年经费控制在', '≤5万元')], output: [ind('110联动在全市排名', '1-10名')], benefit: [], satisfaction: [ind('群众满意度', '≥98%')],
      }),
    ],
  };
  return { figures, lists, unitLine: '洛龙区政务服务中心（本级）', amountUnit: '万元', year: 2022, texts: {} };
}

/** The fixture views with a project of `outputs` 产出 indicators (far more than a page holds when many). */
function tallProjectViews(outputs: Indicator[]): Views {
  const views = fixtureViews();
  views.lists.performance.push(performanceRow('line', '410311220000000013994', '服务免费项目', '75.00', {
    cost: [ind('免费复印', '≤6万元'), ind('免费邮寄', '≤1万元')], output: outputs, benefit: [ind('有效提升营商环境', '持续提升')], satisfaction: [],
  }));
  return views;
}

const shortOutputs = (n: number): Indicator[] => Array.from({ length: n }, (_, i) => ind(`附加产出指标${i + 1}`, `≥${i + 1}项`));

// ---------------------------------------------------------------------------------------------
// Reading the built nodes

interface TableNode {
  table: { headerRows: number; dontBreakRows: boolean; widths: number[]; body: unknown[][] };
  layout: string;
}

function tableOf(built: BuiltTable): TableNode {
  return built.node as unknown as TableNode;
}

/** The text a cell node shows: its lines joined with \n ('' for span placeholders). */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  const n = node as { text?: unknown; stack?: unknown[]; columns?: unknown[] };
  if (typeof n.text === 'string') return n.text;
  if (Array.isArray(n.text)) return n.text.map(textOf).join('');
  if (n.stack) return n.stack.map(textOf).join('\n');
  if (n.columns) return n.columns.map(textOf).join('\t');
  return '';
}

const flat = (text: string): string => text.replace(/\s+/g, '');

/** Checks pdfmake's span rules on a grid: a position is the '' placeholder exactly when a span covers it. */
function spanProblems(rows: unknown[][], columns: number): string[] {
  const problems: string[] = [];
  const covered = rows.map(() => new Array<boolean>(columns).fill(false));
  rows.forEach((row, r) => {
    if (row.length !== columns) problems.push(`row ${r} has ${row.length} cells, not ${columns}`);
    row.forEach((cell, c) => {
      if (covered[r]![c]) {
        if (cell !== '') problems.push(`row ${r} col ${c} is covered by a span but holds ${JSON.stringify(textOf(cell))}`);
        return;
      }
      if (cell === '') {
        problems.push(`row ${r} col ${c} is a placeholder that no span covers`);
        return;
      }
      const { colSpan = 1, rowSpan = 1 } = cell as { colSpan?: number; rowSpan?: number };
      if (c + colSpan > columns) problems.push(`row ${r} col ${c} colSpan ${colSpan} runs past the last column`);
      if (r + rowSpan > rows.length) problems.push(`row ${r} col ${c} rowSpan ${rowSpan} runs past the last row`);
      for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) if (dr || dc) if (covered[r + dr]) covered[r + dr]![c + dc] = true;
    });
  });
  return problems;
}

/** Header labels of a grid row, left to right, with the columns each starts at. */
function headerRow(built: BuiltTable, r: number): { text: string; col: number; colSpan: number; rowSpan: number }[] {
  return tableOf(built).table.body[r]!.flatMap((cell, col) => {
    if (cell === '') return [];
    const { colSpan = 1, rowSpan = 1 } = cell as { colSpan?: number; rowSpan?: number };
    return [{ text: flat(textOf(cell)), col, colSpan, rowSpan }];
  });
}

/** The body row (after the header) whose cells include `label`, as flat texts. */
/** The body rows as a reader sees them: rows kept together are the rows of a nested table in one outer row. */
function bodyLines(built: BuiltTable): unknown[][] {
  const t = tableOf(built).table;
  return t.body.slice(t.headerRows).flatMap((cells) => (cells[0] as { table?: { body: unknown[][] } }).table?.body ?? [cells]);
}

function bodyRowWith(built: BuiltTable, label: string): string[] {
  const rows = bodyLines(built);
  const row = rows.find((cells) => cells.some((cell) => flat(textOf(cell)) === label));
  if (!row) throw new Error(`no body row with ${label}`);
  return row.map((cell) => flat(textOf(cell)));
}

function writeLayout(name: string, lines: string[]): string {
  const file = path.join(tmp, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function templateError(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

// ---------------------------------------------------------------------------------------------

describe('layout files', () => {
  it('the reference format has the twelve tables', () => {
    expect([...layouts.keys()]).toEqual([
      '01-income-expense', '02-income', '03-expense', '04-fiscal', '05-general-public', '06-general-public-basic',
      '07-economic-summary', '08-three-public', '09-government-fund', '10-state-capital', '11-projects', '12-performance',
    ]);
  });

  it('gives every table of the reference data as many columns as the reference publication’s', () => {
    // The reference text (tests/fixtures) has each table's grid as tab-separated rows; a row continued
    // over a page break carries one empty cell more, so the narrowest row is the table's width.
    const lines = readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'reference-2022.txt'), 'utf8').split('\n');
    const widths: number[] = [];
    for (const line of lines.slice(lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim().startsWith('附件')) + 1)) {
      if (/^\d{4}年.+表$/.test(flat(line))) widths.push(Infinity);
      else if (line.includes('\t') && widths.length > 0) widths[widths.length - 1] = Math.min(widths.at(-1)!, line.split('\t').length);
    }
    const loaded = loadBudget(dataFile);
    const views = buildViews(loaded.budget!);
    const built = [...layouts.values()].map((l) => buildTable(l, views, options({ placeholders: { unit: loaded.budget!.unit.name } })));
    expect(built.map((b) => tableOf(b).table.widths.length)).toEqual(widths);
    // 政府性基金 and 国有资本经营 have no 特定目标类 column, as in the reference, when no line fills it.
    for (const b of built.filter((t) => ['09-government-fund', '10-state-capital'].includes(t.id))) {
      expect(headerRow(b, 1).map((c) => c.text)).toEqual(['类', '款', '项', '小计', '人员经费', '公用经费', '小计', '其他运转类']);
      expect(headerRow(b, 0).find((c) => c.text === '项目支出')).toMatchObject({ col: 11, colSpan: 2 });
      const t = tableOf(b).table;
      expect(spanProblems(t.body.slice(0, t.headerRows), 13)).toEqual([]);
    }
  });

  it('refuses omitIfEmpty on a two-sided table, whose columns its fixed rows fill', () => {
    const file = writeLayout('omit-sides.yaml', [
      'title: 表', 'header: [[收入, 金额, 支出, 金额]]', 'columns:',
      '  - { format: text }', '  - { format: amount, omitIfEmpty: true }', '  - { format: text }', '  - { format: amount }',
      'sides:', '  - { columns: 2, rows: [{ label: 收入, figures: [income.total] }] }', '  - { columns: 2, rows: [{ label: 支出, figures: [expense.total] }] }',
    ]);
    const error = templateError(() => loadTableLayout(file));
    expect(error.findings[0]).toMatchObject({ rule: 'layout.column-option', loc: { file, line: 5 } });
  });

  it('prints the 特定目标类 column of the 政府性基金 table when a line has such spending', () => {
    const views = fixtureViews();
    const line = functionRow('line', ['212', '08', '03', ''], '城市建设支出', ['1715.96', null, null, null, null, null, '1715.96', null, '1715.96']);
    views.lists['function-lines.government_fund'] = [{ ...line, kind: 'total', cells: { ...line.cells, class_code: '', item_code: '', sub_code: '', name: '合计' } }, line];
    const built = buildTable(layout('09-government-fund'), views, options());
    expect(tableOf(built).table.widths).toHaveLength(14);
    expect(headerRow(built, 1).map((c) => c.text).slice(-2)).toEqual(['其他运转类', '特定目标类']);
    expect(bodyRowWith(built, '城市建设支出').slice(-3)).toEqual(['1715.96', '', '1715.96']);
  });

  it('places header cells on the grid around rowSpans from above', () => {
    const l = layout('03-expense');
    expect(l.columns).toHaveLength(14);
    expect(l.header[1]!.map((c) => [c.text, c.col])).toEqual([
      ['类', 0], ['款', 1], ['项', 2], ['小计', 6], ['人员经费', 7], ['公用经费', 9], ['小计', 11], ['其他运转类', 12], ['特定目标类', 13],
    ]);
    expect(l.header[2]!.map((c) => [c.text, c.col])).toEqual([['工资福利支出', 7], ['对个人和家庭的补助', 8], ['商品和服务支出', 9], ['资本性支出', 10]]);
  });

  it('reports a header row that does not fill the columns, with file and line', () => {
    const file = writeLayout('short-header.yaml', [
      'title: "{year}年表"',
      'header:',
      '  - [{ text: 收入, colSpan: 2 }, 支出]',
      '  - [项目, 金额]',
      'columns:',
      '  - { key: name, format: text }',
      '  - { key: total, format: amount }',
      '  - { key: other, format: amount }',
      'list: economic-summary',
    ]);
    const error = templateError(() => loadTableLayout(file));
    expect(error.findings).toHaveLength(1);
    expect(error.findings[0]).toMatchObject({ rule: 'layout.header-width', loc: { file, line: 4 } });
    expect(error.findings[0]!.message).toContain('占 2 列，表格有 3 列');
  });

  /** The first four lines of a two-sided layout (收 | 支), so the lines a case adds keep their numbers (5 on). */
  const TWO_SIDED_HEAD = [
    'title: 表',
    'header: [[收, 金额, 支, 金额]]',
    'columns: [{ format: text }, { format: amount }, { format: text }, { format: amount }]',
    'sides:',
  ];

  it('reports overlapping spans, unknown lists and misaligned total rows', () => {
    const overlap = writeLayout('overlap.yaml', [
      'title: 表',
      'header:',
      '  - [{ text: 甲, rowSpan: 2 }, 乙]',
      '  - [{ text: 丙, colSpan: 2 }]',
      'columns: [{ key: a, format: text }, { key: b, format: amount }]',
      'list: three-public',
    ]);
    expect(templateError(() => loadTableLayout(overlap)).findings.map((f) => [f.rule, f.loc?.line])).toContainEqual(['layout.header-width', 4]);

    const unknownList = writeLayout('unknown-list.yaml', [
      'title: 表', 'header: [[甲]]', 'columns: [{ key: a, format: text }]', 'list: function-line',
    ]);
    const listError = templateError(() => loadTableLayout(unknownList));
    expect(listError.findings[0]).toMatchObject({ rule: 'schema.enum', loc: { line: 4 } });
    expect(listError.findings[0]!.message).toContain('function-lines');

    const totals = writeLayout('totals.yaml', [
      ...TWO_SIDED_HEAD,
      '  - columns: 2',
      '    rows: [{ label: 一、甲, figures: [income.general_public] }]',
      '    totalRows: [{ label: 合计, figures: [income.total] }]',
      '  - columns: 2',
      '    rows: [{ label: 一、乙, figures: [expense.total] }]',
    ]);
    expect(templateError(() => loadTableLayout(totals)).findings.map((f) => f.rule)).toEqual(['layout.side-totals']);
  });

  it('names the layout line of a figure that the views do not have', () => {
    const file = writeLayout('missing-figure.yaml', [
      ...TWO_SIDED_HEAD,
      '  - columns: 2',
      '    rows: [{ label: 一、甲, figures: [income.general_public] }]',
      '  - columns: 2',
      '    figures: ["expense.class.{code}"]',
      '    rows:',
      '      - { label: 一、乙, code: "999" }',
    ]);
    const error = templateError(() => buildTable(loadTableLayout(file), fixtureViews(), options()));
    expect(error.findings[0]).toMatchObject({ rule: 'layout.unknown-figure', loc: { file, line: 10 } });
    expect(error.findings[0]!.message).toContain('expense.class.999');
  });

  it('refuses a misspelt figure when the layout is loaded, with the nearest name', () => {
    const file = writeLayout('misspelt-figure.yaml', [
      ...TWO_SIDED_HEAD,
      '  - columns: 2',
      '    rows: [{ label: 一、甲, figures: [income.general_publik] }]',
      '  - columns: 2',
      '    rows: [{ label: 一、乙, figures: [expense.total] }]',
    ]);
    const error = templateError(() => loadTableLayout(file));
    expect(error.findings).toHaveLength(1);
    expect(error.findings[0]).toMatchObject({ rule: 'layout.unknown-figure', loc: { file, line: 6 } });
    expect(error.findings[0]!.message).toContain('是否应为“income.general_public”');
  });

  it('shows spending paid from 上年结转 in the carryover columns, not under the year’s income', () => {
    const budget = loadBudget(dataFile).budget!;
    const project = budget.projects.find((p) => p.name === '110联动办公费')!;
    project.fromCarryover = true;
    const line = budget.economicLines.find((l) => l.code === '30231')!; // 公务用车运行维护费 1.50
    line.fromCarryover = true;
    const views = buildViews(budget);
    const amountOf = (cell: Cell | undefined): string => (cell as Decimal).toFixed(2);
    const [projectsTotal] = views.lists.projects;
    expect(amountOf(projectsTotal!.cells.general_public)).toBe('615.78');
    expect(amountOf(projectsTotal!.cells.carryover_general_public)).toBe('5.00');
    const projectRow = views.lists.projects.find((r) => r.cells.name === '110联动办公费')!;
    expect([projectRow.cells.general_public, amountOf(projectRow.cells.carryover_general_public)]).toEqual([null, '5.00']);
    const [economicTotal] = views.lists['economic-summary'];
    expect(amountOf(economicTotal!.cells.general_public)).toBe('864.51');
    expect(amountOf(economicTotal!.cells.carryover)).toBe('1.50');
    expect(amountOf(economicTotal!.cells.total)).toBe('866.01');
  });

  it('prints 0.00 as the 三公 total of a unit with no 三公 spending, rather than an empty row', () => {
    const budget = loadBudget(dataFile).budget!;
    const zero = new Decimal(0);
    budget.threePublic = { ...budget.threePublic, abroad: zero, reception: zero, vehiclePurchase: zero, vehicleOperation: zero };
    const built = buildTable(layout('08-three-public'), buildViews(budget), options());
    const body = tableOf(built).table.body;
    expect(body.at(-1)!.map(textOf)).toEqual(['0.00', '', '', '', '', '']);
    const reference = buildTable(layout('08-three-public'), buildViews(loadBudget(dataFile).budget!), options());
    expect(tableOf(reference).table.body.at(-1)!.map(textOf)).toEqual(['1.50', '', '1.50', '', '1.50', '']);
  });

  it('balances the 财政拨款 table when 事业收入 is what is left over at year end', () => {
    const budget = loadBudget(dataFile).budget!;
    budget.income.business = new Decimal('20.00');
    budget.yearEndCarryover = new Decimal('20.00');
    const { figures } = buildViews(budget);
    expect(figures['fiscal.income_total']!.toFixed(2)).toBe('866.01');
    expect(figures['fiscal.expense_total']!.toFixed(2)).toBe('866.01');
    expect(figures['fiscal.year_end_carryover']!.toFixed(2)).toBe('0.00');
    expect(figures['expense.year_end_carryover']!.toFixed(2)).toBe('20.00'); // the all-money table keeps it
  });

  it('lists 功能分类 lines in code order whatever order the data gives them in', () => {
    const budget = loadBudget(dataFile).budget!;
    const inCodeOrder = (rows: ViewRow[]) => rows.filter((r) => r.kind === 'line').map((r) => `${r.cells.class_code}${r.cells.item_code}${r.cells.sub_code}`);
    const expected = inCodeOrder(buildViews(budget).lists['function-lines']);
    expect(expected).toEqual([...expected].sort());
    budget.functionLines.reverse();
    expect(inCodeOrder(buildViews(budget).lists['function-lines'])).toEqual(expected);
  });

  it('prints a subtotal row above each 类 when a 功能分类 layout asks (classSubtotals), and only then', () => {
    const views = buildViews(loadBudget(dataFile).budget!);
    const source = readFileSync(path.join(repoRoot, 'templates/luoyang-2022/tables/05-general-public.yaml'), 'utf8');
    const file = writeLayout('class-subtotals.yaml', [source.replace('list: function-lines.general_public', 'list: function-lines.general_public\nclassSubtotals: true')]);
    const names = (b: BuiltTable) => {
      const t = tableOf(b).table;
      return t.body.slice(t.headerRows).map((row) => `${textOf(row[0]!)}|${textOf(row[4]!).replace(/\n/g, '')}|${textOf(row[5]!)}`);
    };
    const withSubtotals = names(buildTable(loadTableLayout(file), views, options()));
    expect(withSubtotals.slice(2, 6)).toEqual(['201|一般公共服务支出|817.58', '201|事业运行|815.19', '201|工会事务|2.39', '208|社会保障和就业支出|18.02']);
    expect(names(buildTable(layout('05-general-public'), views, options())).some((r) => r.includes('一般公共服务支出'))).toBe(false);
    const wrong = writeLayout('class-subtotals-wrong.yaml', [source.replace('list: function-lines.general_public', 'list: projects\nclassSubtotals: true')]);
    expect(templateError(() => loadTableLayout(wrong)).findings.map((f) => f.rule)).toContain('layout.class-subtotals');
  });

  it('splits each 功能分类 row by the fund that pays it, for a table of income by 科目', () => {
    const budget = loadBudget(dataFile).budget!;
    budget.functionLines = budget.functionLines.map((l) => (l.code === '2012906' ? { ...l, fund: 'government_fund' as const } : l));
    const rows = buildViews(budget).lists['function-lines'];
    const shown = (code: string, key: string) => (rows.find((r) => r.cells.code === code)!.cells[key] as Decimal | null)?.toFixed(2) ?? null;
    expect([shown('2012906', 'government_fund'), shown('2012906', 'general_public'), shown('2010350', 'general_public')]).toEqual(['2.39', null, '815.19']);
    const total = rows.find((r) => r.kind === 'total')!.cells;
    expect([(total.general_public as Decimal).toFixed(2), (total.government_fund as Decimal).toFixed(2)]).toEqual(['863.62', '2.39']);
  });

  it('gives the 三公 row the prior year beside this year, for a format that prints both', () => {
    const [row] = buildViews(loadBudget(dataFile).budget!).lists['three-public'];
    const shown = (key: string) => (row!.cells[key] as Decimal | null)?.toFixed(2) ?? null;
    expect(['total', 'vehicle_operation', 'prior_total', 'prior_vehicle_operation', 'prior_abroad'].map(shown)).toEqual(['1.50', '1.50', '1.20', '1.20', '0.00']);
  });

  it('knows exactly the figure names the views build', () => {
    expect([...FIGURE_NAMES].sort()).toEqual(Object.keys(buildViews(loadBudget(dataFile).budget!).figures).sort());
  });

  it('reports a header cell past the last column once, not also as a short row', () => {
    const file = writeLayout('wide-span.yaml', [
      'title: 表', 'header:', '  - [合计, { text: 车辆, colSpan: 3 }]', '  - [甲, 乙]',
      'columns: [{ key: total, format: amount }, { key: abroad, format: amount }, { key: reception, format: amount }]', 'list: three-public',
    ]);
    expect(templateError(() => loadTableLayout(file)).findings.map((f) => [f.rule, f.loc?.line])).toEqual([['layout.header-width', 3], ['layout.header-width', 4]]);
  });

  it('names the column of a key that the view rows do not have', () => {
    const file = writeLayout('missing-key.yaml', [
      'title: 表', 'header: [[合计, 出国]]', 'columns:', '  - { key: total, format: amount }', '  - { key: abroad_fee, format: amount }', 'list: three-public',
    ]);
    const error = templateError(() => buildTable(loadTableLayout(file), fixtureViews(), options()));
    expect(error.findings[0]).toMatchObject({ rule: 'layout.unknown-key', loc: { line: 5 } });
    expect(error.findings[0]!.message).toContain('abroad_fee');
  });
});

describe('column keys', () => {
  it('refuses a key the view list does not have when the layout loads, naming file, line, key and the nearest key', () => {
    const file = writeLayout('misspelt-key.yaml', [
      'title: 表', 'header: [[编码, 名称, 资金总额]]', 'columns:',
      '  - { key: code, format: code }', '  - { key: name, format: text }', '  - { key: funding_totl, format: amount }', 'list: performance',
    ]);
    const error = templateError(() => loadTableLayout(file));
    expect(error.findings).toHaveLength(1);
    expect(error.findings[0]).toMatchObject({ rule: 'layout.unknown-key', severity: 'error', loc: { file, line: 6 } });
    expect(error.findings[0]!.message).toContain('funding_totl');
    expect(error.findings[0]!.message).toContain('是否应为“funding_total”');
  });

  it('lists for each view list exactly the keys its rows have', () => {
    const views = buildViews(loadBudget(dataFile).budget!);
    for (const name of Object.keys(views.lists) as ListName[]) {
      for (const row of views.lists[name]) expect(Object.keys(row.cells).sort(), `${name} ${row.kind}`).toEqual([...LIST_CELL_KEYS[name]].sort());
    }
  });

  it('makes render exit 2 with the layout file, line and key, and no stack trace', () => {
    const templates = path.join(tmp, 'format-with-misspelt-key');
    cpSync(path.join(repoRoot, 'templates', 'luoyang-2022'), templates, { recursive: true });
    const layoutFile = path.join(templates, 'tables', '12-performance.yaml');
    writeFileSync(layoutFile, readFileSync(layoutFile, 'utf8').replace('{ key: funding_total,', '{ key: funding_totl,'));
    const data = path.join(tmp, 'misspelt-key.yaml');
    writeFileSync(data, readFileSync(dataFile, 'utf8').replace(/^format: .*$/m, `format: ${templates}`));
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'budget-pdf.js'), 'render', data, '-o', path.join(tmp, 'misspelt-key.pdf')], { encoding: 'utf8' });
    const out = run.stdout + run.stderr;
    expect(run.status, out).toBe(2);
    expect(out).toMatch(new RegExp(`${layoutFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ +layout\\.unknown-key .*funding_totl`));
    expect(out).not.toContain('程序出错');
    expect(out).not.toMatch(/^\s+at /m);
  });
});

describe('spans', () => {
  it('every row of every table fills the columns, and span placeholders are exactly where spans reach', () => {
    const views = fixtureViews();
    for (const l of layouts.values()) {
      const built = buildTable(l, views, options());
      const t = tableOf(built).table;
      // Columns left out when empty (omitIfEmpty) are not in the table at all.
      const columns = l.columns.filter((c) => !c.omitIfEmpty).length;
      expect(t.widths.length, l.id).toBeGreaterThanOrEqual(columns);
      expect(t.widths.length, l.id).toBeLessThanOrEqual(l.columns.length);
      expect(spanProblems(t.body.slice(0, t.headerRows), t.widths.length), `${l.id} header`).toEqual([]);
      expect(spanProblems(t.body.slice(t.headerRows), t.widths.length), `${l.id} body`).toEqual([]);
      expect(t.headerRows, l.id).toBe(l.header.length);
      expect(t.dontBreakRows, l.id).toBe(true);
      expect(tableOf(built).layout).toBe(TABLE_GRID);
    }
  });

  it('builds the 单位收入预算表 header as the reference: three rows over twenty columns', () => {
    const built = buildTable(layout('02-income'), fixtureViews(), options());
    expect(headerRow(built, 0)).toEqual([
      { text: '部门(单位)代码', col: 0, colSpan: 1, rowSpan: 3 },
      { text: '部门(单位)名称', col: 1, colSpan: 1, rowSpan: 3 },
      { text: '总计', col: 2, colSpan: 1, rowSpan: 3 },
      { text: '本年收入', col: 3, colSpan: 11, rowSpan: 1 },
      { text: '上年结转结余', col: 14, colSpan: 6, rowSpan: 1 },
    ]);
    expect(headerRow(built, 1).slice(0, 3)).toEqual([
      { text: '合计', col: 3, colSpan: 1, rowSpan: 2 },
      { text: '一般公共预算', col: 4, colSpan: 2, rowSpan: 1 },
      { text: '政府性基金', col: 6, colSpan: 1, rowSpan: 2 },
    ]);
    expect(headerRow(built, 2)).toEqual([
      { text: '小计', col: 4, colSpan: 1, rowSpan: 1 },
      { text: '其中：财政拨款', col: 5, colSpan: 1, rowSpan: 1 },
    ]);
  });

  it('centres header texts down their cells with a computed margin, not pdfmake middle alignment', () => {
    const built = buildTable(layout('03-expense'), fixtureViews(), options());
    const header = tableOf(built).table.body.slice(0, 3).flat().filter((c) => c !== '') as Record<string, unknown>[];
    expect(header.some((c) => 'verticalAlignment' in c)).toBe(false);
    const code = header.find((c) => flat(textOf(c)) === '单位代码')!;
    const [, top] = code.margin as number[];
    expect(top).toBeGreaterThan(5); // three header rows tall, two lines of text
  });

  it('puts each project of the 绩效目标表 in one body row: a nested table with its indicator lines', () => {
    const built = buildTable(layout('12-performance'), fixtureViews(), options());
    const t = tableOf(built).table;
    const body = t.body.slice(t.headerRows);
    expect(body).toHaveLength(4);
    // No rowSpan in the outer body: a merged cell straddling a page break loses its text.
    for (const row of body) for (const cell of row) expect((cell as { rowSpan?: number }).rowSpan ?? 1).toBe(1);

    const holder = body[2]![0] as { colSpan: number; table: { widths: number[]; body: unknown[][] }; layout: string };
    expect(holder.colSpan).toBe(14);
    expect(holder.table.widths).toEqual(t.widths);
    expect(holder.table.body).toHaveLength(3); // three 产出 indicators
    expect(spanProblems(holder.table.body, 14)).toEqual([]);
    const first = holder.table.body[0]!.map((c) => flat(textOf(c)));
    expect(first.slice(0, 4)).toEqual(['410311220000000009675', '窗口服务专项经费', '60.00', '60.00']);
    expect(first.slice(6)).toEqual(['项目人均支出成本', '<300元', '保障窗口工作顺利开展，支付及时率', '≥98%', '有效提升办事群众满意度', '≥98%', '驻厅窗口工作人员满意度', '≥98%']);
    expect((holder.table.body[0]![1] as { rowSpan: number }).rowSpan).toBe(3);
    expect(holder.table.body[2]!.map((c) => flat(textOf(c))).slice(8, 10)).toEqual(['中心服务群众职能实现率', '≥98%']);
    // The 21-digit project code is cut into even pieces, never a lone digit on a line.
    const codeLines = textOf(holder.table.body[0]![0]).split('\n');
    expect(codeLines.join('')).toBe('410311220000000009675');
    const lengths = codeLines.map((l) => l.length);
    expect(codeLines.length).toBeGreaterThan(1);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);

    // A project with one line per indicator kind needs no nested table.
    expect(body[3]!.map((c) => flat(textOf(c)))).toEqual([
      '410311220000000013976', '110联动办经费', '5.00', '5.00', '', '', '全年经费控制在', '≤5万元', '110联动在全市排名', '1-10名', '', '', '群众满意度', '≥98%',
    ]);
  });
});

describe('rows taller than a page', () => {
  /** Each outer body row of the 绩效目标表 with the texts of its lines (one line per nested row). */
  function projectParts(built: BuiltTable): string[][][] {
    return nestedBodies(built).map((lines) => lines.map((line) => line.map((cell) => flat(textOf(cell)))));
  }
  /** Each outer body row as the rows of cells it shows: a nested table's rows, or the row itself. */
  function nestedBodies(built: BuiltTable): unknown[][][] {
    const t = tableOf(built).table;
    return t.body.slice(t.headerRows).map((row) => (row[0] as { table?: { body: unknown[][] } }).table?.body ?? [row]);
  }

  it('splits a project too tall for a page into parts: the first with the amounts, the later ones marked （续）', () => {
    const outputs = shortOutputs(40);
    const built = buildTable(layout('12-performance'), tallProjectViews(outputs), options());
    const parts = projectParts(built).filter((lines) => lines[0]![0] === '410311220000000013994');
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts[0]![0]!.slice(1, 4)).toEqual(['服务免费项目', '75.00', '75.00']);
    for (const part of parts.slice(1)) expect(part[0]!.slice(1, 6)).toEqual(['服务免费项目（续）', '', '', '', '']);
    // Every indicator once, in order, across the parts.
    const names = parts.flatMap((lines) => lines.map((line) => line[8])).filter(Boolean);
    expect(names).toEqual(outputs.map((o) => o.name));
    for (const body of nestedBodies(built)) expect(spanProblems(body, 14)).toEqual([]);
  });

  it('keeps a project that fits a page in one row', () => {
    const built = buildTable(layout('12-performance'), tallProjectViews(shortOutputs(8)), options());
    expect(projectParts(built).filter((lines) => lines[0]![0] === '410311220000000013994')).toHaveLength(1);
  });

  it('prints every indicator of a project taller than a page, short or wrapping', async () => {
    const short = shortOutputs(30);
    const wrapping = Array.from({ length: 12 }, (_, i) =>
      ind(`较长的产出指标名称第${i + 1}条需要折行显示`, `按照合同约定的标准和时间要求完成全部工作内容第${i + 1}项`));
    for (const outputs of [short, wrapping]) {
      const built = buildTable(layout('12-performance'), tallProjectViews(outputs), options());
      const text = flat(await renderedText([built]));
      for (const o of outputs) {
        expect(text).toContain(flat(o.name));
        expect(text).toContain(flat(o.value));
      }
      expect(text).toContain('服务免费项目（续）');
      // Parts of the project hold its lines in order on the pages that follow each other.
      expect(text.indexOf(flat(outputs[0]!.name))).toBeLessThan(text.indexOf(flat(outputs.at(-1)!.name)));
    }
  });
});

describe('rows kept together', () => {
  /** Each outer body row as the texts of the rows it shows (a nested table's rows, or itself). */
  function outerRows(built: BuiltTable): string[][][] {
    const t = tableOf(built).table;
    return t.body.slice(t.headerRows).map((row) => {
      const nested = (row[0] as { table?: { body: unknown[][] } }).table?.body ?? [row];
      return nested.map((cells) => cells.map((cell) => flat(textOf(cell))));
    });
  }

  it('keeps the total rows at the foot of a two-sided table in one row with the row before them', () => {
    const built = buildTable(layout('04-fiscal'), fixtureViews(), options());
    const rows = outerRows(built);
    const last = rows.at(-1)!;
    const totals = layout('04-fiscal').body.kind === 'sides' ? (layout('04-fiscal').body as { sides: { totalRows: unknown[] }[] }).sides[0]!.totalRows.length : 0;
    expect(totals).toBeGreaterThan(0);
    // The totals and one ordinary row before them, nothing else: the rest stay rows of their own.
    expect(last).toHaveLength(totals + 1);
    expect(last.at(-1)![0]).toBe('收入合计');
    expect(rows.slice(0, -1).every((r) => r.length === 1)).toBe(true);
    const t = tableOf(built).table;
    expect(spanProblems(t.body.slice(t.headerRows), t.widths.length)).toEqual([]);
  });

  it('keeps a leading 合计 with the header and the row after it, and the last two rows of a list together', () => {
    const built = buildTable(layout('03-expense'), fixtureViews(), options());
    const t = tableOf(built).table as TableNode['table'] & { keepWithHeaderRows: number };
    expect(flat(textOf(t.body[t.headerRows]![4]))).toBe('合计');
    expect(t.keepWithHeaderRows).toBe(2);
    const rows = outerRows(built);
    expect(rows.at(-1)).toHaveLength(2);
    expect(rows.at(-1)!.map((r) => r[4])).toEqual(FUNCTION_LINES.slice(-2).map((row) => flat(String(row.cells.name))));
  });
});

describe('column bindings', () => {
  it('puts each view key in its column', () => {
    const built = buildTable(layout('03-expense'), fixtureViews(), options());
    expect(bodyRowWith(built, '事业运行')).toEqual(['201', '03', '50', '', '事业运行', '815.19', '194.41', '183.12', '', '11.29', '', '620.78', '620.78', '']);
    expect(bodyRowWith(built, '工会事务')).toEqual(['201', '29', '06', '', '工会事务', '2.39', '2.39', '', '', '2.39', '', '', '', '']);
  });

  it('zips the two sides of 单位收支预算表 and aligns their total rows at the bottom', () => {
    const built = buildTable(layout('01-income-expense'), fixtureViews(), options());
    const lines = bodyLines(built);
    const body = lines.map((row) => row.map((c) => flat(textOf(c))));
    expect(body).toHaveLength(30 + 3); // 30 expense classes beside 10 income rows, then 3 total rows
    expect(body[0]).toEqual(['一、一般公共预算', '866.01', '一、一般公共服务', '817.58']);
    expect(body[1]).toEqual(['其中：财政拨款', '866.01', '二、外交', '']);
    expect(body[10]).toEqual(['', '', '十一、节能环保', '']);
    expect(body[29]).toEqual(['', '', '三十四、抗疫特别国债安排的支出', '']);
    expect(body.slice(30)).toEqual([
      ['本年收入合计', '866.01', '本年支出合计', '866.01'],
      ['上年结转结余', '', '年终结转结余', '0.00'],
      ['收入总计', '866.01', '支出总计', '866.01'],
    ]);
    // 合计 rows are set in the bold face.
    expect((lines[30]![0] as { font: string }).font).toBe('tableHeader');
    expect((lines[31]![0] as { font: string }).font).toBe('table');
  });

  it('binds the 财政拨款 table rows to the fiscal figures by class and fund', () => {
    const built = buildTable(layout('04-fiscal'), fixtureViews(), options());
    expect(bodyRowWith(built, '一、本年收入')).toEqual(['一、本年收入', '866.01', '一、本年支出', '866.01', '866.01', '866.01', '', '']);
    expect(bodyRowWith(built, '（一）一般公共服务支出').slice(2)).toEqual(['（一）一般公共服务支出', '817.58', '817.58', '817.58', '', '']);
    expect(bodyRowWith(built, '（九）医疗卫生与计划生育支出').slice(3)).toEqual(['', '', '', '', '']);
    expect(bodyRowWith(built, '收入合计')).toEqual(['收入合计', '866.01', '支出合计', '866.01', '866.01', '866.01', '', '']);
  });

  it('prints the 三公 row with zero items empty', () => {
    const built = buildTable(layout('08-three-public'), fixtureViews(), options());
    const t = tableOf(built).table;
    expect(t.body[t.headerRows]!.map((c) => flat(textOf(c)))).toEqual(['1.50', '', '1.50', '', '1.50', '']);
  });
});

describe('number formats', () => {
  it('prints two decimals without separators, zero and null empty unless showZero', () => {
    expect(formatAmount(d('866.01'), false)).toBe('866.01');
    expect(formatAmount(d('1.5'), false)).toBe('1.50');
    expect(formatAmount(d('1234567.8'), false)).toBe('1234567.80');
    expect(formatAmount(d('0.005'), false)).toBe('0.01'); // half-up
    expect(formatAmount(d('-3.2'), false)).toBe('-3.20');
    expect(formatAmount(d('0'), false)).toBe('');
    expect(formatAmount(d('0.00'), true)).toBe('0.00');
    expect(formatAmount(null, false)).toBe('');
    expect(formatAmount(null, true)).toBe('');
  });

  it('sets amounts right-aligned and codes centred', () => {
    const built = buildTable(layout('03-expense'), fixtureViews(), options());
    const t = tableOf(built).table;
    const row = t.body[t.headerRows + 2] as Record<string, unknown>[];
    expect(row[5]!.alignment).toBe('right');
    expect(row[0]!.alignment).toBe('center');
    expect(row[4]!.alignment).toBeUndefined(); // left
  });

  it('refuses a text in an amount column', () => {
    const file = writeLayout('text-in-amount.yaml', [
      'title: 表', 'header: [[名称]]', 'columns: [{ key: name, format: amount }]', 'list: function-lines',
    ]);
    const error = templateError(() => buildTable(loadTableLayout(file), fixtureViews(), options()));
    expect(error.findings[0]!.rule).toBe('layout.cell-type');
  });
});

describe('orientation and widths', () => {
  it('puts the wide tables on landscape pages and the others on portrait pages', () => {
    const views = fixtureViews();
    const orientation = Object.fromEntries([...layouts.values()].map((l) => [l.id, buildTable(l, views, options()).orientation]));
    expect(orientation['02-income']).toBe('landscape');
    expect(orientation['07-economic-summary']).toBe('landscape');
    expect(orientation['12-performance']).toBe('landscape');
    for (const id of ['01-income-expense', '04-fiscal', '06-general-public-basic', '08-three-public']) expect(orientation[id], id).toBe('portrait');
  });

  it('fills the text width; amounts and short names fit on one line', () => {
    const views = fixtureViews();
    for (const l of layouts.values()) {
      const built = buildTable(l, views, options());
      const pageWidth = built.orientation === 'portrait' ? PORTRAIT_WIDTH : LANDSCAPE_WIDTH;
      expect(tableWidth(built.widths), l.id).toBeGreaterThan(pageWidth - 0.5);
      expect(tableWidth(built.widths), l.id).toBeLessThanOrEqual(pageWidth);
      const t = tableOf(built).table;
      for (const row of t.body.slice(t.headerRows)) {
        row.forEach((cell, c) => {
          if (cell === '' || (cell as { table?: unknown }).table) return;
          const text = textOf(cell);
          const column = l.columns[c]!;
          if (column.format === 'amount' || [...text].length <= column.minChars) expect(text, `${l.id} column ${c}`).not.toContain('\n');
        });
      }
    }
  });

  it('gives spare width to the narrower amount columns first, so they come out as wide as each other', () => {
    const views = buildViews(loadBudget(dataFile).budget!);
    const l = layout('08-three-public');
    const amountWidths = (b: BuiltTable) => b.widths.filter((_, i) => l.columns[i]!.format === 'amount');
    // A page with room to spare: every amount column equally wide.
    const roomy = buildTable(l, views, options());
    expect(new Set(amountWidths(roomy)).size, amountWidths(roomy).join(', ')).toBe(1);
    // A tight page: nothing is taken from the text columns for it, the table still fills the page.
    const tight = buildTable(l, views, options({ portraitWidth: tableWidth(roomy.widths) * 0.6 }));
    expect(tableWidth(tight.widths)).toBeGreaterThan(tableWidth(roomy.widths) * 0.6 - 0.5);
  });

  it('goes landscape when the portrait page is too narrow, and refuses a table that fits neither', () => {
    const l = layout('08-three-public');
    expect(buildTable(l, fixtureViews(), options({ portraitWidth: 120 })).orientation).toBe('landscape');
    const error = templateError(() => buildTable(l, fixtureViews(), options({ portraitWidth: 100, landscapeWidth: 120 })));
    expect(error.findings[0]!.rule).toBe('layout.table-too-wide');
  });

  it('cuts a long code or URL in a name or indicator rather than refuse a table the words alone make too wide', () => {
    const views = fixtureViews();
    const name = '110联动平台（410311220000000013974）';
    const value = 'https://www.lylq.gov.cn/zwfw/2022/notice';
    views.lists.performance.push(performanceRow('line', '410311220000000013974', name, '15.65', {
      cost: [ind('按相关规定支付值班费', '≤15.65万元')], output: [ind('参与110值班带班人数', value), ind('项目完成时间', '2024年12月')], benefit: [], satisfaction: [],
    }));
    const built = buildTable(layout('12-performance'), views, options());
    expect(built.orientation).toBe('landscape');
    expect(tableWidth(built.widths)).toBeLessThanOrEqual(LANDSCAPE_WIDTH);
    // Every text the rows draw (project rows hold nested tables), joined: cut lines join up again.
    const texts: string[] = [];
    JSON.stringify(tableOf(built).table.body, (key, item: unknown) => {
      if (key === 'text' && typeof item === 'string') texts.push(item);
      return item;
    });
    const shown = flat(texts.join(''));
    expect(shown).toContain(name);
    expect(shown).toContain(value);
    // Only the words too long for any column are cut: a date or an amount with its unit stays whole.
    expect(texts.some((t) => t.includes('2024年')), texts.filter((t) => t.includes('2024')).join(' | ')).toBe(true);
    expect(texts.some((t) => t.includes('≤15.65万元'))).toBe(true);
    // The reference's own table keeps every word whole: only a table that cannot fit cuts them.
    const reference = buildTable(layout('12-performance'), fixtureViews(), options());
    expect(reference.widths).not.toEqual(built.widths);
  });

  it('takes the orientation a format asks for, and refuses portrait for columns that do not fit it', () => {
    const narrow = layout('08-three-public');
    expect(buildTable(narrow, fixtureViews(), options()).orientation).toBe('portrait');
    expect(buildTable({ ...narrow, orientation: 'landscape' }, fixtureViews(), options()).orientation).toBe('landscape');
    const wide = layout('02-income');
    expect(buildTable(wide, fixtureViews(), options()).orientation).toBe('landscape');
    const error = templateError(() => buildTable({ ...wide, orientation: 'portrait' }, fixtureViews(), options()));
    expect(error.findings[0]!.rule).toBe('layout.table-too-wide');
    expect(error.findings[0]!.message).toContain('orientation: portrait');
  });
});

describe('titles and notes', () => {
  it('gives the title, the unit line and the amount unit', () => {
    const built = buildTable(layout('11-projects'), fixtureViews(), options({ anchor: { id: 'table-11' } }));
    expect(built.title).toBe('2022年项目支出预算表');
    expect(flat(textOf(built.heading[0]))).toBe('2022年项目支出预算表');
    expect((built.heading[0] as { id?: string }).id).toBe('table-11');
    expect(textOf(built.heading[1])).toBe('部门名称：洛龙区政务服务中心（本级）\t单位：万元');
    expect(built.content).toEqual([...built.heading, built.node, ...built.notes]);
  });

  it('prints the empty-table note when the list has no lines, and only then', () => {
    const views = fixtureViews();
    const empty = buildTable(layout('09-government-fund'), views, options());
    expect(empty.notes.map((n) => flat(textOf(n)))).toEqual(['说明：洛龙区政务服务中心2022年无政府性基金预算拨款安排支出']);
    const t = tableOf(empty).table;
    expect(t.body.slice(t.headerRows).map((r) => r.map((c) => flat(textOf(c))).join(''))).toEqual(['合计']);
    expect(flat(textOf(buildTable(layout('10-state-capital'), views, options()).notes[0]))).toBe('说明：洛龙区政务服务中心2022年无国有资本经营预算支出');

    views.lists['function-lines.government_fund'] = FUNCTION_LINES;
    expect(buildTable(layout('09-government-fund'), views, options()).notes).toEqual([]);
  });

  it('needs a value for every placeholder and says which are available', () => {
    const error = templateError(() => buildTable(layout('09-government-fund'), fixtureViews(), options({ placeholders: {} })));
    expect(error.findings[0]).toMatchObject({ rule: 'layout.placeholder', loc: { file: layout('09-government-fund').file } });
    expect(error.findings[0]!.message).toContain('{unit}');
    // A misspelt one gets the nearest.
    const l = layout('09-government-fund');
    const misspelt = templateError(() => buildTable({ ...l, title: '{yeer}年政府性基金支出预算表' }, fixtureViews(), options()));
    expect(misspelt.findings[0]!.message).toContain('“{yeer}”没有值；是否应为“{year}”？');
  });

  it('prints a unit\'s own wording of a note from texts:, as written', () => {
    const views = { ...fixtureViews(), texts: { '08-three-public.footnote': '注：本单位“三公”经费口径见{year}年文件。' } };
    const built = buildTable(layout('08-three-public'), views, options());
    expect(built.notes.map((n) => flat(textOf(n)))).toEqual(['注：本单位“三公”经费口径见{year}年文件。']);
  });

  it('rewords the empty-table 说明 the same way, and only when the table is empty', () => {
    const texts = { '10-state-capital.emptyNote': '说明：本单位不涉及国有资本经营预算。', '09-government-fund.emptyNote': '不会印出' };
    const views = { ...fixtureViews(), texts };
    const stateCapital = buildTable(layout('10-state-capital'), views, options({ placeholders: { unit: '洛龙区政务服务中心' } }));
    expect(stateCapital.notes.map((n) => flat(textOf(n)))).toEqual(['说明：本单位不涉及国有资本经营预算。']);
    const withLines = { ...views, lists: { ...views.lists, 'function-lines.government_fund': views.lists['function-lines.general_public'] } };
    expect(buildTable(layout('09-government-fund'), withLines, options()).notes).toEqual([]);
  });

  it('prints the 三公 footnote under its table', () => {
    const built = buildTable(layout('08-three-public'), fixtureViews(), options());
    expect(built.notes).toHaveLength(1);
    const note = flat(textOf(built.notes[0]));
    expect(note.startsWith('注：按照党中央、国务院有关规定及部门预算管理有关规定，“三公”经费包括')).toBe(true);
    expect(note.endsWith('（3）公务接待费，指单位按规定开支的各类公务接待（含外宾接待）支出。')).toBe(true);
  });
});

describe('a unit with no projects', () => {
  it('prints the 项目支出 and 绩效目标 tables with only their 合计 row and a 说明', () => {
    // Before, both tables printed an empty 合计 row and a department/unit row with no amounts, and no 说明.
    const budget = loadBudget(dataFile).budget!;
    budget.projects = [];
    budget.functionLines = budget.functionLines.map((l) => ({ ...l, projectOperating: null, projectTargeted: null }));
    const views = buildViews(budget);
    const place = options({ placeholders: { unit: budget.unit.name } });
    const projects = buildTable(layout('11-projects'), views, place);
    const t = tableOf(projects).table;
    expect(t.body.slice(t.headerRows).map((r) => r.map((c) => flat(textOf(c))).join(''))).toEqual(['合计']);
    expect(projects.notes.map((n) => flat(textOf(n)))).toEqual(['说明：洛龙区政务服务中心2022年无项目支出']);
    const performance = buildTable(layout('12-performance'), views, place);
    expect(performance.notes.map((n) => flat(textOf(n)))).toEqual(['说明：洛龙区政务服务中心2022年无项目支出，未设置项目绩效目标']);
    // With projects the tables print no 说明.
    const reference = buildViews(loadBudget(dataFile).budget!);
    expect(buildTable(layout('11-projects'), reference, place).notes).toEqual([]);
    expect(buildTable(layout('12-performance'), reference, place).notes).toEqual([]);
  });
});

describe('the reference data', () => {
  it('builds all twelve tables from data/luolong-zwfwzx-2022.yaml', () => {
    const loaded = loadBudget(dataFile);
    expect(loaded.budget).toBeDefined();
    const views = buildViews(loaded.budget!);
    const built = [...layouts.values()].map((l) => buildTable(l, views, options({ placeholders: { unit: loaded.budget!.unit.name } })));
    const byId = new Map(built.map((b) => [b.id, b]));
    expect(bodyRowWith(byId.get('03-expense')!, '住房公积金')).toEqual(['221', '02', '01', '', '住房公积金', '14.31', '14.31', '14.31', '', '', '', '', '', '']);
    expect(bodyRowWith(byId.get('01-income-expense')!, '本年收入合计')).toEqual(['本年收入合计', '866.01', '本年支出合计', '866.01']);
    expect(byId.get('12-performance')!.orientation).toBe('landscape');
  });

  it('sets an indicator value with its unit on one line: its column is as wide as number and unit', () => {
    const loaded = loadBudget(dataFile);
    const built = buildTable(layout('12-performance'), buildViews(loaded.budget!), options({ placeholders: { unit: loaded.budget!.unit.name } }));
    const cells: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        const n = node as { table?: { body: unknown[][] } };
        if (n.table) collect(n.table.body);
        else cells.push(textOf(node));
      }
    };
    collect(tableOf(built).table.body.slice(tableOf(built).table.headerRows));
    for (const value of ['≤126.22万元', '≤15.65万元', '≤21.19万元', '≤47.72万元', '≤5.6万元']) {
      expect(cells, value).toContain(value); // one line: no \n inside
    }
  });
});

/** The tables rendered as the publication sets them (one section each, in its orientation), read back as text. */
async function renderedText(built: BuiltTable[]): Promise<string> {
  return (await renderedPages(built)).join('\n');
}

async function renderedPages(built: BuiltTable[], portraitMargins = PORTRAIT_MARGINS): Promise<string[]> {
  const content = built.map((b) => ({
    section: b.content,
    pageOrientation: b.orientation,
    pageMargins: b.orientation === 'portrait' ? portraitMargins : LANDSCAPE_MARGINS,
  }));
  pdfmake.addTableLayouts(TABLE_LAYOUTS);
  const doc = { pageSize: 'A4', content: content as unknown as Content[], defaultStyle: { font: 'body', fontSize: 10 } } as TDocumentDefinitions;
  const pdf = await renderPdf(doc, {
    fonts,
    metadata: { title: 'tables', author: 'test', subject: 'test', keywords: 'test', creator: 'test' },
    creationDate: new Date(Date.UTC(2022, 0, 1)),
  });
  return (await readPdf(pdf)).pages;
}

describe('rendered', () => {
  it('sets a table a little tighter when that keeps it on one page instead of leaving a few rows to the next', async () => {
    const views = buildViews(loadBudget(dataFile).budget!);
    const pitchOf = (b: BuiltTable): unknown => (tableOf(b).table.body[tableOf(b).table.headerRows]![0] as { lineHeight?: unknown }).lineHeight;
    const normal = buildTable(layout('04-fiscal'), views, options());
    // A page 40 pt shorter than the reference's: the table no longer fits at its usual pitch, and does a little tighter.
    const short = 40;
    const tight = buildTable(layout('04-fiscal'), views, options({ portraitHeight: PORTRAIT_HEIGHT - short }));
    expect(pitchOf(tight)).not.toEqual(pitchOf(normal));
    const [top, bottom] = [PORTRAIT_MARGINS[1] + short / 2, PORTRAIT_MARGINS[3] + short / 2];
    const pages = await renderedPages([tight], [PORTRAIT_MARGINS[0], top, PORTRAIT_MARGINS[2], bottom]);
    expect(pages).toHaveLength(1);
    expect(flat(pages[0]!)).toContain('收入合计866.01支出合计866.01');
    // Too short for that too: the usual pitch, and the table goes on over two pages as before.
    const tooShort = buildTable(layout('04-fiscal'), views, options({ portraitHeight: PORTRAIT_HEIGHT - 200 }));
    expect(pitchOf(tooShort)).toEqual(pitchOf(normal));
  });

  it('keeps a table on one portrait page with its long names wrapping, rather than two landscape pages', async () => {
    // The reference's figures with four-digit amounts: kept whole, the names no longer fit portrait.
    const views = buildViews(loadBudget(dataFile).budget!);
    for (const key of Object.keys(views.figures)) views.figures[key] = views.figures[key]?.times(3) ?? null;
    const built = buildTable(layout('04-fiscal'), views, options());
    expect(built.orientation).toBe('portrait');
    const pages = await renderedPages([built]);
    expect(pages).toHaveLength(1);
    expect(flat(pages[0]!)).toContain('收入合计2598.03支出合计2598.03');
    // Names of up to six characters still never wrap.
    const t = tableOf(built).table;
    for (const row of t.body.slice(t.headerRows)) {
      for (const cell of row) if (cell !== '' && [...textOf(cell)].length <= 6) expect(textOf(cell)).not.toContain('\n');
    }
  });

  it('renders the twelve tables and every header label and title can be read back', async () => {
    const views = fixtureViews();
    const built = [...layouts.values()].map((l) => buildTable(l, views, options()));
    const all = flat(await renderedText(built));
    for (const b of built) {
      expect(all, b.id).toContain(flat(b.title));
      for (const cell of layout(b.id).header.flat()) expect(all, `${b.id}: ${cell.text}`).toContain(flat(cell.text.replace('{amountUnit}', '万元')));
    }
    expect(all).toContain('说明：洛龙区政务服务中心2022年无国有资本经营预算支出');
    expect(all).toContain('410311220000000009675');
    expect(all).toContain('三十四、抗疫特别国债安排的支出');
  });
});
