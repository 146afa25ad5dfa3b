/**
 * Consistency rules. Each rule has a stable id, a severity and a Chinese message that
 * names the figures on both sides and their difference, and points at the YAML lines
 * that take part. Rules only read the model and the derived figures.
 */
import { Decimal, sum, orZero, fixed2, equal, isZero } from './decimal.js';
import {
  BASIC_COLUMN_CLASSES, ECONOMIC_CLASS_NAMES, FUNCTION_CLASS_NAMES, GOV_ECONOMIC_FOR_CLASS, GOV_ECONOMIC_NAMES, THREE_PUBLIC_ECONOMIC_CODES,
} from './classification.js';
import { deriveFigures, economicLineTotal, functionLineFigures, threePublicTotal, type BudgetFigures } from './derive.js';
import type { Finding, Severity, SourceLoc } from './findings.js';
import { childPath, editDistance, unknownKeyHint } from './schema.js';
import { INCOME_SOURCES, CARRYOVER_SOURCES, FUNDS, FUND_NAMES, INDICATOR_KINDS, type Amount, type Budget, type EconomicLine, type Fund, type ReasonKey } from './model.js';

/** Resolves a data path such as `projects[3].amount` to where it stands in the YAML file. */
export type Locate = (path: string) => SourceLoc | undefined;

export interface RuleInfo {
  id: string;
  severity: Severity;
  title: string;
}

/** Every rule this module can report, for `check --list-rules` and the docs. */
export const RULES: readonly RuleInfo[] = [
  { id: 'sum.income-expense', severity: 'error', title: '收入总计 = 支出总计' },
  { id: 'sum.fund-balance', severity: 'error', title: '各项财政拨款收入 = 同一资金的支出' },
  { id: 'sum.appropriation', severity: 'error', title: '其中：财政拨款 不超过 一般公共预算' },
  { id: 'sum.line-total', severity: 'error', title: '每行 合计 = 基本支出 + 项目支出（填写了合计时）' },
  { id: 'sum.economic-total', severity: 'error', title: '经济分类合计 = 功能分类合计' },
  { id: 'sum.basic-personnel', severity: 'error', title: '人员经费：功能分类 = 经济分类' },
  { id: 'sum.basic-public', severity: 'error', title: '公用经费：功能分类 = 经济分类' },
  { id: 'sum.basic-split', severity: 'error', title: '基本支出各栏（工资福利 / 对个人和家庭的补助 / 商品和服务 / 资本性）：功能分类 = 经济分类对应类，按资金分别核对' },
  { id: 'sum.project-list', severity: 'error', title: '项目合计 = 功能分类项目支出（分类型）' },
  { id: 'sum.project-fund', severity: 'error', title: '项目合计 = 功能分类项目支出，按资金（fund）分别核对' },
  { id: 'sum.economic-fund', severity: 'error', title: '经济分类 = 功能分类，按资金（fund）和基本/项目分别核对' },
  { id: 'sum.carryover-spending', severity: 'error', title: '标明用上年结转（from_carryover）的支出不超过该资金的上年结转；其项目支出在项目表与经济分类中相同' },
  { id: 'sum.three-public', severity: 'error', title: '“三公”合计 = 出国 + 接待 + 车辆购置 + 车辆运行（填写了合计时）' },
  { id: 'sum.procurement', severity: 'error', title: '政府采购合计 = 货物 + 工程 + 服务（填写了合计时）' },
  { id: 'three-public.economic', severity: 'error', title: '“三公”各项 = 对应经济分类科目' },
  { id: 'sum.operating-costs', severity: 'warning', title: '机构运行经费不超过基本支出中的公用经费' },
  { id: 'perf.missing', severity: 'error', title: '每个项目都有绩效目标' },
  { id: 'perf.funding', severity: 'error', title: '绩效目标资金总额 = 项目金额' },
  { id: 'perf.indicators', severity: 'error', title: '绩效目标至少有一项绩效指标' },
  { id: 'perf.cost-cap', severity: 'error', title: '成本指标上限不超过项目金额' },
  { id: 'code.function', severity: 'error', title: '功能分类编码：类 3 位 + 款 2 位 + 项 2 位，类为已知科目' },
  { id: 'code.economic', severity: 'error', title: '经济分类编码：类 3 位 + 款 2 位，部门预算经济分类的类与政府预算经济分类的款为已知科目' },
  { id: 'code.economic-mapping', severity: 'error', title: '部门预算经济分类与所填政府预算经济分类属同一性质（301→501/50501，302→502/50502，303→509，310→503/504/506…）' },
  { id: 'code.duplicate', severity: 'error', title: '编码不重复' },
  { id: 'name.inconsistent', severity: 'error', title: '同一编码在各处名称一致' },
  { id: 'name.duplicate', severity: 'warning', title: '不同编码的项目名称相同' },
  { id: 'name.similar', severity: 'warning', title: '名称相近的不同项目（可能是同一项目写法不一）' },
  { id: 'texts.unknown-key', severity: 'error', title: 'texts 的键是公开格式中可覆盖的文字' },
  { id: 'data.missing', severity: 'warning', title: '规则需要或正文要印出的数据缺失' },
  { id: 'reason.missing', severity: 'warning', title: '与上年相比有增减的数字说明了原因（reasons）' },
];

const SEVERITY = new Map(RULES.map((r) => [r.id, r.severity]));

/** 万元 figure as messages quote it. */
function fig(v: Amount): string {
  return fixed2(orZero(v));
}

