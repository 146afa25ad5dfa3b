/**
 * Table views: the twelve tables as rows of named cells and as named single figures.
 * Table layouts (templates/<format>/tables/*.yaml) bind columns to these names; this
 * module decides nothing about how a table looks.
 */
import type { Decimal } from 'decimal.js';
import { orZero, sum } from './decimal.js';
import { FUNCTION_CLASS_NAMES, functionClassSpending, GOV_ECONOMIC_NAMES } from './classification.js';
import { deriveFigures, economicLineTotal, functionLineFigures, isPersonnelEconomic, threePublicTotal, threePublicVehicle } from './derive.js';
import {
  CARRYOVER_SOURCES, FUNDS, INCOME_SOURCES, INDICATOR_KINDS,
  type Amount, type Budget, type FunctionLine, type Fund, type Indicator, type IndicatorKind,
} from './model.js';

export type Cell = string | Decimal | null;
export type IndicatorGroups = Record<IndicatorKind, Indicator[]>;

export interface ViewRow {
  /** subtotal: a 功能分类 类 above its lines, printed only by a layout that asks (classSubtotals). */
  kind: 'total' | 'department' | 'unit' | 'subtotal' | 'line';
  cells: Record<string, Cell>;
  group?: IndicatorGroups;
}

export const LIST_NAMES = [
  'income-units',
  'function-lines',
  'function-lines.general_public',
  'function-lines.government_fund',
  'function-lines.state_capital',
  'basic-economic-lines',
  'economic-summary',
  'three-public',
  'projects',
  'performance',
] as const;
export type ListName = (typeof LIST_NAMES)[number];

const FUNCTION_LINE_KEYS = [
  'code', 'class_code', 'item_code', 'sub_code', 'unit_code', 'name',
  'total', 'basic', 'personnel', 'public', 'wages', 'family_subsidy', 'goods_services', 'capital', 'project', 'project_operating', 'project_targeted',
  // The row's total by the fund that pays it (a 部门收入总表 or 部门支出总表 by 科目): fund: of its lines.
  ...FUNDS,
] as const;

/**
 * The cell keys of every row of each list: what a table layout's columns may bind to. Template
 * loading checks the layouts against them, so a misspelt key is a template error before any
 * document is composed (a test keeps them equal to the rows built below).
 */
export const LIST_CELL_KEYS: Readonly<Record<ListName, readonly string[]>> = {
  'income-units': [
    'code', 'name', 'grand_total', 'current_total', 'general_public_appropriation', 'carryover_total',
    ...INCOME_SOURCES, ...CARRYOVER_SOURCES.map((s) => `carryover_${s}`),
  ],
  'function-lines': FUNCTION_LINE_KEYS,
  'function-lines.general_public': FUNCTION_LINE_KEYS,
  'function-lines.government_fund': FUNCTION_LINE_KEYS,
  'function-lines.state_capital': FUNCTION_LINE_KEYS,
  'basic-economic-lines': ['code', 'name', 'gov_code', 'gov_name', 'total', 'personnel', 'public'],
  'economic-summary': [
    'class_code', 'item_code', 'name', 'gov_class_code', 'gov_item_code', 'gov_name', 'total', 'general_public',
    'general_public_appropriation', 'government_fund', 'state_capital', 'special_account', 'carryover', 'business',
    'higher_subsidy', 'affiliated_remit', 'business_operation', 'other',
  ],
  'three-public': [
    'total', 'abroad', 'vehicle', 'vehicle_purchase', 'vehicle_operation', 'reception',
    'prior_total', 'prior_abroad', 'prior_vehicle', 'prior_vehicle_purchase', 'prior_vehicle_operation', 'prior_reception',
  ],
  projects: [
    'type', 'code', 'name', 'unit_name', 'total', 'general_public', 'government_fund', 'state_capital', 'carryover_general_public',
    'carryover_government_fund', 'carryover_state_capital', 'special_account', 'unit_funds',
  ],
  performance: ['code', 'name', 'funding_total', 'funding_government', 'funding_special_account', 'funding_unit'],
};

