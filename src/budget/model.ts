/**
 * The typed budget model: the facts of one publication, as loaded from YAML.
 * Amounts are decimal.js values (null = not present, which prints as an empty cell);
 * codes are strings. Nothing here knows about PDF or templates.
 */
import type { Decimal } from 'decimal.js';

export type Amount = Decimal | null;

/** Funds a spending line or project can be paid from (the three 财政拨款 budgets, then other sources). */
export const FUNDS = ['general_public', 'government_fund', 'state_capital', 'special_account', 'unit_funds'] as const;
export type Fund = (typeof FUNDS)[number];

/** What messages call each fund. */
export const FUND_NAMES: Readonly<Record<Fund, string>> = {
  general_public: '一般公共预算',
  government_fund: '政府性基金预算',
  state_capital: '国有资本经营预算',
  special_account: '财政专户管理资金',
  unit_funds: '单位资金',
};

/** 本年收入 by source, in the order of the official 收入预算表. */
export const INCOME_SOURCES = [
  'general_public', 'government_fund', 'state_capital', 'special_account',
  'business', 'business_operation', 'higher_subsidy', 'affiliated_remit', 'other',
] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];

/** 上年结转结余 by source. */
export const CARRYOVER_SOURCES = ['general_public', 'government_fund', 'state_capital', 'special_account', 'unit_funds'] as const;
export type CarryoverSource = (typeof CARRYOVER_SOURCES)[number];

export const PROJECT_TYPES = ['其他运转类', '特定目标类'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

/**
 * Keys of `reasons:`, the unit's own words for a year-on-year change: 收入 / 支出 总计, 一般公共预算,
 * 政府性基金, and each 三公 item. The text templates quote them by these keys.
 */
export const REASON_KEYS = [
  'income_change', 'expense_change', 'general_public_change', 'government_fund_change', 'state_capital_change',
  'abroad_change', 'reception_change', 'vehicle_purchase_change', 'vehicle_operation_change',
] as const;
export type ReasonKey = (typeof REASON_KEYS)[number];

export interface Unit {
  name: string;
  shortName: string;
  scope: string;
  code: string;
  department: { code: string; name: string };
  duties: string[];
  composition: string[];
}

/** One 支出功能分类 line at 项 level; basic spending split by economic nature. */
export interface FunctionLine {
  code: string; // 7 digits: 类 3 + 款 2 + 项 2
  name: string;
  fund: Fund;
  wages: Amount; // 工资福利支出 (人员经费)
  familySubsidy: Amount; // 对个人和家庭的补助 (人员经费)
  goodsServices: Amount; // 商品和服务支出 (公用经费)
  capital: Amount; // 资本性支出 (公用经费)
  projectOperating: Amount; // 项目支出·其他运转类
  projectTargeted: Amount; // 项目支出·特定目标类
  /** Optional 合计 as stated by the budget system: checked, never printed in its place. */
  statedTotal: Amount;
}

/** One 部门预算经济分类 line (款 level) with its 政府预算经济分类. */
export interface EconomicLine {
  code: string; // 5 digits: 类 3 + 款 2
  name: string;
  govCode: string; // 5 digits
  fund: Fund;
  /** Paid from the fund's 上年结转 (from_carryover: true), not from this year's income. */
  fromCarryover: boolean;
  basic: Amount;
  project: Amount;
}

export interface ThreePublic {
  abroad: Amount;
  reception: Amount;
  vehiclePurchase: Amount;
  vehicleOperation: Amount;
}

/** [三级指标, 指标值] */
export interface Indicator {
  name: string;
  value: string;
}

export const INDICATOR_KINDS = ['cost', 'output', 'benefit', 'satisfaction'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export interface Performance {
  funding: { government: Amount; specialAccount: Amount; unit: Amount };
  indicators: Record<IndicatorKind, Indicator[]>;
}

export interface Project {
  code: string;
  name: string;
  type: ProjectType;
  fund: Fund;
  /** Paid from the fund's 上年结转 (from_carryover: true), not from this year's income. */
  fromCarryover: boolean;
  amount: Decimal;
  performance: Performance | null;
}

/** `format:` with a slash names a format folder by its path; without, a folder under templates/. */
export function isFormatPath(format: string): boolean {
  return format.includes('/') || format.includes('\\');
}

export interface Budget {
  /** The data file this budget was loaded from (as given by the user). */
  file: string;
  /** A folder name under templates/, or the absolute path of a format folder (given relative to the data file). */
  format: string;
  year: number;
  amountUnit: string;
  /** Publication date (YYYY-MM-DD), when the data gives one. */
  published: string | null;
  unit: Unit;
  income: Record<IncomeSource, Amount> & { generalPublicAppropriation: Amount };
  carryover: Record<CarryoverSource, Amount>;
  yearEndCarryover: Amount;
  priorYear: {
    total: Amount;
    generalPublic: Amount;
    governmentFund: Amount;
    stateCapital: Amount;
    threePublic: ThreePublic | null;
  };
  reasons: Partial<Record<ReasonKey, string>>;
  functionLines: FunctionLine[];
  economicLines: EconomicLine[];
  threePublic: ThreePublic & { statedTotal: Amount };
  operatingCosts: { amount: Amount; note: string | null };
  procurement: { goods: Amount; works: Amount; services: Amount; statedTotal: Amount };
  assets: {
    vehicles: { general: number; lawEnforcement: number; special: number; other: number };
    generalEquipmentOver50: number;
    specialEquipmentOver100: number;
  };
  specialTransfers: { name: string; amount: Amount }[];
  projects: Project[];
  /** Overrides of the template set's standard texts (名词解释, table notes), by text id. */
  texts: Record<string, string>;
}