class FindingSink {
  readonly findings: Finding[] = [];
  constructor(
    private readonly locate: Locate,
    private readonly isBlank: (path: string) => boolean = () => false,
  ) {}

  add(rule: string, message: string, path?: string, relatedPaths: string[] = []): void {
    const severity = SEVERITY.get(rule);
    if (!severity) throw new Error(`unknown rule id ${rule}`);
    const related = relatedPaths.map((p) => this.locate(p)).filter((l): l is SourceLoc => l !== undefined);
    this.findings.push({ rule, severity, message, path, loc: path === undefined ? undefined : this.nearest(path), related: related.length ? related : undefined });
  }

  /** Whether the data file writes `path` with a value: the model fills a section left out (or left blank) with defaults, which then print as facts. */
  written(path: string): boolean {
    return this.locate(path) !== undefined && !this.isBlank(path);
  }

  /** Where `path` is written, or its nearest written parent (a missing field points at the mapping that lacks it). */
  private nearest(path: string): SourceLoc | undefined {
    for (let p = path; ; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
      const loc = this.locate(p);
      if (loc || p === '') return loc;
      if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) return this.locate('');
    }
  }

  /** Report unless `a` equals `b`; the message names both sides and the difference, then `hint` (what to look at). */
  equal(rule: string, what: string, aLabel: string, a: Amount, bLabel: string, b: Amount, path: string | undefined, related: string[], hint = ''): void {
    if (equal(a, b)) return;
    const diff = orZero(a).minus(orZero(b));
    this.add(rule, `${what}：${aLabel} ${fig(a)} 与 ${bLabel} ${fig(b)} 不等，相差 ${fixed2(diff.abs())}${hint}`, path, related);
  }
}

/** The three 财政拨款 funds: each has its own income line. */
const FISCAL_FUNDS = ['general_public', 'government_fund', 'state_capital'] as const;

const AMOUNT_KEYS = ['wages', 'family_subsidy', 'goods_services', 'capital', 'project_operating', 'project_targeted'] as const;

function functionLinePaths(budget: Budget, keys: readonly string[] = AMOUNT_KEYS, fund?: Fund): string[] {
  return budget.functionLines.flatMap((l, i) => (fund && l.fund !== fund ? [] : keys.map((k) => `function_lines[${i}].${k}`)));
}

function economicLinePaths(budget: Budget, keys: readonly string[], filter: (i: number) => boolean = () => true): string[] {
  return budget.economicLines.flatMap((_, i) => (filter(i) ? keys.map((k) => `economic_lines[${i}].${k}`) : []));
}

/**
 * Each 财政拨款 fund: what comes in (this year and carried over) is what is spent from it, plus
 * what is left at year end. 年终结转结余 is one figure, not split by fund, so with none each fund
 * must balance exactly; with some, no fund may spend more than it has, and the funds' leftovers
 * together cannot exceed it (the rest of it is other money's leftover).
 */
function checkFundBalance(budget: Budget, expenseByFund: Record<Fund, Amount>, s: FindingSink): void {
  const available = (fund: (typeof FISCAL_FUNDS)[number]) => sum([budget.income[fund], budget.carryover[fund]]);
  const related = (fund: Fund) => [`income.${fund}`, `carryover.${fund}`, ...functionLinePaths(budget, AMOUNT_KEYS, fund)];
  // A line booked to the wrong fund unbalances two funds by the same amount, one each way.
  const imbalance = FISCAL_FUNDS.map((f) => orZero(available(f)).minus(orZero(expenseByFund[f])));
  const misbooked = imbalance.some((d) => !d.isZero()) && sum(imbalance)!.isZero();
  const hint = misbooked ? FUND_HINT : '';
  if (orZero(budget.yearEndCarryover).isZero()) {
    for (const fund of FISCAL_FUNDS) {
      const name = FUND_NAMES[fund];
      s.equal('sum.fund-balance', `${name}收支不平衡`, `${name}收入`, available(fund), `${name}支出`, expenseByFund[fund],
        `income.${fund}`, related(fund).slice(1), hint);
    }
    return;
  }
  const leftovers: [Fund, Decimal][] = [];
  for (const fund of FISCAL_FUNDS) {
    const name = FUND_NAMES[fund];
    const rest = orZero(available(fund)).minus(orZero(expenseByFund[fund]));
    if (rest.isNegative()) {
      s.add('sum.fund-balance', `${name}支出 ${fig(expenseByFund[fund])} 大于 ${name}收入（含上年结转）${fig(available(fund))}，超出 ${fixed2(rest.abs())}${hint}`,
        `income.${fund}`, related(fund).slice(1));
    } else if (!rest.isZero()) leftovers.push([fund, rest]);
  }
  const leftover = leftovers.reduce((a, [, r]) => a.plus(r), new Decimal(0));
  const yearEnd = orZero(budget.yearEndCarryover);
  if (leftover.greaterThan(yearEnd)) {
    const parts = leftovers.map(([fund, r]) => `${FUND_NAMES[fund]} ${fixed2(r)}`).join('、');
    s.add('sum.fund-balance', `财政拨款收入未支出的部分合计 ${fixed2(leftover)}（${parts}）大于 年终结转结余 ${fig(yearEnd)}，相差 ${fixed2(leftover.minus(yearEnd))}` +
      '（年终结转结余没有按资金分列，只能核对到合计）', 'year_end_carryover', leftovers.flatMap(([fund]) => related(fund)));
  }
}