export interface Views {
  figures: Record<string, Amount>;
  lists: Record<ListName, ViewRow[]>;
  /** 单位名称 line text, e.g. 洛龙区政务服务中心（本级）. */
  unitLine: string;
  amountUnit: string;
  year: number;
  /** The unit's own wording of standard texts (`texts:` in the data), by text id: table notes read theirs here. */
  texts: Readonly<Record<string, string>>;
}

const TABLE_FUNDS = ['general_public', 'government_fund', 'state_capital'] as const;

/**
 * The names of Views.figures, which do not depend on the data: what a two-sided table's rows may
 * bind to. Template loading checks the layouts against them (a test keeps them equal to the
 * figures built below).
 */
export const FIGURE_NAMES: readonly string[] = [
  ...INCOME_SOURCES.map((s) => `income.${s}`),
  'income.general_public_appropriation', 'income.total',
  ...CARRYOVER_SOURCES.map((s) => `carryover.${s}`),
  'carryover.total', 'income.grand_total', 'expense.total', 'expense.year_end_carryover', 'expense.grand_total',
  ...FUNDS.map((fund) => `expense.fund.${fund}`),
  ...Object.keys(FUNCTION_CLASS_NAMES).flatMap((cls) => [
    `expense.class.${cls}`, ...TABLE_FUNDS.map((fund) => `expense.class.${cls}.${fund}`), `expense.class.${cls}.fiscal`,
  ]),
  'fiscal.income', 'fiscal.carryover', 'fiscal.income_total', 'fiscal.expense', 'fiscal.year_end_carryover', 'fiscal.expense_total',
  'three_public.total', 'three_public.abroad', 'three_public.vehicle', 'three_public.vehicle_purchase',
  'three_public.vehicle_operation', 'three_public.reception',
];

/** 单位名称 as the tables print it: name（scope）. */
export function unitLine(budget: Budget): string {
  return budget.unit.scope ? `${budget.unit.name}（${budget.unit.scope}）` : budget.unit.name;
}

function namedFigures(budget: Budget): Record<string, Amount> {
  const derived = deriveFigures(budget);
  const f: Record<string, Amount> = {};
  for (const s of INCOME_SOURCES) f[`income.${s}`] = budget.income[s];
  f['income.general_public_appropriation'] = budget.income.generalPublicAppropriation;
  f['income.total'] = derived.incomeCurrent;
  for (const s of CARRYOVER_SOURCES) f[`carryover.${s}`] = budget.carryover[s];
  f['carryover.total'] = derived.carryoverTotal;
  f['income.grand_total'] = derived.incomeGrandTotal;
  f['expense.total'] = derived.expenseCurrent;
  f['expense.year_end_carryover'] = budget.yearEndCarryover;
  f['expense.grand_total'] = derived.expenseGrandTotal;
  for (const fund of Object.keys(derived.expenseByFund) as Fund[]) f[`expense.fund.${fund}`] = derived.expenseByFund[fund];
  for (const cls of Object.keys(FUNCTION_CLASS_NAMES)) {
    const inClass = budget.functionLines.filter((l) => l.code.startsWith(cls));
    f[`expense.class.${cls}`] = sum(inClass.map((l) => functionLineFigures(l).total));
    for (const fund of TABLE_FUNDS) {
      f[`expense.class.${cls}.${fund}`] = sum(inClass.filter((l) => l.fund === fund).map((l) => functionLineFigures(l).total));
    }
  }
  // 财政拨款 = the three fiscal budgets together (财政拨款收支预算表).
  f['fiscal.income'] = sum(TABLE_FUNDS.map((fund) => budget.income[fund]));
  f['fiscal.carryover'] = sum(TABLE_FUNDS.map((fund) => budget.carryover[fund]));
  f['fiscal.income_total'] = sum([f['fiscal.income'], f['fiscal.carryover']]);
  f['fiscal.expense'] = sum(TABLE_FUNDS.map((fund) => derived.expenseByFund[fund]));
  // The fiscal funds' own leftover: 年终结转结余 is one figure for all money, and what 事业收入 or
  // 单位资金 leave over is no part of the 财政拨款 table (check keeps this within year_end_carryover).
  const fiscalLeftover = orZero(f['fiscal.income_total']).minus(orZero(f['fiscal.expense']));
  f['fiscal.year_end_carryover'] = budget.yearEndCarryover === null && fiscalLeftover.isZero() ? null : fiscalLeftover;
  f['fiscal.expense_total'] = sum([f['fiscal.expense'], f['fiscal.year_end_carryover']]);
  for (const cls of Object.keys(FUNCTION_CLASS_NAMES)) {
    f[`expense.class.${cls}.fiscal`] = sum(TABLE_FUNDS.map((fund) => f[`expense.class.${cls}.${fund}`]));
  }
  const t = budget.threePublic;
  f['three_public.total'] = threePublicTotal(t);
  f['three_public.abroad'] = t.abroad;
  f['three_public.vehicle'] = threePublicVehicle(t);
  f['three_public.vehicle_purchase'] = t.vehiclePurchase;
  f['three_public.vehicle_operation'] = t.vehicleOperation;
  f['three_public.reception'] = t.reception;
  return f;
}

