/**
 * Derived figures: every total, subtotal and share the publication shows, computed
 * from the facts with decimal.js. Tables, narrative and checks all read from here,
 * so a figure shown twice is computed once.
 */
import { Decimal, sum, orZero, changePercent, sharesPercent } from './decimal.js';
import { functionClassSpending, PERSONNEL_ECONOMIC_CLASSES } from './classification.js';
import {
  CARRYOVER_SOURCES, FUNDS, INCOME_SOURCES, PROJECT_TYPES,
  type Amount, type Budget, type EconomicLine, type FunctionLine, type Fund, type ProjectType, type ThreePublic,
} from './model.js';

export interface FunctionLineFigures {
  personnel: Amount; // 人员经费 = 工资福利 + 对个人和家庭的补助
  public: Amount; // 公用经费 = 商品和服务 + 资本性
  basic: Amount; // 基本支出 = 人员 + 公用
  project: Amount; // 项目支出 = 其他运转类 + 特定目标类
  total: Amount; // 合计 = 基本 + 项目
}

export function functionLineFigures(line: FunctionLine): FunctionLineFigures {
  const personnel = sum([line.wages, line.familySubsidy]);
  const pub = sum([line.goodsServices, line.capital]);
  const basic = sum([personnel, pub]);
  const project = sum([line.projectOperating, line.projectTargeted]);
  return { personnel, public: pub, basic, project, total: sum([basic, project]) };
}

/** Whether an economic line's basic spending is 人员经费 (else 公用经费). */
export function isPersonnelEconomic(line: Pick<EconomicLine, 'code'>): boolean {
  return PERSONNEL_ECONOMIC_CLASSES.has(line.code.slice(0, 3));
}

export function economicLineTotal(line: EconomicLine): Amount {
  return sum([line.basic, line.project]);
}

export function threePublicVehicle(t: ThreePublic): Amount {
  return sum([t.vehiclePurchase, t.vehicleOperation]);
}

export function threePublicTotal(t: ThreePublic): Amount {
  return sum([t.abroad, t.reception, threePublicVehicle(t)]);
}

/** The figures the narrative and the summary tables quote. */
export interface BudgetFigures {
  incomeCurrent: Amount; // 本年收入合计
  carryoverTotal: Amount; // 上年结转结余
  incomeGrandTotal: Amount; // 收入总计
  expenseCurrent: Amount; // 本年支出合计
  expenseGrandTotal: Amount; // 支出总计 = 本年支出 + 年终结转结余
  expenseByFund: Record<Fund, Amount>;
  /** Of expenseByFund, what is paid from the fund's 上年结转 (economic lines marked from_carryover). */
  carryoverSpendingByFund: Record<Fund, Amount>;
  /** 基本支出 / 人员 / 公用 / 项目 over all function lines. */
  basic: Amount;
  personnel: Amount;
  public: Amount;
  project: Amount;
  projectByType: Record<ProjectType, Amount>;
  /** Same, from the 一般公共预算 function lines only. */
  generalPublic: { total: Amount; basic: Amount; personnel: Amount; public: Amount; project: Amount };
  /** Spending by 功能分类 类 (201 一般公共服务支出 …), in code order, each with its share in percent: all funds, and 一般公共预算 alone. */
  byClass: ClassFigure[];
  generalPublicByClass: ClassFigure[];
  /** How many projects the 项目支出预算表 lists. */
  projectCount: number;
  /** 一般公共预算基本支出 by economic class. */
  economicBasic: { total: Amount; personnel: Amount; public: Amount };
  economicTotal: Amount;
  projectListTotal: Amount;
  threePublicTotal: Amount;
  priorThreePublicTotal: Amount;
  procurementTotal: Amount;
  /** Shares in percent that add up to 100: whole, or with the decimals a small part needs (sharesPercent). */
  shares: { basic: number; project: number; personnel: number; public: number; generalPublicBasic: number; generalPublicProject: number };
  /** Year-on-year changes. */
  change: {
    total: Amount; totalPercent: number | null;
    generalPublic: Amount; generalPublicPercent: number | null;
    governmentFund: Amount; governmentFundPercent: number | null;
    stateCapital: Amount; stateCapitalPercent: number | null;
    threePublic: Amount;
  };
}

/** One 功能分类 类 of spending, for texts that list where the money goes ({{#each f.generalPublicByClass}}). */
export interface ClassFigure {
  code: string;
  /** As the publication names the spending: 一般公共服务支出. */
  name: string;
  total: Amount;
  basic: Amount;
  project: Amount;
  /** Share of the whole in percent; the shares add up to 100 (sharesPercent). */
  share: number;
}

function classFigures(lines: FunctionLine[]): ClassFigure[] {
  const byClass = new Map<string, FunctionLine[]>();
  for (const line of lines) byClass.set(line.code.slice(0, 3), [...(byClass.get(line.code.slice(0, 3)) ?? []), line]);
  const classes = [...byClass.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, group]) => ({ code, ...functionTotals(group) }));
  const shares = sharesPercent(classes.map((c) => c.total));
  return classes.map((c, i) => ({ code: c.code, name: functionClassSpending(c.code), total: c.total, basic: c.basic, project: c.project, share: shares[i]! }));
}