function checkTotals(budget: Budget, d: BudgetFigures, s: FindingSink): void {
  const incomePaths = [...INCOME_SOURCES.map((k) => `income.${k}`), ...CARRYOVER_SOURCES.map((k) => `carryover.${k}`)];
  s.equal('sum.income-expense', '收支不平衡', '收入总计', d.incomeGrandTotal, '支出总计', d.expenseGrandTotal, 'income',
    [...incomePaths, 'year_end_carryover', ...functionLinePaths(budget)]);

  checkFundBalance(budget, d.expenseByFund, s);
  const gp = budget.income.general_public;
  const appropriation = budget.income.generalPublicAppropriation;
  if (appropriation !== null && orZero(appropriation).greaterThan(orZero(gp))) {
    s.add('sum.appropriation', `其中：财政拨款 ${fig(appropriation)} 大于 一般公共预算 ${fig(gp)}，超出 ${fixed2(orZero(appropriation).minus(orZero(gp)))}`,
      'income.general_public_appropriation', ['income.general_public']);
  }

  budget.functionLines.forEach((line, i) => {
    if (line.statedTotal === null) return;
    const f = functionLineFigures(line);
    s.equal('sum.line-total', `功能分类 ${line.code} ${line.name}`, '合计', line.statedTotal, '基本支出 + 项目支出', f.total,
      `function_lines[${i}].total`, AMOUNT_KEYS.map((k) => `function_lines[${i}].${k}`));
  });

  if (budget.economicLines.length === 0) {
    s.add('data.missing', '没有经济分类（economic_lines），无法核对经济分类与功能分类，也无法生成经济分类各表', 'economic_lines');
  } else {
    s.equal('sum.economic-total', '经济分类与功能分类合计不一致', '经济分类合计', d.economicTotal, '功能分类合计', d.expenseCurrent,
      'economic_lines', suspectPaths(fundPartParts(budget)));
    const columns = basicColumnParts(budget, 'general_public');
    const personnel = columns.filter((c) => c.column?.personnel === true);
    const pub = columns.filter((c) => c.column?.personnel !== true);
    s.equal('sum.basic-personnel', '一般公共预算基本支出·人员经费', '经济分类', d.economicBasic.personnel, '功能分类', d.generalPublic.personnel,
      'economic_lines', suspectPaths(personnel));
    s.equal('sum.basic-public', '一般公共预算基本支出·公用经费', '经济分类', d.economicBasic.public, '功能分类', d.generalPublic.public,
      'economic_lines', suspectPaths(pub));
  }

  const projectPaths = budget.projects.map((_, i) => `projects[${i}].amount`);
  for (const [type, key] of [['其他运转类', 'project_operating'], ['特定目标类', 'project_targeted']] as const) {
    const listed = sum(budget.projects.filter((p) => p.type === type).map((p) => p.amount));
    s.equal('sum.project-list', `项目支出（${type}）`, '项目表合计', listed, '功能分类项目支出', d.projectByType[type],
      'projects', [...projectPaths, ...functionLinePaths(budget, [key])]);
  }

  checkFundSplits(budget, d, s);

  const t = budget.threePublic;
  if (t.statedTotal !== null) {
    s.equal('sum.three-public', '“三公”经费', '合计', t.statedTotal, '出国 + 接待 + 车辆购置 + 车辆运行', threePublicTotal(t),
      'three_public.total', ['three_public.abroad', 'three_public.reception', 'three_public.vehicle_purchase', 'three_public.vehicle_operation']);
  }
  const p = budget.procurement;
  if (p.statedTotal !== null) {
    s.equal('sum.procurement', '政府采购', '合计', p.statedTotal, '货物 + 工程 + 服务', d.procurementTotal,
      'procurement.total', ['procurement.goods', 'procurement.works', 'procurement.services']);
  }
}

/** What to look at when spending is booked to the wrong fund. */
const FUND_HINT = `；请核对功能分类、经济分类和项目各行的 fund（不写即 general_public；可填 ${FUNDS.map((f) => `${f} ${FUND_NAMES[f]}`).join('、')}）`;

/**
 * The projects whose amount is exactly `diff`: when two sides differ by one project's amount, that
 * project booked to the other side (its fund, its from_carryover) is the likeliest cause.
 */
function projectsOfAmount(budget: Budget, diff: Amount, only: (p: Budget['projects'][number]) => boolean = () => true): number[] {
  const d = orZero(diff).abs();
  if (d.isZero()) return [];
  return budget.projects.flatMap((p, i) => (only(p) && p.amount !== null && p.amount.equals(d) ? [i] : []));
}

/** “；金额正好是相差的 320.00 的项目：老旧小区…”, asking about `field`; '' for none. */
function projectsHint(budget: Budget, indices: readonly number[], diff: Amount, field: string): string {
  if (indices.length === 0 || indices.length > 3) return '';
  const names = indices.map((i) => `“${budget.projects[i].name}”`).join('、');
  return `；金额正好是相差的 ${fixed2(orZero(diff).abs())} 的项目：${names}，请先核对它的 ${field}`;
}

/**
 * The same spending split by fund three ways: function lines, economic lines and projects each say
 * which fund pays (`fund:`). The tables print each split (收支表 and 财政拨款表 from the function
 * lines, 经济分类汇总表 from the economic lines, 项目支出预算表 from the projects), so a line booked to
 * the wrong fund makes the tables disagree even when every total agrees. Checked only where the
 * totals agree: a differing total is sum.economic-total's or sum.project-list's to report.
 */
