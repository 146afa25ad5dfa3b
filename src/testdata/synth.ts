/**
 * Builds one synthetic budget unit from a seed. The economic side is drawn first
 * (salaries, public costs, 三公 items, projects) and the function lines are made
 * from it, so every total the consistency rules compare is the same sum taken two
 * ways: checks.ts passes by construction, not by luck.
 */
import { Decimal } from 'decimal.js';
import {
  ACTIVITIES, FUND_ACTIVITIES, vehiclePurchaseProject,
  type Activity, type BuiltProject, type Indicators,
} from './activities.js';
import {
  AGENCIES, COMMON_DUTIES, COMMON_SUBJECTS, DISTRICTS, ECONOMIC_CODES, GOVERNMENT_FUND_LINES, PERSONNEL_LINES,
  type Agency, type EconomicCodeId, type FunctionItem,
} from './catalog.js';
import { deriveSeed, Prng } from './prng.js';

export const SYNTH_YEAR = 2022;

/** Funds synthetic units spend from. */
export type SynthFund = 'general_public' | 'government_fund';
export type SynthProjectType = '其他运转类' | '特定目标类';

const FUNCTION_AMOUNT_KEYS = ['wages', 'family_subsidy', 'goods_services', 'capital', 'project_operating', 'project_targeted'] as const;
export type FunctionAmountKey = (typeof FUNCTION_AMOUNT_KEYS)[number];

export interface SynthFunctionLine {
  code: string;
  name: string;
  fund: SynthFund;
  amounts: Partial<Record<FunctionAmountKey, Decimal>>;
}

export interface SynthEconomicLine {
  code: string;
  name: string;
  govCode: string;
  fund: SynthFund;
  basic: Decimal | null;
  project: Decimal | null;
}

export interface SynthProject {
  code: string;
  name: string;
  type: SynthProjectType;
  fund: SynthFund;
  amount: Decimal;
  indicators: Indicators;
}

export interface ThreePublicAmounts {
  abroad: Decimal;
  reception: Decimal;
  vehiclePurchase: Decimal;
  vehicleOperation: Decimal;
}

export interface SynthUnit {
  seed: number;
  /** 0-based position in the generated set. */
  index: number;
  year: number;
  unit: {
    name: string;
    shortName: string;
    code: string;
    department: { code: string; name: string };
    duties: string[];
    composition: string[];
  };
  income: { generalPublic: Decimal; governmentFund: Decimal | null };
  prior: { total: Decimal; generalPublic: Decimal; governmentFund: Decimal; threePublic: ThreePublicAmounts };
  /** Reasons for each year-on-year change, in the order the reference lists them. */
  reasons: [string, string][];
  functionLines: SynthFunctionLine[];
  economicLines: SynthEconomicLine[];
  threePublic: ThreePublicAmounts;
  operatingCosts: Decimal;
  procurement: { goods: Decimal; works: Decimal; services: Decimal };
  assets: {
    vehicles: { general: number; lawEnforcement: number; special: number; other: number };
    generalEquipmentOver50: number;
    specialEquipmentOver100: number;
  };
  projects: SynthProject[];
  /** 负责管理的专项转移支付项目: every fourth unit has one, so their text is rendered too. */
  specialTransfers: { name: string; amount: Decimal }[];
}

const ZERO = new Decimal(0);

function total(values: Iterable<Decimal | null | undefined>): Decimal {
  let t = ZERO;
  for (const v of values) if (v) t = t.plus(v);
  return t;
}

/** `whole` × per-mille rate, to the 分 (0.01 万元), half-up. */
function perMille(whole: Decimal, rate: number): Decimal {
  return whole.times(rate).dividedBy(1000).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * Splits an amount (two decimals) into parts proportional to integer weights; every
 * part is at least 0.01 and the parts add up to exactly `amount`.
 */
export function splitAmount(amount: Decimal, weights: readonly number[]): Decimal[] {
  const minimum = new Decimal('0.01');
  const rest = amount.minus(minimum.times(weights.length));
  if (rest.isNegative()) throw new RangeError(`cannot split ${amount.toFixed(2)} into ${weights.length} parts`);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => rest.times(w).dividedBy(weightSum).toDecimalPlaces(2, Decimal.ROUND_DOWN));
  parts[parts.length - 1] = rest.minus(total(parts.slice(0, -1)));
  return parts.map((p) => p.plus(minimum));
}