function linesOf(budget: Budget, fund?: Fund): FunctionLine[] {
  return fund ? budget.functionLines.filter((l) => l.fund === fund) : budget.functionLines;
}

function functionTotals(lines: FunctionLine[]) {
  const figs = lines.map(functionLineFigures);
  return {
    total: sum(figs.map((f) => f.total)),
    basic: sum(figs.map((f) => f.basic)),
    personnel: sum(figs.map((f) => f.personnel)),
    public: sum(figs.map((f) => f.public)),
    project: sum(figs.map((f) => f.project)),
  };
}

function difference(current: Amount, prior: Amount): Amount {
  return prior === null ? null : orZero(current).minus(prior);
}

export function deriveFigures(budget: Budget): BudgetFigures {
  const incomeCurrent = sum(INCOME_SOURCES.map((s) => budget.income[s]));
  const carryoverTotal = sum(CARRYOVER_SOURCES.map((s) => budget.carryover[s]));
  const all = functionTotals(budget.functionLines);
  const gp = functionTotals(linesOf(budget, 'general_public'));
  const byFund = (amount: (fund: Fund) => Amount): Record<Fund, Amount> =>
    Object.fromEntries(FUNDS.map((f) => [f, amount(f)])) as Record<Fund, Amount>;
  const expenseByFund = byFund((f) => functionTotals(linesOf(budget, f)).total);
  const carryoverSpendingByFund = byFund((f) => sum(budget.economicLines.filter((l) => l.fund === f && l.fromCarryover).map(economicLineTotal)));
  const basicEconomic = budget.economicLines.filter((l) => l.fund === 'general_public');
  const economicBasic = {
    total: sum(basicEconomic.map((l) => l.basic)),
    personnel: sum(basicEconomic.filter(isPersonnelEconomic).map((l) => l.basic)),
    public: sum(basicEconomic.filter((l) => !isPersonnelEconomic(l)).map((l) => l.basic)),
  };
  const projectByType = Object.fromEntries(
    PROJECT_TYPES.map((t) => [
      t,
      sum(budget.functionLines.map((l) => (t === '其他运转类' ? l.projectOperating : l.projectTargeted))),
    ]),
  ) as Record<ProjectType, Amount>;
  const basicProjectShares = sharesPercent([all.basic, all.project]);
  const personnelPublicShares = sharesPercent([gp.personnel, gp.public]);
  const gpBasicProjectShares = sharesPercent([gp.basic, gp.project]);
  const threeTotal = threePublicTotal(budget.threePublic);
  const priorThree = budget.priorYear.threePublic ? threePublicTotal(budget.priorYear.threePublic) : null;
  const incomeGrandTotal = sum([incomeCurrent, carryoverTotal]);
  return {
    incomeCurrent,
    carryoverTotal,
    incomeGrandTotal,
    expenseCurrent: all.total,
    expenseGrandTotal: sum([all.total, budget.yearEndCarryover]),
    expenseByFund,
    carryoverSpendingByFund,
    basic: all.basic,
    personnel: all.personnel,
    public: all.public,
    project: all.project,
    projectByType,
    generalPublic: gp,
    byClass: classFigures(budget.functionLines),
    generalPublicByClass: classFigures(linesOf(budget, 'general_public')),
    projectCount: budget.projects.length,
    economicBasic,
    economicTotal: sum(budget.economicLines.map(economicLineTotal)),
    projectListTotal: sum(budget.projects.map((p) => p.amount)),
    threePublicTotal: threeTotal,
    priorThreePublicTotal: priorThree,
    procurementTotal: sum([budget.procurement.goods, budget.procurement.works, budget.procurement.services]),
    shares: {
      basic: basicProjectShares[0],
      project: basicProjectShares[1],
      personnel: personnelPublicShares[0],
      public: personnelPublicShares[1],
      generalPublicBasic: gpBasicProjectShares[0],
      generalPublicProject: gpBasicProjectShares[1],
    },
    change: {
      total: difference(incomeGrandTotal, budget.priorYear.total),
      totalPercent: changePercent(incomeGrandTotal, budget.priorYear.total),
      generalPublic: difference(expenseByFund.general_public, budget.priorYear.generalPublic),
      generalPublicPercent: changePercent(expenseByFund.general_public, budget.priorYear.generalPublic),
      governmentFund: difference(expenseByFund.government_fund, budget.priorYear.governmentFund),
      governmentFundPercent: changePercent(expenseByFund.government_fund, budget.priorYear.governmentFund),
      stateCapital: difference(expenseByFund.state_capital, budget.priorYear.stateCapital),
      stateCapitalPercent: changePercent(expenseByFund.state_capital, budget.priorYear.stateCapital),
      threePublic: difference(threeTotal, priorThree),
    },
  };
}

export { Decimal };