function checkFundSplits(budget: Budget, d: BudgetFigures, s: FindingSink): void {
  const projectParts = FUNDS.map((fund) => ({
    fund,
    listed: sum(budget.projects.filter((p) => p.fund === fund).map((p) => p.amount)),
    functional: sum(budget.functionLines.filter((l) => l.fund === fund).map((l) => functionLineFigures(l).project)),
  }));
  const projectTotalsAgree = equal(sum(projectParts.map((p) => p.listed)), sum(projectParts.map((p) => p.functional)));
  if (projectTotalsAgree) {
    for (const { fund, listed, functional } of projectParts) {
      const diff = orZero(listed).minus(orZero(functional));
      // Listed under this fund and more than the function lines give it: one of its projects, perhaps.
      const suspects = diff.isPositive() ? projectsOfAmount(budget, diff, (p) => p.fund === fund) : [];
      const related = [...budget.projects.flatMap((p, i) => (p.fund === fund ? [`projects[${i}].amount`] : [])),
        ...functionLinePaths(budget, ['project_operating', 'project_targeted'], fund)];
      s.equal('sum.project-fund', `${FUND_NAMES[fund]}项目支出`, '项目表', listed, '功能分类', functional,
        suspects.length > 0 ? `projects[${suspects[0]}]` : 'projects', related, projectsHint(budget, suspects, diff, 'fund（不写即 general_public）') || FUND_HINT);
    }
  }
  if (budget.economicLines.length === 0 || !equal(d.economicTotal, d.expenseCurrent)) return;
  // 基本支出 per fund is checked column by column (sum.basic-split); here only 项目支出.
  for (const { fund, part, economic, functional, paths } of fundPartParts(budget)) {
    if (part !== 'project') continue;
    s.equal('sum.economic-fund', `${FUND_NAMES[fund]}项目支出`, '经济分类', economic, '功能分类', functional, 'economic_lines', paths, FUND_HINT);
  }
}

/**
 * What economic lines and projects say they pay from 上年结转 (from_carryover: true), fund by fund:
 * neither side more than was carried over, and the same 项目支出 on both, since the 项目支出预算表 and
 * the 经济分类汇总表 each print it in their carryover columns.
 */
function checkCarryoverSpending(budget: Budget, d: BudgetFigures, s: FindingSink): void {
  for (const fund of FUNDS) {
    const carried = orZero(budget.carryover[fund]);
    const name = FUND_NAMES[fund];
    const economic = budget.economicLines.flatMap((l, i) => (l.fund === fund && l.fromCarryover ? [{ i, project: l.project }] : []));
    const projects = budget.projects.flatMap((p, i) => (p.fund === fund && p.fromCarryover ? [{ i, total: p.amount }] : []));
    const sides = [
      { label: '经济分类', key: 'economic_lines', items: economic, spent: orZero(d.carryoverSpendingByFund[fund]) },
      { label: '项目', key: 'projects', items: projects, spent: orZero(sum(projects.map((x) => x.total))) },
    ];
    for (const { label, key, items, spent } of sides) {
      if (!spent.greaterThan(carried)) continue;
      const [first, ...rest] = items.map(({ i }) => `${key}[${i}].from_carryover`);
      s.add('sum.carryover-spending', `${label}中标明用上年结转（from_carryover）的${name}支出 ${fixed2(spent)} 大于 ${name}上年结转 ${fixed2(carried)}，超出 ${fixed2(spent.minus(carried))}`,
        first, [`carryover.${fund}`, ...rest]);
    }
    const listed = sum(projects.map((x) => x.total));
    const booked = sum(economic.map((x) => x.project));
    // The economic side has more: a project of that amount not marked from_carryover, perhaps.
    const diff = orZero(booked).minus(orZero(listed));
    const suspects = diff.isPositive() ? projectsOfAmount(budget, diff, (p) => p.fund === fund && !p.fromCarryover) : [];
    const at = suspects.length > 0 ? `projects[${suspects[0]}]`
      : [...projects.map(({ i }) => `projects[${i}].from_carryover`), ...economic.map(({ i }) => `economic_lines[${i}].from_carryover`)][0] ?? 'projects';
    s.equal('sum.carryover-spending', `用上年结转的${name}项目支出`, '项目表', listed, '经济分类', booked,
      at, [...projects.map(({ i }) => `projects[${i}].amount`), ...economic.map(({ i }) => `economic_lines[${i}].project`)],
      projectsHint(budget, suspects, diff, 'from_carryover（用上年结转的项目写 from_carryover: true）'));
  }
}

/** A function line's 基本支出 columns: model field, YAML key, name, and whether it is 人员经费. */
const BASIC_COLUMNS = [
  { field: 'wages', key: 'wages', label: '工资福利支出', personnel: true },
  { field: 'familySubsidy', key: 'family_subsidy', label: '对个人和家庭的补助', personnel: true },
  { field: 'goodsServices', key: 'goods_services', label: '商品和服务支出', personnel: false },
  { field: 'capital', key: 'capital', label: '资本性支出', personnel: false },
] as const;
type BasicColumn = (typeof BASIC_COLUMNS)[number];

/** One part of a sum taken two ways: the economic side, the function side, and the data paths of both. */
interface Part {
  economic: Amount;
  functional: Amount;
  paths: string[];
}

/**
 * The paths of the parts whose two sides differ. One wrong figure makes its own part differ, so a
 * finding that lists these points at it without listing every line of the sum. All paths when none differs.
 */
function suspectPaths(parts: readonly Part[]): string[] {
  const differing = parts.filter((p) => !equal(p.economic, p.functional));
  return (differing.length > 0 ? differing : parts).flatMap((p) => p.paths);
}