/** Edit distance, to keep project names apart (checks.ts warns about names one character apart). */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

class ProjectNames {
  private readonly names: string[] = [];

  /** Takes the name unless it repeats or nearly repeats one already taken. */
  take(name: string): boolean {
    if (this.names.some((n) => editDistance(n, name) <= 1)) return false;
    this.names.push(name);
    return true;
  }

  /** The first acceptable theme + activity pair, in an order shuffled by `rng`. */
  choose(rng: Prng, subjects: readonly string[], activities: readonly Activity[]): { subject: string; activity: Activity; name: string } {
    const pairs = subjects.flatMap((subject) => activities.map((activity) => ({ subject, activity, name: `${subject}${activity.suffix}` })));
    for (const pair of rng.shuffled(pairs)) if (this.take(pair.name)) return pair;
    throw new Error(`no unused project name left among ${pairs.length} theme/activity pairs`);
  }
}

/** What a unit's position in the set guarantees, so any six consecutive units cover the spread. */
interface Profile {
  projectCount: number;
  governmentFund: boolean;
  allThreePublic: boolean;
  targeted: 'none' | 'some' | 'many';
}

function profileFor(index: number, rng: Prng): Profile {
  const slot = index % 6;
  const projectCount =
    slot === 0 ? 1 : slot === 3 ? rng.int(40, 60) : rng.weighted<() => number>([[() => rng.int(2, 12), 60], [() => rng.int(13, 39), 40]])();
  return {
    projectCount,
    governmentFund: projectCount >= 2 && (slot === 2 || slot === 3 || rng.chance(15)),
    allThreePublic: slot === 3 || slot === 5,
    targeted: slot === 3 ? 'many' : rng.weighted([['none', 40], ['some', 60]] as const),
  };
}

/** Accumulates function and economic lines keyed by code and fund. */
class Ledger {
  private readonly functionLines = new Map<string, SynthFunctionLine>();
  private readonly economicLines = new Map<string, SynthEconomicLine>();

  constructor(private readonly agency: Agency) {}

  addFunction(item: FunctionItem, fund: SynthFund, key: FunctionAmountKey, amount: Decimal): void {
    if (amount.isZero()) return;
    const id = `${item.code}/${fund}`;
    const line = this.functionLines.get(id) ?? { code: item.code, name: item.name, fund, amounts: {} };
    line.amounts[key] = (line.amounts[key] ?? ZERO).plus(amount);
    this.functionLines.set(id, line);
  }

  addEconomic(code: EconomicCodeId, fund: SynthFund, part: 'basic' | 'project', amount: Decimal): void {
    if (amount.isZero()) return;
    const id = `${code}/${fund}`;
    const entry = ECONOMIC_CODES[code];
    const line = this.economicLines.get(id) ?? { code, name: entry.name, govCode: entry.gov[this.agency.kind], fund, basic: null, project: null };
    line[part] = (line[part] ?? ZERO).plus(amount);
    this.economicLines.set(id, line);
  }

  economicTotal(codes: readonly EconomicCodeId[], part: 'basic' | 'project'): Decimal {
    return total([...this.economicLines.values()].filter((l) => (codes as readonly string[]).includes(l.code)).map((l) => l[part]));
  }

  /** 一般公共预算 lines first, each group by code, as the tables list them. */
  functionList(): SynthFunctionLine[] {
    return [...this.functionLines.values()].sort(byFundThenCode);
  }

  economicList(): SynthEconomicLine[] {
    return [...this.economicLines.values()].sort(byFundThenCode);
  }
}

