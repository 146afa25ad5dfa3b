/**
 * The shape of a unit's budget data file (data/<unit>-<year>.yaml), in the schema DSL,
 * and its conversion into the typed model. Field names here are the names finance
 * staff write; the model uses camelCase.
 */
import { dirname, resolve } from 'node:path';
import { s, type Infer, type Schema } from './schema.js';
import { FUNDS, INDICATOR_KINDS, isFormatPath, PROJECT_TYPES, REASON_KEYS, type Budget, type Indicator, type ReasonKey } from './model.js';

const amount = s.optional(s.amount());
const fund = s.optional(s.enum(FUNDS), 'general_public');

/** One performance indicator: [三级指标, 指标值]. */
const indicator: Schema<Indicator> = s.transform(
  s.tuple([s.string({ nonEmpty: true }), s.string({ nonEmpty: true })]),
  ([name, value]) => ({ name, value }),
);

const threePublic = s.object({
  abroad: amount,
  reception: amount,
  vehicle_purchase: amount,
  vehicle_operation: amount,
});

/** One optional text per reason key the templates quote: a misspelt key is an unknown key, not a reason nobody reads. */
const reasons = s.object(
  Object.fromEntries(REASON_KEYS.map((key) => [key, s.optional(s.string({ nonEmpty: true }))])) as Record<ReasonKey, Schema<string | null>>,
);

export const budgetFileSchema = s.object({
  format: s.string({ nonEmpty: true }),
  year: s.int({ min: 2000, max: 2100 }),
  amount_unit: s.optional(s.enum(['万元', '元'] as const), '万元'),
  published: s.optional(s.date()),
  unit: s.object({
    name: s.string({ nonEmpty: true }),
    short_name: s.optional(s.string({ nonEmpty: true })),
    scope: s.optional(s.string(), ''),
    code: s.code({ digits: [6, 9], label: '单位代码' }),
    department: s.object({
      code: s.code({ digits: [3, 6], label: '部门代码' }),
      name: s.string({ nonEmpty: true }),
    }),
    duties: s.list(s.string({ nonEmpty: true }), { minItems: 1 }),
    composition: s.optional(s.list(s.string({ nonEmpty: true })), []),
  }),
  income: s.object({
    general_public: amount,
    general_public_appropriation: amount,
    government_fund: amount,
    state_capital: amount,
    special_account: amount,
    business: amount,
    business_operation: amount,
    higher_subsidy: amount,
    affiliated_remit: amount,
    other: amount,
  }),
  carryover: s.optional(
    s.object({ general_public: amount, government_fund: amount, state_capital: amount, special_account: amount, unit_funds: amount }),
  ),
  year_end_carryover: amount,
  prior_year: s.optional(
    s.object({ total: amount, general_public: amount, government_fund: amount, state_capital: amount, three_public: s.optional(threePublic) }),
  ),
  reasons: s.optional(reasons),
  function_lines: s.list(
    s.object({
      code: s.code({ digits: 7, label: '功能分类编码', hint: '7 位数字（类 3 位 + 款 2 位 + 项 2 位）' }),
      name: s.string({ nonEmpty: true }),
      fund,
      wages: amount,
      family_subsidy: amount,
      goods_services: amount,
      capital: amount,
      project_operating: amount,
      project_targeted: amount,
      total: amount,
    }),
  ),
  economic_lines: s.optional(
    s.list(
      s.object({
        code: s.code({ digits: 5, label: '部门预算经济分类编码', hint: '5 位数字（类 3 位 + 款 2 位）' }),
        name: s.string({ nonEmpty: true }),
        gov_code: s.code({ digits: 5, label: '政府预算经济分类编码', hint: '5 位数字（类 3 位 + 款 2 位）' }),
        fund,
        from_carryover: s.optional(s.boolean(), false),
        basic: amount,
        project: amount,
      }),
    ),
    [],
  ),
  three_public: s.object({ ...threePublicFields(), total: amount }),
  operating_costs: s.optional(s.object({ amount, note: s.optional(s.string()) })),
  procurement: s.optional(s.object({ goods: amount, works: amount, services: amount, total: amount })),
  assets: s.optional(
    s.object({
      vehicles: s.optional(
        s.object({
          general: s.optional(s.int({ min: 0 }), 0),
          law_enforcement: s.optional(s.int({ min: 0 }), 0),
          special: s.optional(s.int({ min: 0 }), 0),
          other: s.optional(s.int({ min: 0 }), 0),
        }),
      ),
      general_equipment_over_50: s.optional(s.int({ min: 0 }), 0),
      special_equipment_over_100: s.optional(s.int({ min: 0 }), 0),
    }),
  ),
  special_transfers: s.optional(s.list(s.object({ name: s.string({ nonEmpty: true }), amount })), []),
  projects: s.optional(
    s.list(
      s.object({
        code: s.code({ pattern: /^\d{21}$/, label: '项目编码', hint: '21 位数字' }),
        name: s.string({ nonEmpty: true }),
        type: s.enum(PROJECT_TYPES),
        fund,
        from_carryover: s.optional(s.boolean(), false),
        amount: s.amount(),
        performance: s.optional(
          s.object({
            funding: s.object({ government: amount, special_account: amount, unit: amount }),
            cost: s.optional(s.list(indicator), []),
            output: s.optional(s.list(indicator), []),
            benefit: s.optional(s.list(indicator), []),
            satisfaction: s.optional(s.list(indicator), []),
          }),
        ),
      }),
    ),
    [],
  ),
  texts: s.optional(s.record(s.string({ nonEmpty: true })), {}),
});