/** 经济分类合计 = 功能分类合计, split by fund and into 基本/项目. */
function fundPartParts(budget: Budget): (Part & { fund: Fund; part: 'basic' | 'project' })[] {
  return FUNDS.flatMap((fund) => (['basic', 'project'] as const).map((part) => ({
    fund,
    part,
    economic: sum(budget.economicLines.filter((l) => l.fund === fund).map((l) => l[part])),
    functional: sum(budget.functionLines.filter((l) => l.fund === fund).map((l) => functionLineFigures(l)[part])),
    paths: [
      ...economicLinePaths(budget, [part], (i) => budget.economicLines[i].fund === fund),
      ...functionLinePaths(budget, part === 'basic' ? BASIC_COLUMNS.map((c) => c.key) : ['project_operating', 'project_targeted'], fund),
    ],
  })));
}

function columnOf(line: EconomicLine): BasicColumn | undefined {
  const cls = line.code.slice(0, 3);
  return BASIC_COLUMNS.find((c) => (BASIC_COLUMN_CLASSES[c.field] as readonly string[]).includes(cls));
}

/**
 * One fund's 基本支出 column by column, each with the economic lines of its 类; last, with no
 * column, the economic lines of any other 类 (they count as 公用经费 and have no function column).
 */
function basicColumnParts(budget: Budget, fund: Fund): (Part & { column?: BasicColumn })[] {
  const inFund = (i: number) => budget.economicLines[i].fund === fund && budget.economicLines[i].basic !== null;
  const economicOf = (filter: (i: number) => boolean): Part => ({
    economic: sum(budget.economicLines.filter((_, i) => filter(i)).map((l) => l.basic)),
    functional: null,
    paths: economicLinePaths(budget, ['basic'], filter),
  });
  const columns = BASIC_COLUMNS.map((column) => {
    const economic = economicOf((i) => inFund(i) && columnOf(budget.economicLines[i]) === column);
    return {
      column,
      economic: economic.economic,
      functional: sum(budget.functionLines.filter((l) => l.fund === fund).map((l) => l[column.field])),
      paths: [...economic.paths, ...functionLinePaths(budget, [column.key], fund)],
    };
  });
  return [...columns, economicOf((i) => inFund(i) && columnOf(budget.economicLines[i]) === undefined)];
}

/**
 * 基本支出 column by column, per fund: what the function lines enter as 工资福利 / 对个人和家庭的补助 /
 * 商品和服务 / 资本性 must be what the economic lines of the matching 类 hold. The 人员/公用 totals
 * (sum.basic-personnel, sum.basic-public) can agree while the columns do not, and both tables print the columns.
 */
function checkBasicSplit(budget: Budget, s: FindingSink): void {
  if (budget.economicLines.length === 0) return;
  for (const fund of FUNDS) {
    for (const part of basicColumnParts(budget, fund)) {
      if (!part.column) continue;
      const classes = BASIC_COLUMN_CLASSES[part.column.field].join('、');
      // At the first line of those that disagree (the economic lines of those classes first), the rest as 另见.
      const [at = 'economic_lines', ...rest] = part.paths;
      s.equal('sum.basic-split', `${FUND_NAMES[fund]}基本支出·${part.column.label}`, `经济分类 ${classes} 类`, part.economic, '功能分类', part.functional,
        at, rest);
    }
  }
  // A known 类 outside the four columns (其他支出 and the like) has nowhere to go in the function tables;
  // an unknown 类 is code.economic's to report.
  budget.economicLines.forEach((line, i) => {
    const cls = line.code.slice(0, 3);
    if (orZero(line.basic).isZero() || columnOf(line) || !(cls in ECONOMIC_CLASS_NAMES)) return;
    s.add('sum.basic-split', `经济分类 ${line.code} ${line.name}（${cls} ${ECONOMIC_CLASS_NAMES[cls]}）有基本支出 ${fig(line.basic)}，` +
      '但功能分类的基本支出只分工资福利、对个人和家庭的补助、商品和服务、资本性四栏，两边无法逐栏对应；请归入对应的类或列为项目支出',
    `economic_lines[${i}].basic`);
  });
}

/** 三公 items are booked to fixed 经济分类 款; the 三公 table and the economic tables must agree. */
function checkThreePublicAgainstEconomic(budget: Budget, s: FindingSink): void {
  if (budget.economicLines.length === 0) return;
  const items = [
    ['abroad', 'abroad', '因公出国（境）费'],
    ['reception', 'reception', '公务接待费'],
    ['vehicleOperation', 'vehicle_operation', '公务用车运行维护费'],
    ['vehiclePurchase', 'vehicle_purchase', '公务用车购置费'],
  ] as const;
  for (const [field, key, label] of items) {
    const code = THREE_PUBLIC_ECONOMIC_CODES[field];
    const indexes = budget.economicLines.map((l, i) => (l.code === code && l.fund === 'general_public' ? i : -1)).filter((i) => i >= 0);
    const booked = sum(indexes.map((i) => economicLineTotal(budget.economicLines[i])));
    s.equal('three-public.economic', `“三公”${label}与经济分类 ${code} 不一致`, '“三公”表', budget.threePublic[field], `经济分类 ${code}`, booked,
      `three_public.${key}`, indexes.flatMap((i) => [`economic_lines[${i}].basic`, `economic_lines[${i}].project`]));
  }
}

/** Parses a cost indicator's cap, such as ≤60万元 or <300元, into `unit` (the data's amount_unit, 万元 or 元). */
export function costCap(value: string, unit: string = '万元'): Decimal | null {
  const m = /^\s*[≤<＜]=?\s*(\d+(?:\.\d+)?)\s*(万元|元)\s*$/.exec(value);
  if (!m) return null;
  const n = new Decimal(m[1]);
  if (m[2] === unit) return n;
  return m[2] === '元' ? n.dividedBy(10000) : n.times(10000);
}