function byFundThenCode(a: { fund: SynthFund; code: string }, b: { fund: SynthFund; code: string }): number {
  if (a.fund !== b.fund) return a.fund === 'general_public' ? -1 : 1;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

interface Identity {
  agency: Agency;
  unit: SynthUnit['unit'];
  areaCode: string;
}

function identityFor(seed: number, index: number, rng: Prng): Identity {
  const agency = AGENCIES[(index + seed) % AGENCIES.length];
  const district = DISTRICTS[Math.floor(index / AGENCIES.length) % DISTRICTS.length];
  // 7 is prime to 900, so 900 consecutive units get 900 different department codes.
  const departmentCode = String(100 + ((index * 7 + seed) % 900));
  const unitCode = `${departmentCode}${String(1 + Math.floor(index / 900)).padStart(3, '0')}`;
  const name = `${district.name}${agency.name}`;
  const duties = [...rng.subset(agency.duties, rng.int(Math.min(3, agency.duties.length), agency.duties.length)), ...COMMON_DUTIES];
  const composition = [agency.composition[0], ...rng.subset(agency.composition.slice(1), rng.int(2, agency.composition.length - 1))];
  return {
    agency,
    areaCode: district.areaCode,
    unit: { name, shortName: `区${agency.name}`, code: unitCode, department: { code: departmentCode, name }, duties, composition },
  };
}

/** Basic spending: salaries and social contributions (人员经费) and running costs (公用经费). */
function addBasicSpending(ledger: Ledger, identity: Identity, threePublic: ThreePublicAmounts, rng: Prng): void {
  const { agency } = identity;
  const kind = agency.kind;
  const headcount = rng.weighted<() => number>([[() => rng.int(5, 25), 50], [() => rng.int(25, 60), 35], [() => rng.int(60, 120), 15]])();
  const salaryPool = rng.amount(700, 1100).times(headcount);

  const salaryCodes: [EconomicCodeId, number][] =
    kind === 'admin'
      ? [['30101', 30], ['30102', 32], ['30103', 12], ['30199', 14]]
      : [['30101', 28], ['30102', 8], ['30103', 10], ['30107', 30], ['30199', 12]];
  if (rng.chance(50)) salaryCodes.push(['30112', 1]);
  const salaries = splitAmount(salaryPool, salaryCodes.map(([, w]) => w * rng.int(80, 120)));
  salaryCodes.forEach(([code], i) => ledger.addEconomic(code, 'general_public', 'basic', salaries[i]));

  const contributions: [EconomicCodeId, FunctionItem, Decimal][] = [
    ['30108', PERSONNEL_LINES.pension, perMille(salaryPool, rng.int(150, 170))],
    ['30110', PERSONNEL_LINES.medical[kind], perMille(salaryPool, rng.int(60, 90))],
    ['30113', PERSONNEL_LINES.housing, perMille(salaryPool, rng.int(80, 120))],
  ];
  if (rng.chance(60)) contributions.push(['30109', PERSONNEL_LINES.annuity, perMille(salaryPool, rng.int(70, 80))]);
  for (const [code, line, amount] of contributions) {
    ledger.addEconomic(code, 'general_public', 'basic', amount);
    ledger.addFunction(line, 'general_public', 'wages', amount);
  }
  if (rng.chance(35)) {
    const retirees = rng.int(1, Math.max(1, Math.floor(headcount / 4)));
    const pensions = rng.amount(300, 700).times(retirees);
    ledger.addEconomic('30302', 'general_public', 'basic', pensions);
    ledger.addFunction(PERSONNEL_LINES.retirees[kind], 'general_public', 'family_subsidy', pensions);
  }

  // Running costs, plus the 三公 items paid from basic spending (booked to their fixed 款).
  const runningPool: [EconomicCodeId, number][] = [
    ['30205', 5], ['30206', 10], ['30207', 10], ['30211', 10], ['30213', 8], ['30215', 4],
    ['30216', 5], ['30229', 10], ['30239', 15], ['30299', 10],
  ];
  const running: [EconomicCodeId, number][] = [['30201', 30], ...rng.subset(runningPool, rng.int(2, 6))];
  const runningCosts = splitAmount(rng.amount(60, 200).times(headcount), running.map(([, w]) => w * rng.int(80, 120)));
  running.forEach(([code], i) => ledger.addEconomic(code, 'general_public', 'basic', runningCosts[i]));
  ledger.addEconomic('30212', 'general_public', 'basic', threePublic.abroad);
  ledger.addEconomic('30217', 'general_public', 'basic', threePublic.reception);
  ledger.addEconomic('30231', 'general_public', 'basic', threePublic.vehicleOperation);
  const capital = rng.chance(20) ? rng.amount(100, 800) : ZERO;
  ledger.addEconomic('31002', 'general_public', 'basic', capital);
  if (rng.chance(70)) {
    // 工会经费 is 2% of pay by rule and has its own function line, as in the reference.
    const union = perMille(salaryPool, 20);
    ledger.addEconomic('30228', 'general_public', 'basic', union);
    ledger.addFunction(PERSONNEL_LINES.union, 'general_public', 'goods_services', union);
  }

  // Salaries and running costs belong to the operation line(s): 行政运行 / 事业运行.
  const goods = total([...runningCosts, threePublic.abroad, threePublic.reception, threePublic.vehicleOperation]);
  const wages = total(salaries);
  const operation = agency.operation.length > 1 && rng.chance(50) ? agency.operation : agency.operation.slice(0, 1);
  const weights = operation.map((_, i) => (i === 0 ? rng.int(60, 85) : rng.int(15, 40)));
  const wageShares = splitAmount(wages, weights);
  const goodsShares = splitAmount(goods, weights);
  operation.forEach((line, i) => {
    ledger.addFunction(line, 'general_public', 'wages', wageShares[i]);
    ledger.addFunction(line, 'general_public', 'goods_services', goodsShares[i]);
  });
  ledger.addFunction(operation[0], 'general_public', 'capital', capital);
}

function drawThreePublic(profile: Profile, rng: Prng): ThreePublicAmounts & { vehicles: number } {
  const all = profile.allThreePublic;
  const vehicles = all || rng.chance(60) ? rng.int(1, 3) : 0;
  const vehicleOperation = Decimal.sum(ZERO, ...Array.from({ length: vehicles }, () => rng.amount(80, 250)));
  return {
    abroad: all || rng.chance(8) ? rng.amount(100, 800) : ZERO,
    reception: all || rng.chance(50) ? rng.amount(30, 500) : ZERO,
    vehicleOperation,
    // Filled in from the 公务用车购置 project, if the unit has one.
    vehiclePurchase: ZERO,
    vehicles,
  };
}

function projectCode(areaCode: string, index: number, position: number): string {
  // area (6) + year (2) + serial (13): unique across the set while a unit has under 100 projects.
  return `${areaCode}${String(SYNTH_YEAR % 100).padStart(2, '0')}${String(index * 100 + position + 1).padStart(13, '0')}`;
}

/** Books a project's money to one or two of its activity's 经济分类 款. */
function bookProject(ledger: Ledger, rng: Prng, fund: SynthFund, codes: readonly EconomicCodeId[], amount: Decimal): void {
  if (codes.length >= 2 && amount.greaterThanOrEqualTo(1) && rng.chance(50)) {
    const pair = rng.subset(codes, 2);
    const shares = splitAmount(amount, [rng.int(40, 90), rng.int(10, 60)]);
    pair.forEach((code, i) => ledger.addEconomic(code, fund, 'project', shares[i]));
  } else {
    ledger.addEconomic(rng.pick(codes), fund, 'project', amount);
  }
}

interface PlannedProject extends BuiltProject {
  name: string;
  type: SynthProjectType;
  fund: SynthFund;
  line: FunctionItem;
}

function addProjects(ledger: Ledger, identity: Identity, profile: Profile, threePublic: ThreePublicAmounts, rng: Prng): PlannedProject[] {
  const { agency } = identity;
  const names = new ProjectNames();
  const planned: PlannedProject[] = [];
  let remaining = profile.projectCount;
  const targetedPercent = (activity: Activity) =>
    profile.targeted === 'none' ? 0 : profile.targeted === 'many' ? Math.max(activity.targetedPercent, 40) : activity.targetedPercent;

  if ((profile.allThreePublic || rng.chance(8)) && remaining >= 2) {
    const vehicle = vehiclePurchaseProject(rng, SYNTH_YEAR);
    const name = '公务用车更新购置';
    names.take(name);
    threePublic.vehiclePurchase = vehicle.amount;
    planned.push({ ...vehicle, name, type: '特定目标类', fund: 'general_public', line: agency.operation[0] });
    ledger.addEconomic('31013', 'general_public', 'project', vehicle.amount);
    remaining -= 1;
  }

  if (profile.governmentFund) {
    const preferred = GOVERNMENT_FUND_LINES.filter((l) => agency.governmentFund?.includes(l.code));
    const pool = preferred.length > 0 ? preferred : GOVERNMENT_FUND_LINES;
    const lines = rng.subset(pool, Math.min(pool.length, remaining >= 3 && rng.chance(40) ? 2 : 1));
    const count = Math.min(remaining, rng.int(lines.length, lines.length + 3));
    for (let i = 0; i < count; i++) {
      const line = i < lines.length ? lines[i] : rng.pick(lines);
      const { subject, activity, name } = names.choose(rng, line.subjects, FUND_ACTIVITIES);
      const built = activity.build(rng, subject, SYNTH_YEAR);
      planned.push({ ...built, name, type: '特定目标类', fund: 'government_fund', line });
      bookProject(ledger, rng, 'government_fund', activity.economic, built.amount);
    }
    remaining -= count;
  }

  const candidates = [agency.operation[0], ...agency.business];
  const lines = rng.subset(candidates, rng.int(1, Math.max(1, Math.min(candidates.length, remaining))));
  const subjects = [...agency.subjects, ...COMMON_SUBJECTS];
  for (let i = 0; i < remaining; i++) {
    const { subject, activity, name } = names.choose(rng, subjects, ACTIVITIES);
    const built = activity.build(rng, subject, SYNTH_YEAR);
    const type: SynthProjectType = rng.chance(targetedPercent(activity)) ? '特定目标类' : '其他运转类';
    planned.push({ ...built, name, type, fund: 'general_public', line: i < lines.length ? lines[i] : rng.pick(lines) });
    bookProject(ledger, rng, 'general_public', activity.economic, built.amount);
  }

  for (const p of planned) ledger.addFunction(p.line, p.fund, p.type === '其他运转类' ? 'project_operating' : 'project_targeted', p.amount);
  return planned;
}

/** A prior-year figure: the same, somewhat different, or (sometimes) none. */
function priorOf(current: Decimal, rng: Prng, appearPercent: number, appear: () => Decimal): Decimal {
  if (current.isZero()) return rng.chance(appearPercent) ? appear() : ZERO;
  const r = rng.int(0, 99);
  if (r < 40) return current;
  if (r < 80) return perMille(current, rng.int(700, 1300));
  return ZERO;
}

type Direction = 'up' | 'down';

function direction(current: Decimal, prior: Decimal): Direction | null {
  const c = current.comparedTo(prior);
  return c === 0 ? null : c > 0 ? 'up' : 'down';
}

/** Reasons in the reference's wording, for the changes that happened. */
function reasonsFor(unit: Omit<SynthUnit, 'reasons'>, rng: Prng): [string, string][] {
  const top = [...unit.projects]
    .filter((p) => p.fund === 'general_public')
    .sort((a, b) => b.amount.comparedTo(a.amount))
    .slice(0, 2)
    .map((p) => p.name)
    .join('、');
  const fundTop = unit.projects.find((p) => p.fund === 'government_fund')?.name ?? '';
  const special = top ? `${top}等专项` : '专项';
  const reasons: [string, string][] = [];

  const current = unit.income.generalPublic.plus(unit.income.governmentFund ?? ZERO);
  const overall = direction(current, unit.prior.total);
  if (overall) {
    const variant = rng.int(0, 1);
    const say = (budgetWord: string): string =>
      overall === 'up'
        ? [`一是正常增人增资增加人员支出${budgetWord}；二是${special}支出${budgetWord}增加`, `一是落实调资政策增加人员经费${budgetWord}；二是${special}支出${budgetWord}增加`][variant]
        : [`一是落实过紧日子要求，压减一般性支出${budgetWord}；二是部分一次性项目已完成，项目支出${budgetWord}减少`, `一是人员减少相应减少人员支出${budgetWord}；二是压减非刚性、非重点项目支出${budgetWord}`][variant];
    reasons.push(['income_change', say('预算')], ['expense_change', say('')]);
  }
  const gp = direction(unit.income.generalPublic, unit.prior.generalPublic);
  if (gp) reasons.push(['general_public_change', gp === 'up' ? `${special}支出增加` : '压减非刚性、非重点项目支出']);
  const fund = direction(unit.income.governmentFund ?? ZERO, unit.prior.governmentFund);
  if (fund) {
    const text =
      fund === 'down'
        ? unit.income.governmentFund ? '部分政府性基金项目上年已完成，本年相应减少' : '上年政府性基金项目已完成，本年未安排政府性基金预算支出'
        : unit.prior.governmentFund.isZero() ? `新增${fundTop}等政府性基金项目` : `${fundTop}等政府性基金项目支出增加`;
    reasons.push(['government_fund_change', text]);
  }
  const threePublicReasons: [keyof ThreePublicAmounts, string, string, string][] = [
    ['abroad', 'abroad_change', '按计划安排因公出国（境）考察学习任务', '严格控制因公出国（境）团组和人数'],
    ['reception', 'reception_change', '上级检查指导及业务交流接待任务增加', '严格执行公务接待标准，压减公务接待支出'],
    ['vehiclePurchase', 'vehicle_purchase_change', '按规定更新已达报废年限的公务用车', '上年公务用车购置任务已完成'],
    ['vehicleOperation', 'vehicle_operation_change', '车辆使用年限增加，维修费用增加', '严格公务用车使用管理，压减运行维护费用'],
  ];
  for (const [field, key, up, down] of threePublicReasons) {
    const d = direction(unit.threePublic[field], unit.prior.threePublic[field]);
    if (d) reasons.push([key, d === 'up' ? up : down]);
  }
  return reasons;
}

/** The unit at `index` of the set generated with `seed`; the same arguments give the same unit. */
export function synthesizeUnit(seed: number, index: number): SynthUnit {
  const rng = new Prng(deriveSeed(seed, index));
  const identity = identityFor(seed, index, rng);
  const { agency } = identity;
  const profile = profileFor(index, rng);
  const ledger = new Ledger(agency);

  const { vehicles, ...threePublic } = drawThreePublic(profile, rng);
  const planned = addProjects(ledger, identity, profile, threePublic, rng);
  addBasicSpending(ledger, identity, threePublic, rng);

  const functionLines = ledger.functionList();
  const fundTotal = (fund: SynthFund) =>
    total(functionLines.filter((l) => l.fund === fund).flatMap((l) => FUNCTION_AMOUNT_KEYS.map((k) => l.amounts[k])));
  const generalPublic = fundTotal('general_public');
  const governmentFund = fundTotal('government_fund');
  const operatingCosts = total(functionLines.filter((l) => l.fund === 'general_public').flatMap((l) => [l.amounts.goods_services, l.amounts.capital]));

  const priorThreePublic: ThreePublicAmounts = {
    abroad: priorOf(threePublic.abroad, rng, 10, () => rng.amount(100, 600)),
    reception: priorOf(threePublic.reception, rng, 20, () => rng.amount(30, 300)),
    vehiclePurchase: priorOf(threePublic.vehiclePurchase, rng, 10, () => rng.amount(1200, 3000)),
    vehicleOperation: priorOf(threePublic.vehicleOperation, rng, 15, () => rng.amount(80, 250)),
  };
  const priorGeneralPublic = perMille(generalPublic, rng.int(750, 1250));
  const priorGovernmentFund = governmentFund.isZero()
    ? rng.chance(15) ? rng.amount(5000, 50000) : ZERO
    : rng.chance(50) ? ZERO : perMille(governmentFund, rng.int(500, 1500));

  const unitWithoutReasons: Omit<SynthUnit, 'reasons'> = {
    seed,
    index,
    year: SYNTH_YEAR,
    unit: identity.unit,
    income: { generalPublic, governmentFund: governmentFund.isZero() ? null : governmentFund },
    prior: {
      total: priorGeneralPublic.plus(priorGovernmentFund),
      generalPublic: priorGeneralPublic,
      governmentFund: priorGovernmentFund,
      threePublic: priorThreePublic,
    },
    functionLines,
    economicLines: ledger.economicList(),
    threePublic,
    operatingCosts,
    procurement: {
      goods: ledger.economicTotal(['31002', '31003', '31007', '31013'], 'project'),
      works: ledger.economicTotal(['31005'], 'project'),
      services: ledger.economicTotal(['30227'], 'project'),
    },
    assets: {
      vehicles: {
        general: vehicles + (threePublic.vehiclePurchase.isZero() ? 0 : 1),
        lawEnforcement: (agency.name === '城市管理局' || agency.name === '市场监督管理局') && rng.chance(60) ? rng.int(1, 4) : 0,
        special: 0,
        other: 0,
      },
      generalEquipmentOver50: rng.chance(10) ? 1 : 0,
      specialEquipmentOver100: agency.name === '疾病预防控制中心' && rng.chance(50) ? 1 : 0,
    },
    projects: planned.map((p, i) => ({
      code: projectCode(identity.areaCode, index, i),
      name: p.name,
      type: p.type,
      fund: p.fund,
      amount: p.amount,
      indicators: p.indicators,
    })),
    // No random draw: adding one would change every unit generated after it.
    specialTransfers: index % 4 === 1 ? [{ name: `${agency.name}专项补助资金`, amount: new Decimal(5 + (index % 7)).plus('0.50') }] : [],
  };
  return { ...unitWithoutReasons, reasons: reasonsFor(unitWithoutReasons, rng) };
}