function incomeUnitRows(budget: Budget, figures: Record<string, Amount>): ViewRow[] {
  const amounts: Record<string, Cell> = {
    grand_total: figures['income.grand_total'],
    current_total: figures['income.total'],
    general_public_appropriation: budget.income.generalPublicAppropriation,
    carryover_total: figures['carryover.total'],
  };
  for (const s of INCOME_SOURCES) amounts[s] = budget.income[s];
  for (const s of CARRYOVER_SOURCES) amounts[`carryover_${s}`] = budget.carryover[s];
  return [
    { kind: 'total', cells: { code: '', name: '合计', ...amounts } },
    { kind: 'department', cells: { code: budget.unit.department.code, name: budget.unit.department.name, ...amounts } },
    { kind: 'unit', cells: { code: budget.unit.code, name: budget.unit.name, ...amounts } },
  ];
}

function functionCells(lines: FunctionLine[]): Record<string, Cell> {
  const figs = lines.map(functionLineFigures);
  return {
    total: sum(figs.map((x) => x.total)),
    basic: sum(figs.map((x) => x.basic)),
    personnel: sum(figs.map((x) => x.personnel)),
    public: sum(figs.map((x) => x.public)),
    wages: sum(lines.map((l) => l.wages)),
    family_subsidy: sum(lines.map((l) => l.familySubsidy)),
    goods_services: sum(lines.map((l) => l.goodsServices)),
    capital: sum(lines.map((l) => l.capital)),
    project: sum(figs.map((x) => x.project)),
    project_operating: sum(lines.map((l) => l.projectOperating)),
    project_targeted: sum(lines.map((l) => l.projectTargeted)),
    ...Object.fromEntries(FUNDS.map((fund) => [fund, sum(lines.filter((l) => l.fund === fund).map((l) => functionLineFigures(l).total))])),
  };
}