function checkPerformance(budget: Budget, s: FindingSink): void {
  budget.projects.forEach((project, i) => {
    const where = `项目“${project.name}”（${project.code}）`;
    if (project.performance === null) {
      s.add('perf.missing', `${where}没有绩效目标（performance）`, `projects[${i}]`);
      return;
    }
    if (INDICATOR_KINDS.every((kind) => project.performance!.indicators[kind].length === 0)) {
      s.add('perf.indicators', `${where}的绩效目标没有任何绩效指标（cost / output / benefit / satisfaction），绩效目标表只会印出资金`,
        `projects[${i}].performance`);
    }
    const f = project.performance.funding;
    s.equal('perf.funding', `${where}绩效目标资金总额与项目金额不一致`, '资金总额', sum([f.government, f.specialAccount, f.unit]), '项目金额', project.amount,
      `projects[${i}].performance.funding`, [`projects[${i}].amount`, `projects[${i}].performance.funding.government`,
        `projects[${i}].performance.funding.special_account`, `projects[${i}].performance.funding.unit`]);
    project.performance.indicators.cost.forEach((ind, j) => {
      const cap = costCap(ind.value, budget.amountUnit);
      if (cap !== null && cap.greaterThan(project.amount)) {
        s.add('perf.cost-cap', `${where}成本指标“${ind.name}”上限 ${ind.value} 超过项目金额 ${fig(project.amount)} ${budget.amountUnit}`,
          `projects[${i}].performance.cost[${j}]`, [`projects[${i}].amount`]);
      }
    });
  });
}

/** 部门预算经济分类: a known 类; 政府预算经济分类: a known 款 of the same nature (GOV_ECONOMIC_FOR_CLASS). */
function checkEconomicCodes(line: EconomicLine, i: number, s: FindingSink): void {
  const cls = line.code.slice(0, 3);
  let classKnown = false;
  if (!/^\d{5}$/.test(line.code)) s.add('code.economic', `部门预算经济分类编码“${line.code}”应为 5 位数字：类 3 位 + 款 2 位（如 30201）`, `economic_lines[${i}].code`);
  else if (!(cls in ECONOMIC_CLASS_NAMES)) {
    const known = Object.entries(ECONOMIC_CLASS_NAMES).map(([code, name]) => `${code} ${name}`).join('、');
    s.add('code.economic', `部门预算经济分类 ${line.code} ${line.name} 的类 ${cls} 不是已知的部门预算支出经济分类；已知的类：${known}`, `economic_lines[${i}].code`);
  } else classKnown = true;
  if (!/^\d{5}$/.test(line.govCode)) {
    s.add('code.economic', `政府预算经济分类编码“${line.govCode}”应为 5 位数字：类 3 位 + 款 2 位（如 50502）`, `economic_lines[${i}].gov_code`);
  } else if (!(line.govCode in GOV_ECONOMIC_NAMES)) {
    s.add('code.economic', `政府预算经济分类 ${line.govCode} 不是已知科目`, `economic_lines[${i}].gov_code`);
  } else if (classKnown && !GOV_ECONOMIC_FOR_CLASS[cls].some((prefix) => line.govCode.startsWith(prefix))) {
    const allowed = GOV_ECONOMIC_FOR_CLASS[cls].map((p) => (p.length === 3 ? `${p}xx` : p)).join(' 或 ');
    s.add('code.economic-mapping', `经济分类 ${line.code} ${line.name}（${cls} ${ECONOMIC_CLASS_NAMES[cls]}）对应的政府预算经济分类应为 ${allowed}，` +
      `不是 ${line.govCode} ${GOV_ECONOMIC_NAMES[line.govCode]}`, `economic_lines[${i}].gov_code`, [`economic_lines[${i}].code`]);
  }
}