function threePublicFields() {
  return { abroad: amount, reception: amount, vehicle_purchase: amount, vehicle_operation: amount };
}

export type BudgetFile = Infer<typeof budgetFileSchema>;

type ThreePublicFile = Infer<typeof threePublic>;

function toThreePublic(t: ThreePublicFile) {
  return { abroad: t.abroad, reception: t.reception, vehiclePurchase: t.vehicle_purchase, vehicleOperation: t.vehicle_operation };
}

/** The typed model of a data file that passed the schema. */
export function toBudget(file: string, d: BudgetFile): Budget {
  const c = d.carryover;
  const p = d.prior_year;
  const a = d.assets;
  const v = a?.vehicles;
  return {
    file,
    format: formatReference(file, d.format),
    year: d.year,
    amountUnit: d.amount_unit,
    published: d.published,
    unit: {
      name: d.unit.name,
      shortName: d.unit.short_name ?? d.unit.name,
      scope: d.unit.scope,
      code: d.unit.code,
      department: d.unit.department,
      duties: d.unit.duties,
      composition: d.unit.composition,
    },
    income: {
      general_public: d.income.general_public,
      government_fund: d.income.government_fund,
      state_capital: d.income.state_capital,
      special_account: d.income.special_account,
      business: d.income.business,
      business_operation: d.income.business_operation,
      higher_subsidy: d.income.higher_subsidy,
      affiliated_remit: d.income.affiliated_remit,
      other: d.income.other,
      generalPublicAppropriation: d.income.general_public_appropriation,
    },
    carryover: {
      general_public: c?.general_public ?? null,
      government_fund: c?.government_fund ?? null,
      state_capital: c?.state_capital ?? null,
      special_account: c?.special_account ?? null,
      unit_funds: c?.unit_funds ?? null,
    },
    yearEndCarryover: d.year_end_carryover,
    priorYear: {
      total: p?.total ?? null,
      generalPublic: p?.general_public ?? null,
      governmentFund: p?.government_fund ?? null,
      stateCapital: p?.state_capital ?? null,
      threePublic: p?.three_public ? toThreePublic(p.three_public) : null,
    },
    reasons: Object.fromEntries(Object.entries(d.reasons ?? {}).filter(([, text]) => text !== null)),
    functionLines: d.function_lines.map((l) => ({
      code: l.code,
      name: l.name,
      fund: l.fund,
      wages: l.wages,
      familySubsidy: l.family_subsidy,
      goodsServices: l.goods_services,
      capital: l.capital,
      projectOperating: l.project_operating,
      projectTargeted: l.project_targeted,
      statedTotal: l.total,
    })),
    economicLines: d.economic_lines.map((l) => ({
      code: l.code, name: l.name, govCode: l.gov_code, fund: l.fund, fromCarryover: l.from_carryover, basic: l.basic, project: l.project,
    })),
    threePublic: { ...toThreePublic(d.three_public), statedTotal: d.three_public.total },
    operatingCosts: { amount: d.operating_costs?.amount ?? null, note: d.operating_costs?.note ?? null },
    procurement: {
      goods: d.procurement?.goods ?? null,
      works: d.procurement?.works ?? null,
      services: d.procurement?.services ?? null,
      statedTotal: d.procurement?.total ?? null,
    },
    assets: {
      vehicles: { general: v?.general ?? 0, lawEnforcement: v?.law_enforcement ?? 0, special: v?.special ?? 0, other: v?.other ?? 0 },
      generalEquipmentOver50: a?.general_equipment_over_50 ?? 0,
      specialEquipmentOver100: a?.special_equipment_over_100 ?? 0,
    },
    specialTransfers: d.special_transfers,
    projects: d.projects.map((pr) => ({
      code: pr.code,
      name: pr.name,
      type: pr.type,
      fund: pr.fund,
      fromCarryover: pr.from_carryover,
      amount: pr.amount,
      performance: pr.performance
        ? {
            funding: {
              government: pr.performance.funding.government,
              specialAccount: pr.performance.funding.special_account,
              unit: pr.performance.funding.unit,
            },
            indicators: Object.fromEntries(INDICATOR_KINDS.map((k) => [k, pr.performance![k]])) as Record<(typeof INDICATOR_KINDS)[number], Indicator[]>,
          }
        : null,
    })),
    texts: d.texts,
  };
}

/**
 * `format:` names a folder under templates/ (luoyang-2022) or, with a slash, a format folder of
 * one's own, relative to the data file like every path a file names, so it works from any directory.
 */
function formatReference(dataFile: string, format: string): string {
  return isFormatPath(format) ? resolve(dirname(dataFile), format) : format;
}