function functionRows(budget: Budget, fund?: Fund): ViewRow[] {
  const lines = fund ? budget.functionLines.filter((l) => l.fund === fund) : budget.functionLines;
  const total: ViewRow = { kind: 'total', cells: { code: '', class_code: '', item_code: '', sub_code: '', unit_code: '', name: '合计', ...functionCells(lines) } };
  if (lines.length === 0) return [total];
  // Lines of one code paid from several funds show as one row in the all-funds table.
  const byCode = new Map<string, FunctionLine[]>();
  for (const l of lines) byCode.set(l.code, [...(byCode.get(l.code) ?? []), l]);
  // In code order, as the budget system lists them, whatever order the data gives them in.
  const groups = [...byCode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
  const rows: ViewRow[] = [];
  groups.forEach((group, g) => {
    const cls = group[0].code.slice(0, 3);
    if (g === 0 || groups[g - 1]![0].code.slice(0, 3) !== cls) {
      const ofClass = lines.filter((l) => l.code.startsWith(cls));
      rows.push({ kind: 'subtotal', cells: { code: cls, class_code: cls, item_code: '', sub_code: '', unit_code: '', name: functionClassSpending(cls) || cls, ...functionCells(ofClass) } });
    }
    rows.push(functionLineRow(group));
  });
  return [
    total,
    { kind: 'department', cells: { code: '', class_code: '', item_code: '', sub_code: '', unit_code: budget.unit.department.code, name: budget.unit.department.name, ...functionCells(lines) } },
    ...rows,
  ];
}

/** The rows of a list as a table prints them: a 功能分类 list's 类 subtotal rows only when the layout asks for them. */
export function rowsOf(views: Views, list: ListName, classSubtotals = false): ViewRow[] {
  const rows = views.lists[list];
  return classSubtotals ? rows : rows.filter((r) => r.kind !== 'subtotal');
}

/** One 功能分类 code's row: its lines of every fund together. */
function functionLineRow(group: FunctionLine[]): ViewRow {
  return {
    kind: 'line',
    cells: {
      code: group[0].code,
      class_code: group[0].code.slice(0, 3),
      item_code: group[0].code.slice(3, 5),
      sub_code: group[0].code.slice(5, 7),
      unit_code: '',
      name: group[0].name,
      ...functionCells(group),
    },
  };
}

function basicEconomicRows(budget: Budget): ViewRow[] {
  const lines = budget.economicLines.filter((l) => l.fund === 'general_public' && l.basic !== null);
  const cells = lines.map((l): Record<string, Cell> => ({
    code: l.code,
    name: l.name,
    gov_code: l.govCode,
    gov_name: GOV_ECONOMIC_NAMES[l.govCode] ?? '',
    total: l.basic,
    personnel: isPersonnelEconomic(l) ? l.basic : null,
    public: isPersonnelEconomic(l) ? null : l.basic,
  }));
  return [
    {
      kind: 'total',
      cells: {
        code: '合计', name: '', gov_code: '', gov_name: '',
        total: sum(cells.map((c) => c.total as Amount)),
        personnel: sum(cells.map((c) => c.personnel as Amount)),
        public: sum(cells.map((c) => c.public as Amount)),
      },
    },
    ...cells.map((c): ViewRow => ({ kind: 'line', cells: c })),
  ];
}

function economicSummaryRows(budget: Budget): ViewRow[] {
  const amountsOf = (lines: Budget['economicLines']): Record<string, Cell> => {
    // What is paid from 上年结转 stands in its own column, not under the fund's income of the year.
    const byFund = (fund: Fund) => sum(lines.filter((l) => l.fund === fund && !l.fromCarryover).map(economicLineTotal));
    return {
      total: sum(lines.map(economicLineTotal)),
      general_public: byFund('general_public'),
      general_public_appropriation: byFund('general_public'),
      government_fund: byFund('government_fund'),
      state_capital: byFund('state_capital'),
      special_account: byFund('special_account'),
      carryover: sum(lines.filter((l) => l.fromCarryover).map(economicLineTotal)),
      business: null,
      higher_subsidy: null,
      affiliated_remit: null,
      business_operation: null,
      other: byFund('unit_funds'),
    };
  };
  const blank = { item_code: '', gov_class_code: '', gov_item_code: '', gov_name: '' };
  return [
    { kind: 'total', cells: { class_code: '', name: '合计', ...blank, ...amountsOf(budget.economicLines) } },
    { kind: 'department', cells: { class_code: budget.unit.department.code, name: budget.unit.department.name, ...blank, ...amountsOf(budget.economicLines) } },
    ...budget.economicLines.map((l): ViewRow => ({
      kind: 'line',
      cells: {
        class_code: l.code.slice(0, 3),
        item_code: l.code.slice(3, 5),
        name: l.name,
        gov_class_code: l.govCode.slice(0, 3),
        gov_item_code: l.govCode.slice(3, 5),
        gov_name: GOV_ECONOMIC_NAMES[l.govCode] ?? '',
        ...amountsOf([l]),
      },
    })),
  ];
}

function projectRows(budget: Budget): ViewRow[] {
  const amountsOf = (projects: Budget['projects']): Record<string, Cell> => {
    // 财政拨款结转结余 has a column per fiscal fund; carryover of 财政专户 or 单位资金 has none and stays under its fund.
    const hasCarryoverColumn = (fund: Fund) => (TABLE_FUNDS as readonly Fund[]).includes(fund);
    const amountOf = (keep: (p: Budget['projects'][number]) => boolean) => sum(projects.filter(keep).map((p) => p.amount));
    const byFund = (fund: Fund) => amountOf((p) => p.fund === fund && !(p.fromCarryover && hasCarryoverColumn(fund)));
    const carried = (fund: Fund) => amountOf((p) => p.fund === fund && p.fromCarryover);
    return {
      total: sum(projects.map((p) => p.amount)),
      general_public: byFund('general_public'),
      government_fund: byFund('government_fund'),
      state_capital: byFund('state_capital'),
      carryover_general_public: carried('general_public'),
      carryover_government_fund: carried('government_fund'),
      carryover_state_capital: carried('state_capital'),
      special_account: byFund('special_account'),
      unit_funds: byFund('unit_funds'),
    };
  };
  const total: ViewRow = { kind: 'total', cells: { type: '', code: '', name: '合计', unit_name: '', ...amountsOf(budget.projects) } };
  // No projects: the 合计 row alone (empty), as a fund's empty table, and the table's 说明.
  if (budget.projects.length === 0) return [total];
  return [
    total,
    // As the reference prints it: the department's code under 项目名称, its name under 单位名称.
    { kind: 'department', cells: { type: '', code: budget.unit.department.code, name: budget.unit.department.code, unit_name: budget.unit.department.name, ...amountsOf(budget.projects) } },
    ...budget.projects.map((p): ViewRow => ({
      kind: 'line',
      cells: { type: p.type, code: p.code, name: p.name, unit_name: budget.unit.name, ...amountsOf([p]) },
    })),
  ];
}

function performanceRows(budget: Budget): ViewRow[] {
  const withTargets = budget.projects.filter((p) => p.performance !== null);
  const fundingOf = (ps: typeof withTargets): Record<string, Cell> => {
    const government = sum(ps.map((p) => p.performance!.funding.government));
    const specialAccount = sum(ps.map((p) => p.performance!.funding.specialAccount));
    const unit = sum(ps.map((p) => p.performance!.funding.unit));
    return {
      funding_total: sum([government, specialAccount, unit]),
      funding_government: government,
      funding_special_account: specialAccount,
      funding_unit: unit,
    };
  };
  const emptyGroups = Object.fromEntries(INDICATOR_KINDS.map((k) => [k, []])) as unknown as IndicatorGroups;
  const sorted = [...withTargets].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const total: ViewRow = { kind: 'total', cells: { code: '', name: '合计', ...fundingOf(withTargets) }, group: emptyGroups };
  if (withTargets.length === 0) return [total];
  return [
    total,
    { kind: 'unit', cells: { code: budget.unit.code, name: unitLine(budget), ...fundingOf(withTargets) }, group: emptyGroups },
    ...sorted.map((p): ViewRow => ({
      kind: 'line',
      cells: { code: p.code, name: p.name, ...fundingOf([p]) },
      group: p.performance!.indicators,
    })),
  ];
}

export function buildViews(budget: Budget): Views {
  const figures = namedFigures(budget);
  const t = budget.threePublic;
  const p = budget.priorYear.threePublic;
  return {
    figures,
    lists: {
      'income-units': incomeUnitRows(budget, figures),
      'function-lines': functionRows(budget),
      'function-lines.general_public': functionRows(budget, 'general_public'),
      'function-lines.government_fund': functionRows(budget, 'government_fund'),
      'function-lines.state_capital': functionRows(budget, 'state_capital'),
      'basic-economic-lines': basicEconomicRows(budget),
      'economic-summary': economicSummaryRows(budget),
      'three-public': [
        {
          kind: 'line',
          cells: {
            total: threePublicTotal(t), abroad: t.abroad, vehicle: threePublicVehicle(t),
            vehicle_purchase: t.vehiclePurchase, vehicle_operation: t.vehicleOperation, reception: t.reception,
            // The prior year's, for a format that prints both years side by side (empty when the data has none).
            prior_total: p ? threePublicTotal(p) : null, prior_abroad: p?.abroad ?? null, prior_vehicle: p ? threePublicVehicle(p) : null,
            prior_vehicle_purchase: p?.vehiclePurchase ?? null, prior_vehicle_operation: p?.vehicleOperation ?? null, prior_reception: p?.reception ?? null,
          },
        },
      ],
      projects: projectRows(budget),
      performance: performanceRows(budget),
    },
    unitLine: unitLine(budget),
    amountUnit: budget.amountUnit,
    year: budget.year,
    texts: budget.texts,
  };
}