function checkCodes(budget: Budget, s: FindingSink): void {
  const seenFunction = new Map<string, number>();
  const nameByFunctionCode = new Map<string, { name: string; index: number }>();
  budget.functionLines.forEach((line, i) => {
    const path = `function_lines[${i}].code`;
    if (!/^\d{7}$/.test(line.code)) {
      s.add('code.function', `功能分类编码“${line.code}”应为 7 位数字：类 3 位 + 款 2 位 + 项 2 位（如 2010350）`, path);
      return;
    }
    if (!(line.code.slice(0, 3) in FUNCTION_CLASS_NAMES)) {
      s.add('code.function', `功能分类编码 ${line.code} 的类 ${line.code.slice(0, 3)} 不是已知的支出功能分类科目`, path);
    }
    const key = `${line.code}/${line.fund}`;
    const first = seenFunction.get(key);
    if (first !== undefined) s.add('code.duplicate', `功能分类 ${line.code}（${FUND_NAMES[line.fund]}）重复录入，第一次在 function_lines[${first}]`, path, [`function_lines[${first}].code`]);
    else seenFunction.set(key, i);
    const named = nameByFunctionCode.get(line.code);
    if (named && named.name !== line.name) {
      s.add('name.inconsistent', `功能分类 ${line.code} 在两处名称不同：“${named.name}”与“${line.name}”`, `function_lines[${i}].name`, [`function_lines[${named.index}].name`]);
    } else if (!named) nameByFunctionCode.set(line.code, { name: line.name, index: i });
  });

  const seenEconomic = new Map<string, number>();
  const nameByEconomicCode = new Map<string, { name: string; index: number }>();
  budget.economicLines.forEach((line, i) => {
    checkEconomicCodes(line, i, s);
    const key = `${line.code}/${line.fund}`;
    const first = seenEconomic.get(key);
    if (first !== undefined) s.add('code.duplicate', `经济分类 ${line.code}（${FUND_NAMES[line.fund]}）重复录入，第一次在 economic_lines[${first}]`, `economic_lines[${i}].code`, [`economic_lines[${first}].code`]);
    else seenEconomic.set(key, i);
    const named = nameByEconomicCode.get(line.code);
    if (named && named.name !== line.name) {
      s.add('name.inconsistent', `经济分类 ${line.code} 在两处名称不同：“${named.name}”与“${line.name}”`, `economic_lines[${i}].name`, [`economic_lines[${named.index}].name`]);
    } else if (!named) nameByEconomicCode.set(line.code, { name: line.name, index: i });
  });

  const projectByCode = new Map<string, number>();
  budget.projects.forEach((p, i) => {
    const first = projectByCode.get(p.code);
    if (first !== undefined) {
      const other = budget.projects[first];
      if (other.name !== p.name) {
        s.add('name.inconsistent', `项目编码 ${p.code} 在两处名称不同：“${other.name}”与“${p.name}”`, `projects[${i}].name`, [`projects[${first}].name`]);
      } else {
        s.add('code.duplicate', `项目编码 ${p.code}（${p.name}）重复录入，第一次在 projects[${first}]`, `projects[${i}].code`, [`projects[${first}].code`]);
      }
    } else projectByCode.set(p.code, i);
  });
  checkSimilarProjectNames(budget, s);
}

/**
 * Two projects of different codes whose names are the same, or differ in one character
 * (110联动办公费 / 110联动办经费), are probably one project; the 项目支出预算表 shows no codes, so
 * readers could not tell them apart either. (Same code and name is code.duplicate.)
 */
/** A number in a name: 1, 12, 第三 (第一期 / 第二期, 2号楼 / 3号楼 are different projects, not a typo). */
const NAME_NUMBER = /[0-9０-９]+|第[一二三四五六七八九十百零〇两]+/gu;

/** Whether two names are the same but for their numbers (…第1期… / …第12期…). */
function differOnlyInNumbers(a: string, b: string): boolean {
  return a.replace(NAME_NUMBER, '#') === b.replace(NAME_NUMBER, '#');
}

function checkSimilarProjectNames(budget: Budget, s: FindingSink): void {
  const ps = budget.projects;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const a = ps[i].name;
      const b = ps[j].name;
      if (a === b && ps[i].code !== ps[j].code) {
        s.add('name.duplicate', `项目“${b}”出现两次，编码不同（${ps[i].code} 与 ${ps[j].code}）；若是同一项目请合并，若是不同项目请改用能区分的名称`,
          `projects[${j}].name`, [`projects[${i}].name`]);
      } else if (a !== b && Math.min([...a].length, [...b].length) >= 4 && editDistance(a, b) === 1 && !differOnlyInNumbers(a, b)) {
        s.add('name.similar', `项目“${b}”与“${a}”名称只差一个字，若是同一项目请统一名称并合并`, `projects[${j}].name`, [`projects[${i}].name`]);
      }
    }
  }
}

function checkMissingFacts(budget: Budget, d: BudgetFigures, s: FindingSink): void {
  if (budget.priorYear.total === null) s.add('data.missing', '缺少上年预算收支总计（prior_year.total），正文无法说明增减变化', 'prior_year');
  if (budget.priorYear.generalPublic === null) s.add('data.missing', '缺少上年一般公共预算收支（prior_year.general_public），正文无法说明增减变化', 'prior_year');
  if (budget.priorYear.threePublic === null) s.add('data.missing', '缺少上年“三公”经费（prior_year.three_public），正文无法比较“三公”经费', 'prior_year');
  for (const [fund, prior, name] of [['government_fund', budget.priorYear.governmentFund, '政府性基金'], ['state_capital', budget.priorYear.stateCapital, '国有资本经营']] as const) {
    if (prior === null && !isZero(d.expenseByFund[fund])) {
      s.add('data.missing', `缺少上年${name}收支（prior_year.${fund}），本年有${name}支出，正文无法说明其增减变化（上年没有时请写 0）`, 'prior_year');
    }
  }
  if (budget.functionLines.length === 0) s.add('data.missing', '没有支出功能分类（function_lines），支出各表为空，收支无法核对', 'function_lines');
  if (budget.operatingCosts.amount === null) s.add('data.missing', '缺少机构运行经费（operating_costs.amount）', 'operating_costs');
  // 机构运行经费 is paid from the 公用经费 of 基本支出 (of 一般公共预算, as a rule; any fund counted here): it cannot be more.
  const operating = budget.operatingCosts.amount;
  const publicBasic = orZero(sum(budget.functionLines.flatMap((l) => [l.goodsServices, l.capital])));
  if (operating !== null && operating.greaterThan(publicBasic)) {
    s.add('sum.operating-costs', `机构运行经费 ${fig(operating)} 大于 基本支出中的公用经费 ${fixed2(publicBasic)}，超出 ${fixed2(operating.minus(publicBasic))}` +
      '；机构运行经费是公用经费的一部分', 'operating_costs.amount', functionLinePaths(budget, ['goods_services', 'capital']));
  }
  // Sections the schema lets out would print their defaults as facts (0 万元, 0 辆, 无…).
  if (!s.written('procurement')) s.add('data.missing', `缺少政府采购预算（procurement），正文会印出政府采购预算 0 ${budget.amountUnit}；没有政府采购时请写 goods: 0、works: 0、services: 0`, 'procurement');
  const t = budget.threePublic;
  if ([t.abroad, t.reception, t.vehiclePurchase, t.vehicleOperation].every((v) => v === null)) {
    s.add('data.missing', `“三公”经费（three_public）一项也没有填，正文和“三公”经费表会印出 0 ${budget.amountUnit}；没有时请写 abroad: 0、reception: 0、vehicle_purchase: 0、vehicle_operation: 0`, 'three_public');
  }
  if (!s.written('assets')) s.add('data.missing', '缺少国有资产占用情况（assets），正文会印出车辆 0 辆、设备 0 套；请填写实际数量（没有时写 0）', 'assets');
  if (!s.written('special_transfers')) s.add('data.missing', '缺少专项转移支付项目（special_transfers），正文会印出“无负责管理的专项转移支付项目”；没有时请写 special_transfers: []', 'special_transfers');
  if (budget.unit.composition.length === 0) s.add('data.missing', '缺少预算单位构成（unit.composition），正文“预算单位构成情况”一节会没有内容', 'unit.composition');
}

/** A change the text prints, with the reason key that explains it. */
interface ExplainedChange {
  key: ReasonKey;
  what: string;
  current: Amount;
  prior: Amount;
  priorPath: string;
}

/** Each year-on-year change the text states: a change without its reason prints as a bare 增加/减少. */
function checkReasons(budget: Budget, d: BudgetFigures, s: FindingSink): void {
  const p = budget.priorYear;
  const changes: ExplainedChange[] = [
    { key: 'income_change', what: '收入总计', current: d.incomeGrandTotal, prior: p.total, priorPath: 'prior_year.total' },
    { key: 'expense_change', what: '支出总计', current: d.incomeGrandTotal, prior: p.total, priorPath: 'prior_year.total' },
    { key: 'general_public_change', what: '一般公共预算收支', current: d.expenseByFund.general_public, prior: p.generalPublic, priorPath: 'prior_year.general_public' },
    { key: 'government_fund_change', what: '政府性基金收支', current: d.expenseByFund.government_fund, prior: p.governmentFund, priorPath: 'prior_year.government_fund' },
    { key: 'state_capital_change', what: '国有资本经营收支', current: d.expenseByFund.state_capital, prior: p.stateCapital, priorPath: 'prior_year.state_capital' },
  ];
  if (p.threePublic) {
    const t = budget.threePublic;
    const prior = p.threePublic;
    changes.push(
      { key: 'abroad_change', what: '“三公”因公出国（境）费', current: t.abroad, prior: prior.abroad, priorPath: 'prior_year.three_public.abroad' },
      { key: 'reception_change', what: '“三公”公务接待费', current: t.reception, prior: prior.reception, priorPath: 'prior_year.three_public.reception' },
      { key: 'vehicle_purchase_change', what: '“三公”公务用车购置费', current: t.vehiclePurchase, prior: prior.vehiclePurchase, priorPath: 'prior_year.three_public.vehicle_purchase' },
      { key: 'vehicle_operation_change', what: '“三公”公务用车运行维护费', current: t.vehicleOperation, prior: prior.vehicleOperation, priorPath: 'prior_year.three_public.vehicle_operation' },
    );
  }
  for (const c of changes) {
    if (c.prior === null || equal(c.current, c.prior) || budget.reasons[c.key]) continue;
    const diff = orZero(c.current).minus(c.prior);
    s.add('reason.missing', `${c.what}比上年${diff.isPositive() ? '增加' : '减少'} ${fixed2(diff.abs())}（上年 ${fig(c.prior)}，本年 ${fig(c.current)}），` +
      `但没有说明原因（reasons.${c.key}），正文只会写增减`, `reasons.${c.key}`, [c.priorPath]);
  }
}

/**
 * `texts:` overrides standard texts of the format by id. The ids belong to the template set, which
 * this module does not know: the caller passes them in, and without them the keys go unchecked.
 */
function checkTextIds(budget: Budget, textIds: readonly string[], s: FindingSink): void {
  for (const key of Object.keys(budget.texts)) {
    if (textIds.includes(key)) continue;
    const { hint } = unknownKeyHint(key, textIds, { listLabel: `公开格式 ${budget.format} 可覆盖的文字`, listUpTo: 40 });
    s.add('texts.unknown-key', `texts：没有可覆盖的文字“${key}”，这段文字不会印出；${hint}`, childPath('texts', key));
  }
}

export interface CheckOptions {
  /** Ids of the standard texts the data's format lets `texts:` override (narrative texts, table notes). */
  textIds?: readonly string[];
  /** Fields written with no value (`special_transfers:`): a fact the text needs is then still missing. */
  isBlank?: (path: string) => boolean;
}

/** Runs every rule; findings are in rule order, then data order. */
export function checkBudget(budget: Budget, locate: Locate, options: CheckOptions = {}): Finding[] {
  const s = new FindingSink(locate, options.isBlank);
  const d = deriveFigures(budget);
  if (options.textIds) checkTextIds(budget, options.textIds, s);
  checkCodes(budget, s);
  checkTotals(budget, d, s);
  checkBasicSplit(budget, s);
  checkCarryoverSpending(budget, d, s);
  checkThreePublicAgainstEconomic(budget, s);
  checkPerformance(budget, s);
  checkMissingFacts(budget, d, s);
  checkReasons(budget, d, s);
  return s.findings;
}
