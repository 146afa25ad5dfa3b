/**
 * The consistency rules (src/budget/checks.ts) against the reference data:
 * the reference passes clean; every amount that takes part in a checked sum is
 * caught when it moves by 0.01 (cases generated from the YAML, not hand-picked);
 * and every rule id has a failing and a passing case.
 */
import { readFileSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Scalar } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseWithSchema } from '../src/budget/schema.js';
import { budgetFileSchema, toBudget } from '../src/budget/budget-schema.js';
import { checkBudget, costCap, RULES, type Locate } from '../src/budget/checks.js';
import { findingText, type Finding } from '../src/budget/findings.js';
import type { Budget } from '../src/budget/model.js';

const FILE = 'data/luolong-zwfwzx-2022.yaml';
const REFERENCE = readFileSync(new URL(`../${FILE}`, import.meta.url), 'utf8');

interface Checked {
  findings: Finding[];
  budget: Budget;
  locate: Locate;
}

/** What `check` does for one file (load.ts), but on text held in memory. */
function checkText(text: string): Checked {
  const read = parseWithSchema({ file: FILE, text }, budgetFileSchema);
  // An edit that breaks the schema would make a rule test pass for the wrong reason.
  expect(read.findings.filter((f) => f.severity === 'error')).toEqual([]);
  const budget = toBudget(FILE, read.value!);
  return { budget, locate: read.locate, findings: [...read.findings, ...checkBudget(budget, read.locate, { isBlank: read.isBlank })] };
}

/** The reference text with `from` (which must occur exactly once) replaced by `to`. */
function edit(from: string, to: string, text = REFERENCE): string {
  const at = text.indexOf(from);
  expect(at, `“${from}” is in the text`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `“${from}” occurs once`).toBe(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line of the only occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at, `“${needle}” is in the text`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(needle, at + 1), `“${needle}” occurs once`).toBe(-1);
  return text.slice(0, at).split('\n').length;
}

function lineAtOffset(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function byRule(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

/** The one finding of `rule`, with the severity RULES gives it. */
function only(findings: Finding[], rule: string): Finding {
  const hits = byRule(findings, rule);
  expect(hits, `findings of ${rule} in ${JSON.stringify(findings, null, 1)}`).toHaveLength(1);
  expect(hits[0].severity).toBe(RULES.find((r) => r.id === rule)!.severity);
  return hits[0];
}

function lines(f: Finding): number[] {
  return [f.loc, ...(f.related ?? [])].filter((l) => l !== undefined).map((l) => l.line);
}

// ---------------------------------------------------------------------------

describe('the reference data', () => {
  it('passes with no findings at all', () => {
    expect(checkText(REFERENCE).findings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Generated cases: every amount that takes part in a checked sum, moved by 0.01.

/** Amounts that some sum rule adds up or compares. */
const SUMMED: readonly RegExp[] = [
  /^income\.\w+$/,
  /^carryover\.\w+$/,
  /^year_end_carryover$/,
  /^function_lines\[\d+\]\.(wages|family_subsidy|goods_services|capital|project_operating|project_targeted|total)$/,
  /^economic_lines\[\d+\]\.(basic|project)$/,
  /^three_public\.\w+$/,
  /^projects\[\d+\]\.amount$/,
  /^projects\[\d+\]\.performance\.funding\.\w+$/,
];

/** Numbers in the file that take part in no sum, so no rule can catch a change of 0.01. */
const NOT_SUMMED: readonly RegExp[] = [
  /^year$/, // the budget year, not an amount
  /^prior_year\./, // last year's figures: only quoted in the narrative's year-on-year comparison
  /^operating_costs\.amount$/, // 机关运行经费: a fact of its own, not a sum of other lines
  /^procurement\.(goods|works|services)$/, // 政府采购: checked only against a stated procurement.total (none in the reference)
  /^assets\./, // counts of vehicles and equipment
  /^special_transfers\[\d+\]\.amount$/, // 专项转移支付: listed, not summed
];

interface ScalarAt {
  path: string;
  node: Scalar;
}

/** Every scalar value in the document with its data path (`function_lines[0].wages`). */
function scalarsOf(node: YamlNode | null, path = ''): ScalarAt[] {
  if (isScalar(node)) return [{ path, node }];
  if (isMap(node)) {
    return node.items.flatMap((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      return scalarsOf(pair.value as YamlNode | null, path === '' ? key : `${path}.${key}`);
    });
  }
  if (isSeq(node)) return node.items.flatMap((item, i) => scalarsOf(item as YamlNode | null, `${path}[${i}]`));
  return [];
}

const referenceScalars = scalarsOf(parseDocument(REFERENCE).contents);
const matches = (patterns: readonly RegExp[], path: string) => patterns.some((p) => p.test(path));
const summedAmounts = referenceScalars.filter((s) => matches(SUMMED, s.path) && s.node.value !== null);

describe('the generated cases', () => {
  it('cover every number in the file: each is either summed or explicitly excluded', () => {
    const numbers = referenceScalars.filter((s) => typeof s.node.value === 'number').map((s) => s.path);
    expect(numbers.filter((p) => matches(SUMMED, p) === matches(NOT_SUMMED, p))).toEqual([]);
    // The walk found the data, not a handful of scalars.
    expect(summedAmounts.length).toBeGreaterThan(50);
  });
});

/** The lines of FILE a line of `check`'s text output shows: its own file:line and each line of its 第 … 行 list. */
function shownLines(textLine: string): number[] {
  const own = /^(.+?):(\d+):\d+ {2}/.exec(textLine);
  const shown = own && own[1] === FILE ? [Number(own[2])] : [];
  const listed = /（另见 第 ([\d、–]+) 行/.exec(textLine);
  for (const entry of listed ? listed[1].split('、') : []) {
    const [from, to = from] = entry.split('–').map(Number);
    for (let n = from; n <= to; n++) shown.push(n);
  }
  return shown;
}

/** Amounts bounded on one side only: less is allowed (其中：财政拨款 may be below 一般公共预算, sum.appropriation). */
const UPPER_BOUND_ONLY: readonly RegExp[] = [/^income\.general_public_appropriation$/];

/** +0.01 for every summed amount; −0.01 for those above zero (a negative amount is the schema's to refuse). */
const cents = summedAmounts.flatMap((s) => {
  const plus = [`${s.path} + 0.01`, s.node, '0.01'] as const;
  const minus = [`${s.path} − 0.01`, s.node, '-0.01'] as const;
  const canGoDown = new Decimal(String(s.node.source ?? s.node.value)).greaterThan(0) && !matches(UPPER_BOUND_ONLY, s.path);
  return canGoDown ? [plus, minus] : [plus];
});

describe('every summed amount ± 0.01', () => {
  it('has a −0.01 case for most amounts', () => {
    expect(cents.filter(([name]) => name.includes('−')).length).toBeGreaterThan(40);
  });

  it.each(cents)('%s is an error whose text output shows its line', (name, node, delta) => {
    const [start, end] = node.range!;
    const before = REFERENCE.slice(start, end);
    const after = new Decimal(before).plus(delta).toFixed(2);
    const text = REFERENCE.slice(0, start) + after + REFERENCE.slice(end);
    const line = lineAtOffset(REFERENCE, start);
    const { findings } = checkText(text);
    const output = findings.filter((f) => f.severity === 'error').map((f) => findingText(f, FILE));
    const showing = output.filter((l) => shownLines(l).includes(line));
    expect(showing, `${name}: ${before} → ${after} at line ${line}; text output:\n${output.join('\n')}`).not.toEqual([]);
    // Each such error names the difference.
    expect(showing.some((l) => l.includes('0.01'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Each rule: failing and passing cases, as small edits of the reference text.

/** `a` and `b` as messages quote them, and their difference. */
function expectFigures(f: Finding, ...figures: string[]): void {
  for (const figure of figures) expect(f.message, `message names ${figure}`).toContain(figure);
}

function expectNone(text: string, rule: string): Finding[] {
  const { findings } = checkText(text);
  expect(byRule(findings, rule)).toEqual([]);
  return findings;
}

/** checkText, with the text ids a format would let `texts:` override. */
function checkWithTextIds(text: string, textIds: string[]): Finding[] {
  const { budget, locate } = checkText(text);
  return checkBudget(budget, locate, { textIds });
}

/** Runs the rules on the reference model after `change` (for shapes the schema refuses before any rule sees them). */
function checkModel(change: (budget: Budget) => void): Finding[] {
  const { budget, locate } = checkText(REFERENCE);
  change(budget);
  return checkBudget(budget, locate);
}

const INCOME_LINE = 'general_public: 866.01            # 一般公共预算';
const APPROPRIATION_LINE = 'general_public_appropriation: 866.01';
const LINE0_PROJECT = '    project_operating: 620.78       # 项目支出·其他运转类\n';
const LINE0_WAGES = '    wages: 183.12                   # 工资福利支出\n';
const HOUSING_WAGES = '    wages: 14.31\n';
const VEHICLE_REASON = '  vehicle_operation_change: 车辆使用年限增加，维修费用增加\n';
const INCOME_REASON = '  income_change: 一是正常增人增资增加人员支出预算；二是建设区级电子监察平台及扩容政务服务实体大厅等专项支出预算增加\n';
const UNION_LINE = '  - code: "2012906"\n    name: 工会事务\n    goods_services: 2.39\n';
const OFFICE = '{ code: "30201", name: 办公费, gov_code: "50502", basic: 4.80, project: 10.07 }';
const POSTAGE = '{ code: "30207", name: 邮电费, gov_code: "50502", basic: 1.50, project: 9.76 }';
const SALARY = '{ code: "30101", name: 基本工资, gov_code: "50501", basic: 64.72 }';
const ALLOWANCE = '{ code: "30102", name: 津贴补贴, gov_code: "50501", basic: 15.23 }';
const UNION_DUES = '{ code: "30228", name: 工会经费, gov_code: "50502", basic: 2.39 }';
const CAR_COSTS = '{ code: "30231", name: 公务用车运行维护费, gov_code: "50502", basic: 1.50 }';
const THREE_PUBLIC_VEHICLE = '  vehicle_operation: 1.50           # 公务用车运行维护费\n';
const PROCUREMENT = '  goods: 0\n  works: 0\n  services: 0\n';
/** projects[1] and projects[10]: amount and 资金总额 together. */
const LIANDONG = '    amount: 5.00\n    performance:\n      funding: { government: 5.00 }';
const FREE_SERVICES = '    amount: 75.00\n    performance:\n      funding: { government: 75.00 }';
const DUTY_PAY_CODE = '"410311220000000013974"';
const DUTY_PAY_NAME = '    name: 值班费\n';
const DUTY_PAY_FUNDING = 'funding: { government: 15.65 }';
const DUTY_PAY_CAP = '[按相关规定支付值班费, ≤15.65万元]';

/** The reference without projects[10]'s performance block. */
function withoutDutyPayPerformance(): string {
  const start = REFERENCE.indexOf(`  - code: ${DUTY_PAY_CODE}`);
  const performance = REFERENCE.indexOf('    performance:\n', start);
  const next = REFERENCE.indexOf('  - code:', performance);
  return REFERENCE.slice(0, performance) + REFERENCE.slice(next);
}

type Case = (this: void) => void;
interface RuleCases {
  fails: Record<string, Case>;
  passes: Record<string, Case>;
}

const GOVERNMENT_FUND_PROJECT = '    name: 110联动办公费\n    type: 其他运转类\n';
const GOVERNMENT_FUND_ECONOMIC = '  - { code: "30201", name: 办公费, gov_code: "50502", project: 5.00, fund: government_fund }';

/** The 一般公共预算 and the 政府性基金 finding of a fund-split rule, and no other, both errors. */
function twoFunds(findings: Finding[], rule: string): [Finding, Finding] {
  const [gp, gf, ...rest] = byRule(findings, rule);
  expect(rest).toEqual([]);
  expect([gp!.severity, gf!.severity]).toEqual(['error', 'error']);
  return [gp!, gf!];
}

/**
 * A fund split that differs while its total agrees: the total's rule (`quiet`) says nothing, the
 * split's rule (`split`) names 一般公共预算 and 政府性基金, each with its two figures and the difference.
 */
function fundSplitFindings(text: string, quiet: string, split: string, [gpFigures, gfFigures]: [string[], string[]]): [Finding, Finding] {
  const { findings } = checkText(text);
  expect(byRule(findings, quiet)).toEqual([]);
  const [gp, gf] = twoFunds(findings, split);
  expectFigures(gp, ...gpFigures);
  expectFigures(gf, ...gfFigures);
  return [gp, gf];
}

/** A total that differs is reported by its own rule alone: the fund split of it (`split`) waits for it. */
function expectTotalRuleAlone(text: string, split: string, total: string): void {
  const findings = expectNone(text, split);
  expect(byRule(findings, total)).toHaveLength(1);
}

/**
 * The reference with 110联动办公费 (5.00) paid by 政府性基金: its income, a function line, an
 * economic line and the project itself each say `fund: government_fund`. Checks clean.
 */
function withGovernmentFundProject(): string {
  let text = edit(INCOME_LINE, 'general_public: 861.01', edit(APPROPRIATION_LINE, 'general_public_appropriation: 861.01'));
  text = edit('  # government_fund:                # 政府性基金预算拨款收入', '  government_fund: 5.00', text);
  text = edit(LINE0_PROJECT, '    project_operating: 615.78\n', text);
  text = edit(UNION_LINE, `  - code: "2120899"\n    name: 其他国有土地使用权出让收入安排的支出\n    fund: government_fund\n    project_operating: 5.00\n${UNION_LINE}`, text);
  text = edit(OFFICE, `${OFFICE.replace('10.07', '5.07')}\n${GOVERNMENT_FUND_ECONOMIC}`, text);
  return edit(GOVERNMENT_FUND_PROJECT, `${GOVERNMENT_FUND_PROJECT}    fund: government_fund\n`, text);
}

/**
 * The reference with 110联动办公费 (5.00) paid from 一般公共预算 carried over from last year: 5.00
 * less income this year, 5.00 of 上年结转, and the project and an economic line of 5.00 marked
 * from_carryover. Checks clean.
 */
function withCarryoverProject(): string {
  let text = edit(INCOME_LINE, 'general_public: 861.01', edit(APPROPRIATION_LINE, 'general_public_appropriation: 861.01'));
  text = edit('carryover: {}', 'carryover: { general_public: 5.00 }', text);
  text = edit(OFFICE, `${OFFICE.replace('10.07', '5.07')}\n  - { code: "30205", name: 水费, gov_code: "50502", project: 5.00, from_carryover: true }`, text);
  return edit(GOVERNMENT_FUND_PROJECT, `${GOVERNMENT_FUND_PROJECT}    from_carryover: true\n`, text);
}

const RULE_CASES: Record<string, RuleCases> = {
  'sum.income-expense': {
    fails: {
      '收入 866.02, 支出 866.01': () => {
        const text = edit(INCOME_LINE, INCOME_LINE.replace('866.01', '866.02'));
        const f = only(checkText(text).findings, 'sum.income-expense');
        expectFigures(f, '收入总计 866.02', '支出总计 866.01', '相差 0.01');
        expect(f.loc?.line).toBe(lineOf(text, '866.02            # 一般公共预算'));
      },
      '上年结转 0.01 that nothing spends (the reference has no carryover to generate cases from)': () => {
        const text = edit('carryover: {}', 'carryover: { general_public: 0.01 }');
        const f = only(checkText(text).findings, 'sum.income-expense');
        expectFigures(f, '收入总计 866.02', '支出总计 866.01', '相差 0.01');
        expect(lines(f)).toContain(lineOf(text, 'general_public: 0.01'));
      },
    },
    passes: {
      '收入 866.02 = 支出 866.01 + 年终结转结余 0.01': () => {
        const text = edit('year_end_carryover: 0.00', 'year_end_carryover: 0.01', edit(INCOME_LINE, INCOME_LINE.replace('866.01', '866.02')));
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.fund-balance': {
    fails: {
      '政府性基金收入 2.39 but every line is paid by 一般公共预算': () => {
        const text = edit('  # government_fund:                # 政府性基金预算拨款收入', '  government_fund: 2.39',
          edit(APPROPRIATION_LINE, 'general_public_appropriation: 863.62', edit(INCOME_LINE, 'general_public: 863.62')));
        const { findings } = checkText(text);
        expect(byRule(findings, 'sum.income-expense')).toEqual([]);
        const [gp, gf] = byRule(findings, 'sum.fund-balance');
        expect(gp.severity).toBe('error');
        expectFigures(gp, '一般公共预算收入 863.62', '一般公共预算支出 866.01', '相差 2.39');
        expect(gp.loc?.line).toBe(lineOf(text, 'general_public: 863.62'));
        expectFigures(gf, '政府性基金预算收入 2.39', '政府性基金预算支出 0.00', '相差 2.39');
        expect(gf.loc?.line).toBe(lineOf(text, 'government_fund: 2.39'));
      },
      '年终结转结余 0.01: 一般公共预算 spends 1.00 more than it has, 政府性基金 1.01 is left over': () => {
        let text = edit(INCOME_LINE, 'general_public: 865.01', edit(APPROPRIATION_LINE, 'general_public_appropriation: 865.01'));
        text = edit('  # government_fund:                # 政府性基金预算拨款收入', '  government_fund: 1.01', text);
        text = edit('year_end_carryover: 0.00', 'year_end_carryover: 0.01', text);
        const { findings } = checkText(text);
        expect(byRule(findings, 'sum.income-expense')).toEqual([]);
        const [over, left, ...rest] = byRule(findings, 'sum.fund-balance');
        expect(rest).toEqual([]);
        expectFigures(over, '一般公共预算支出 866.01', '一般公共预算收入（含上年结转）865.01', '超出 1.00');
        expect(over.loc?.line).toBe(lineOf(text, 'general_public: 865.01'));
        expectFigures(left, '合计 1.01', '政府性基金预算 1.01', '年终结转结余 0.01', '相差 1.00');
        expect(left.loc?.line).toBe(lineOf(text, 'year_end_carryover: 0.01'));
        expect(lines(left)).toContain(lineOf(text, 'government_fund: 1.01'));
      },
    },
    passes: {
      '年终结转结余 0.01 = what 一般公共预算 does not spend': () => {
        const text = edit('year_end_carryover: 0.00', 'year_end_carryover: 0.01', edit(INCOME_LINE, INCOME_LINE.replace('866.01', '866.02')));
        expectNone(text, 'sum.fund-balance');
      },
      '工会事务 paid by the 政府性基金 it came from': () => {
        let text = edit('  # government_fund:                # 政府性基金预算拨款收入', '  government_fund: 2.39',
          edit(APPROPRIATION_LINE, 'general_public_appropriation: 863.62', edit(INCOME_LINE, 'general_public: 863.62')));
        text = edit(UNION_LINE, UNION_LINE.replace('工会事务\n', '工会事务\n    fund: government_fund\n'), text);
        text = edit(UNION_DUES, UNION_DUES.replace('gov_code: "50502"', 'gov_code: "50502", fund: government_fund'), text);
        // 政府性基金 0 → 2.39 is a change the text states, so it needs its reason too.
        text = edit(VEHICLE_REASON, `${VEHICLE_REASON}  government_fund_change: 工会经费改由政府性基金安排\n`, text);
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.appropriation': {
    fails: {
      '其中：财政拨款 866.02 > 一般公共预算 866.01': () => {
        const text = edit(APPROPRIATION_LINE, 'general_public_appropriation: 866.02');
        const f = only(checkText(text).findings, 'sum.appropriation');
        expectFigures(f, '866.02', '866.01', '0.01');
        expect(f.loc?.line).toBe(lineOf(text, 'general_public_appropriation: 866.02'));
      },
    },
    passes: {
      '其中：财政拨款 below 一般公共预算': () => {
        expect(checkText(edit(APPROPRIATION_LINE, 'general_public_appropriation: 800.00')).findings).toEqual([]);
      },
    },
  },
  'sum.line-total': {
    fails: {
      'stated 合计 815.20, lines add up to 815.19': () => {
        const text = edit(LINE0_PROJECT, `${LINE0_PROJECT}    total: 815.20\n`);
        const f = only(checkText(text).findings, 'sum.line-total');
        expectFigures(f, '2010350', '合计 815.20', '815.19', '相差 0.01');
        expect(f.loc?.line).toBe(lineOf(text, 'total: 815.20'));
      },
    },
    passes: {
      'stated 合计 815.19': () => {
        expect(checkText(edit(LINE0_PROJECT, `${LINE0_PROJECT}    total: 815.19\n`)).findings).toEqual([]);
      },
    },
  },
  'sum.economic-total': {
    fails: {
      '办公费 project 10.08': () => {
        const text = edit(OFFICE, OFFICE.replace('10.07', '10.08'));
        const f = only(checkText(text).findings, 'sum.economic-total');
        expectFigures(f, '经济分类合计 866.02', '功能分类合计 866.01', '相差 0.01');
        expect(lines(f)).toContain(lineOf(text, 'project: 10.08'));
      },
    },
    passes: {
      '0.01 moved from 邮电费 to 办公费': () => {
        const text = edit(POSTAGE, POSTAGE.replace('9.76', '9.75'), edit(OFFICE, OFFICE.replace('10.07', '10.08')));
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.basic-personnel': {
    fails: {
      '0.01 moved from 基本工资 (人员) to 办公费 (公用)': () => {
        const text = edit(OFFICE, OFFICE.replace('4.80', '4.81'), edit(SALARY, SALARY.replace('64.72', '64.71')));
        const f = only(checkText(text).findings, 'sum.basic-personnel');
        expectFigures(f, '经济分类 231.54', '功能分类 231.55', '相差 0.01');
        expect(lines(f)).toContain(lineOf(text, 'basic: 64.71'));
      },
    },
    passes: {
      '0.01 moved between two 人员 lines': () => {
        const text = edit(ALLOWANCE, ALLOWANCE.replace('15.23', '15.24'), edit(SALARY, SALARY.replace('64.72', '64.71')));
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.basic-public': {
    fails: {
      '0.01 moved from 基本工资 (人员) to 办公费 (公用)': () => {
        const text = edit(OFFICE, OFFICE.replace('4.80', '4.81'), edit(SALARY, SALARY.replace('64.72', '64.71')));
        const f = only(checkText(text).findings, 'sum.basic-public');
        expectFigures(f, '经济分类 13.69', '功能分类 13.68', '相差 0.01');
        expect(lines(f)).toContain(lineOf(text, 'basic: 4.81'));
      },
    },
    passes: {
      '0.01 moved between two 公用 lines': () => {
        const text = edit(POSTAGE, POSTAGE.replace('1.50', '1.49'), edit(OFFICE, OFFICE.replace('4.80', '4.81')));
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.basic-split': {
    fails: {
      '事业运行 wages 183.11 + family_subsidy 0.01: 人员经费 agrees, its columns do not': () => {
        const text = edit(LINE0_WAGES, '    wages: 183.11\n    family_subsidy: 0.01\n');
        const { findings } = checkText(text);
        expect(byRule(findings, 'sum.basic-personnel')).toEqual([]);
        const [wages, family, ...rest] = byRule(findings, 'sum.basic-split');
        expect(rest).toEqual([]);
        expect([wages.severity, family.severity]).toEqual(['error', 'error']);
        expectFigures(wages, '一般公共预算基本支出·工资福利支出', '经济分类 301 类 231.55', '功能分类 231.54', '相差 0.01');
        expectFigures(family, '一般公共预算基本支出·对个人和家庭的补助', '经济分类 303 类 0.00', '功能分类 0.01', '相差 0.01');
        expect(lines(wages)).toContain(lineOf(text, 'wages: 183.11'));
        expect(lines(family)).toContain(lineOf(text, 'family_subsidy: 0.01'));
        // Only the lines of the differing column take part: not 商品和服务 or the 302 lines.
        expect(lines(family)).not.toContain(lineOf(text, OFFICE));
      },
      '工会事务 paid from 政府性基金, its 经济分类 line left under 一般公共预算': () => {
        let text = edit('  # government_fund:                # 政府性基金预算拨款收入', '  government_fund: 2.39',
          edit(APPROPRIATION_LINE, 'general_public_appropriation: 863.62', edit(INCOME_LINE, 'general_public: 863.62')));
        text = edit(UNION_LINE, UNION_LINE.replace('工会事务\n', '工会事务\n    fund: government_fund\n'), text);
        const split = byRule(checkText(text).findings, 'sum.basic-split');
        expect(split.map((f) => f.message)).toEqual([
          '一般公共预算基本支出·商品和服务支出：经济分类 302 类 13.68 与 功能分类 11.29 不等，相差 2.39',
          '政府性基金预算基本支出·商品和服务支出：经济分类 302 类 0.00 与 功能分类 2.39 不等，相差 2.39',
        ]);
      },
      '基本支出 booked to 39999 其他支出, which no function column holds': () => {
        const text = edit(UNION_DUES, '{ code: "39999", name: 其他支出, gov_code: "59999", basic: 2.39 }');
        const split = byRule(checkText(text).findings, 'sum.basic-split');
        expectFigures(split[0], '商品和服务支出', '经济分类 302 类 11.29', '功能分类 13.68', '相差 2.39');
        expectFigures(split[1], '39999', '其他支出', '2.39', '四栏');
        expect(split[1].loc?.line).toBe(lineOf(text, '"39999"'));
        expect(split).toHaveLength(2);
      },
      '办公费 basic 4.81: at the first 302 line, the totals at economic_lines:, none at the first 301 line': () => {
        const text = edit(OFFICE, OFFICE.replace('basic: 4.80', 'basic: 4.81'));
        const { findings } = checkText(text);
        const [split] = byRule(findings, 'sum.basic-split');
        expect(split.loc?.line).toBe(lineOf(text, '"30231"'));
        expect(lines(split)).toContain(lineOf(text, 'basic: 4.81'));
        for (const rule of ['sum.economic-total', 'sum.basic-public']) expect(only(findings, rule).loc?.line, rule).toBe(lineOf(text, 'economic_lines:'));
      },
    },
    passes: {
      '0.01 of 工资福利 moved between two function lines': () => {
        const text = edit(HOUSING_WAGES, '    wages: 14.32\n', edit(LINE0_WAGES, '    wages: 183.11\n'));
        expect(checkText(text).findings).toEqual([]);
      },
      '0.01 moved from 工资福利 to 对个人和家庭的补助 on both sides': () => {
        let text = edit(LINE0_WAGES, '    wages: 183.11\n    family_subsidy: 0.01\n');
        text = edit(SALARY, SALARY.replace('64.72', '64.71'), text);
        text = edit(UNION_DUES, `${UNION_DUES}\n  - { code: "30302", name: 退休费, gov_code: "50905", basic: 0.01 }`, text);
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.project-list': {
    fails: {
      '110联动办公费 5.01': () => {
        const text = edit(LIANDONG, LIANDONG.replaceAll('5.00', '5.01'));
        const f = only(checkText(text).findings, 'sum.project-list');
        expectFigures(f, '其他运转类', '项目表合计 620.79', '功能分类项目支出 620.78', '相差 0.01');
        expect(lines(f)).toContain(lineOf(text, 'amount: 5.01'));
      },
      'a project of the wrong type': () => {
        const text = edit('    name: 110联动办公费\n    type: 其他运转类', '    name: 110联动办公费\n    type: 特定目标类');
        const [operating, targeted] = byRule(checkText(text).findings, 'sum.project-list');
        expect([operating.severity, targeted.severity]).toEqual(['error', 'error']);
        expectFigures(operating, '其他运转类', '项目表合计 615.78', '功能分类项目支出 620.78', '相差 5.00');
        expectFigures(targeted, '特定目标类', '项目表合计 5.00', '功能分类项目支出 0.00', '相差 5.00');
      },
    },
    passes: {
      '0.01 moved from 服务免费项目 to 110联动办公费': () => {
        const text = edit(FREE_SERVICES, FREE_SERVICES.replaceAll('75.00', '74.99'), edit(LIANDONG, LIANDONG.replaceAll('5.00', '5.01')));
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'sum.project-fund': {
    fails: {
      '110联动办公费 left without fund: 政府性基金 spends it in the tables, the project table prints it under 一般公共预算': () => {
        const text = edit(`${GOVERNMENT_FUND_PROJECT}    fund: government_fund\n`, GOVERNMENT_FUND_PROJECT, withGovernmentFundProject());
        const [gp, gf] = fundSplitFindings(text, 'sum.project-list', 'sum.project-fund', [
          ['一般公共预算项目支出', '项目表 620.78', '功能分类 615.78', '相差 5.00', 'fund'],
          ['政府性基金预算项目支出', '项目表 0.00', '功能分类 5.00', '相差 5.00'],
        ]);
        expect(lines(gp)).toContain(lineOf(text, 'amount: 5.00\n    performance:\n      funding: { government: 5.00 }'));
        expect(lines(gf)).toContain(lineOf(text, 'name: 其他国有土地使用权出让收入安排的支出') + 2);
        // The one project of exactly the difference is named, and the finding sits at it.
        expect(gp.message).toContain('金额正好是相差的 5.00 的项目：“110联动办公费”，请先核对它的 fund');
        expect(gp.loc?.line).toBe(lineOf(text, GOVERNMENT_FUND_PROJECT) - 1); // its `- code:` line
      },
    },
    passes: {
      'every side books 110联动办公费 to 政府性基金': () => {
        expect(checkText(withGovernmentFundProject()).findings.filter((f) => f.severity === 'error')).toEqual([]);
      },
      'a project total that differs is sum.project-list’s alone': () => {
        expectTotalRuleAlone(edit(LIANDONG, LIANDONG.replaceAll('5.00', '5.01'), withGovernmentFundProject()), 'sum.project-fund', 'sum.project-list');
      },
    },
  },
  'sum.economic-fund': {
    fails: {
      'the 政府性基金 经济分类 line left without fund: 经济分类汇总表 prints it under 一般公共预算': () => {
        const text = edit(GOVERNMENT_FUND_ECONOMIC, GOVERNMENT_FUND_ECONOMIC.replace(', fund: government_fund', ''), withGovernmentFundProject());
        const [gp] = fundSplitFindings(text, 'sum.economic-total', 'sum.economic-fund', [
          ['一般公共预算项目支出', '经济分类 620.78', '功能分类 615.78', '相差 5.00', 'fund'],
          ['政府性基金预算项目支出', '经济分类 0.00', '功能分类 5.00', '相差 5.00'],
        ]);
        expect(lines(gp)).toContain(lineOf(text, 'project: 5.00 }'));
      },
    },
    passes: {
      'every side books 110联动办公费 to 政府性基金': () => {
        expectNone(withGovernmentFundProject(), 'sum.economic-fund');
      },
      'an economic total that differs is sum.economic-total’s alone': () => {
        expectTotalRuleAlone(edit(POSTAGE, POSTAGE.replace('9.76', '9.77'), withGovernmentFundProject()), 'sum.economic-fund', 'sum.economic-total');
      },
    },
  },
  'sum.operating-costs': {
    fails: {
      '机构运行经费 13.69, 0.01 more than the 公用经费 it is paid from': () => {
        const text = edit('  amount: 13.68\n', '  amount: 13.69\n');
        const f = only(checkText(text).findings, 'sum.operating-costs');
        expect(f.severity).toBe('warning');
        expectFigures(f, '机构运行经费 13.69', '公用经费 13.68', '超出 0.01');
        expect(f.loc?.line).toBe(lineOf(text, 'amount: 13.69'));
      },
    },
    passes: {
      '机构运行经费 equal to, or less than, the 公用经费': () => {
        expectNone(REFERENCE, 'sum.operating-costs');
        expectNone(edit('  amount: 13.68\n', '  amount: 10.00\n'), 'sum.operating-costs');
      },
    },
  },
  'sum.carryover-spending': {
    fails: {
      '110联动办公费 paid from 上年结转 in the economic lines, not marked so itself': () => {
        const text = edit(`${GOVERNMENT_FUND_PROJECT}    from_carryover: true\n`, GOVERNMENT_FUND_PROJECT, withCarryoverProject());
        const f = only(checkText(text).findings, 'sum.carryover-spending');
        expectFigures(f, '项目表 0.00', '经济分类 5.00', '相差 5.00');
        expect(f.message).toContain('金额正好是相差的 5.00 的项目：“110联动办公费”，请先核对它的 from_carryover');
        expect(f.loc?.line).toBe(lineOf(text, GOVERNMENT_FUND_PROJECT) - 1);
      },
      '服务免费项目 (75.00) also marked from_carryover, with 5.00 carried over': () => {
        const free = '    name: 服务免费项目\n';
        const text = edit(free, `${free}    from_carryover: true\n`, withCarryoverProject());
        // Also the project and economic sides of it differ (80.00 against 5.00): two findings.
        const f = byRule(checkText(text).findings, 'sum.carryover-spending').find((x) => x.message.includes('超出'))!;
        expectFigures(f, '项目', '一般公共预算支出 80.00', '上年结转 5.00', '超出 75.00');
        expect(lines(f)).toContain(lineOf(text, 'carryover: { general_public: 5.00 }'));
      },
      'an economic line marked from_carryover with nothing carried over': () => {
        const text = edit(CAR_COSTS, CAR_COSTS.replace(' }', ', from_carryover: true }'));
        const f = only(checkText(text).findings, 'sum.carryover-spending');
        expectFigures(f, '经济分类', '一般公共预算支出 1.50', '上年结转 0.00', '超出 1.50');
        expect(f.loc?.line).toBe(lineOf(text, 'basic: 1.50, from_carryover: true'));
      },
      'the project marked from_carryover, its economic line not': () => {
        const text = edit(', project: 5.00, from_carryover: true }', ', project: 5.00 }', withCarryoverProject());
        const f = byRule(checkText(text).findings, 'sum.carryover-spending');
        expect(f).toHaveLength(1);
        expectFigures(f[0]!, '用上年结转的一般公共预算项目支出', '项目表 5.00', '经济分类 0.00', '相差 5.00');
      },
    },
    passes: {
      '110联动办公费 paid from the 5.00 carried over': () => {
        expect(checkText(withCarryoverProject()).findings.filter((f) => f.severity === 'error')).toEqual([]);
      },
    },
  },
  'sum.three-public': {
    fails: {
      'stated 合计 1.60': () => {
        const text = edit(THREE_PUBLIC_VEHICLE, `${THREE_PUBLIC_VEHICLE}  total: 1.60\n`);
        const f = only(checkText(text).findings, 'sum.three-public');
        expectFigures(f, '合计 1.60', '1.50', '相差 0.10');
        expect(f.loc?.line).toBe(lineOf(text, 'total: 1.60'));
      },
    },
    passes: {
      'stated 合计 1.50': () => {
        expect(checkText(edit(THREE_PUBLIC_VEHICLE, `${THREE_PUBLIC_VEHICLE}  total: 1.50\n`)).findings).toEqual([]);
      },
    },
  },
  'sum.procurement': {
    fails: {
      'stated 合计 12.51, items add up to 12.50': () => {
        const text = edit(PROCUREMENT, '  goods: 10.00\n  works: 0\n  services: 2.50\n  total: 12.51\n');
        const f = only(checkText(text).findings, 'sum.procurement');
        expectFigures(f, '合计 12.51', '12.50', '相差 0.01');
        expect(f.loc?.line).toBe(lineOf(text, 'total: 12.51'));
      },
    },
    passes: {
      'stated 合计 12.50': () => {
        expect(checkText(edit(PROCUREMENT, '  goods: 10.00\n  works: 0\n  services: 2.50\n  total: 12.50\n')).findings).toEqual([]);
      },
    },
  },
  'three-public.economic': {
    fails: {
      '三公 车辆运行 1.51, 经济分类 30231 1.50': () => {
        const text = edit(THREE_PUBLIC_VEHICLE, THREE_PUBLIC_VEHICLE.replace('1.50', '1.51'));
        const f = only(checkText(text).findings, 'three-public.economic');
        expectFigures(f, '30231', '“三公”表 1.51', '1.50', '相差 0.01');
        expect(f.loc?.line).toBe(lineOf(text, 'vehicle_operation: 1.51'));
        expect(lines(f)).toContain(lineOf(text, CAR_COSTS));
      },
    },
    passes: {
      'both sides 1.60 (0.10 moved from 办公费)': () => {
        let text = edit(THREE_PUBLIC_VEHICLE, THREE_PUBLIC_VEHICLE.replace('1.50', '1.60'));
        text = edit(CAR_COSTS, CAR_COSTS.replace('1.50', '1.60'), text);
        text = edit(OFFICE, OFFICE.replace('4.80', '4.70'), text);
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'perf.missing': {
    fails: {
      '值班费 without performance': () => {
        const text = withoutDutyPayPerformance();
        const f = only(checkText(text).findings, 'perf.missing');
        expectFigures(f, '值班费', '410311220000000013974');
        expect(f.loc?.line).toBe(lineOf(text, DUTY_PAY_CODE));
      },
    },
    passes: {
      'every project of the reference has one': () => {
        expectNone(REFERENCE, 'perf.missing');
      },
    },
  },
  'perf.funding': {
    fails: {
      '资金总额 15.66, 项目金额 15.65': () => {
        const text = edit(DUTY_PAY_FUNDING, 'funding: { government: 15.66 }');
        const f = only(checkText(text).findings, 'perf.funding');
        expectFigures(f, '值班费', '资金总额 15.66', '项目金额 15.65', '相差 0.01');
        expect(f.loc?.line).toBe(lineOf(text, 'government: 15.66'));
      },
    },
    passes: {
      '资金总额 split between 政府预算资金 and 单位资金': () => {
        expect(checkText(edit(DUTY_PAY_FUNDING, 'funding: { government: 10.00, unit: 5.65 }')).findings).toEqual([]);
      },
    },
  },
  'perf.indicators': {
    fails: {
      '值班费 with 资金 but no indicators': () => {
        const start = REFERENCE.indexOf(`      ${DUTY_PAY_FUNDING}\n`);
        const end = REFERENCE.indexOf('  - code:', start);
        const text = `${REFERENCE.slice(0, start)}      ${DUTY_PAY_FUNDING}\n${REFERENCE.slice(end)}`;
        const f = only(checkText(text).findings, 'perf.indicators');
        expectFigures(f, '值班费', '410311220000000013974', '没有任何绩效指标');
        // A mapping is where its first key is.
        expect(f.loc?.line).toBe(lineOf(text, DUTY_PAY_FUNDING));
      },
    },
    passes: {
      'a project with only 产出 indicators': () => {
        const start = REFERENCE.indexOf(`      ${DUTY_PAY_FUNDING}\n`);
        const output = REFERENCE.indexOf('      output:\n', start);
        const benefit = REFERENCE.indexOf('      benefit:\n', start);
        const end = REFERENCE.indexOf('  - code:', start);
        const text = `${REFERENCE.slice(0, start)}      ${DUTY_PAY_FUNDING}\n${REFERENCE.slice(output, benefit)}${REFERENCE.slice(end)}`;
        expectNone(text, 'perf.indicators');
      },
    },
  },
  'perf.cost-cap': {
    fails: {
      'cap ≤999万元 on a 15.65 万元 project': () => {
        const text = edit(DUTY_PAY_CAP, '[按相关规定支付值班费, ≤999万元]');
        const f = only(checkText(text).findings, 'perf.cost-cap');
        expectFigures(f, '值班费', '≤999万元', '15.65');
        expect(f.loc?.line).toBe(lineOf(text, '≤999万元'));
      },
      'cap in 元, one 元 over': () => {
        const text = edit(DUTY_PAY_CAP, '[按相关规定支付值班费, ≤156501元]');
        const f = only(checkText(text).findings, 'perf.cost-cap');
        expectFigures(f, '≤156501元', '15.65');
      },
      'data in 元 (amount_unit: 元): a cap of 15.65万元 is 10000 times the 15.65 元 project': () => {
        // Before, caps were always turned into 万元 and compared with amounts in 元: never over.
        const text = edit('amount_unit: 万元', 'amount_unit: 元');
        const f = byRule(checkText(text).findings, 'perf.cost-cap').find((x) => x.message.includes('值班费'));
        expect(f?.message).toContain('上限 ≤15.65万元 超过项目金额 15.65 元');
      },
    },
    passes: {
      'cap in 元 equal to the amount': () => {
        expect(checkText(edit(DUTY_PAY_CAP, '[按相关规定支付值班费, ≤156500元]')).findings).toEqual([]);
      },
    },
  },
  'code.function': {
    fails: {
      'unknown 类 999': () => {
        const text = edit('code: "2012906"', 'code: "9992906"');
        const f = only(checkText(text).findings, 'code.function');
        expectFigures(f, '9992906', '999');
        expect(f.loc?.line).toBe(lineOf(text, '"9992906"'));
      },
      'six digits (a model built in code; the schema refuses it in a file)': () => {
        const f = only(checkModel((b) => { b.functionLines[1].code = '201290'; }), 'code.function');
        expectFigures(f, '201290', '7 位');
      },
    },
    passes: {
      'a known 类 (213 农林水事务)': () => {
        expectNone(edit('code: "2012906"', 'code: "2132906"'), 'code.function');
      },
    },
  },
  'code.economic': {
    fails: {
      'unknown 政府预算经济分类 59998': () => {
        const text = edit(OFFICE, OFFICE.replace('"50502"', '"59998"'));
        const f = only(checkText(text).findings, 'code.economic');
        expectFigures(f, '59998');
        expect(f.loc?.line).toBe(lineOf(text, '"59998"'));
      },
      'a 3-digit 部门预算经济分类 (a model built in code; the schema refuses it in a file)': () => {
        const f = only(checkModel((b) => { b.economicLines[0].code = '301'; }), 'code.economic');
        expectFigures(f, '301', '5 位');
      },
      'unknown 部门预算经济分类 类 999 (30201 renamed 99901)': () => {
        const text = edit(OFFICE, OFFICE.replace('"30201"', '"99901"'));
        const f = only(checkText(text).findings, 'code.economic');
        expectFigures(f, '99901', '类 999', '301 工资福利支出', '399 其他支出');
        expect(f.loc?.line).toBe(lineOf(text, '"99901"'));
      },
    },
    passes: {
      'known 政府预算经济分类 50201 (机关 办公经费) of the same 类': () => {
        expect(checkText(edit(OFFICE, OFFICE.replace('"50502"', '"50201"'))).findings).toEqual([]);
      },
    },
  },
  'code.economic-mapping': {
    fails: {
      '30101 基本工资 booked to 50502 商品和服务支出': () => {
        const text = edit(SALARY, SALARY.replace('"50501"', '"50502"'));
        const f = only(checkText(text).findings, 'code.economic-mapping');
        expectFigures(f, '30101', '301 工资福利支出', '501xx 或 50501', '50502 商品和服务支出');
        expect(f.loc?.line).toBe(lineOf(text, SALARY.replace('"50501"', '"50502"')));
        expect(f.loc?.col).toBe(SALARY.indexOf('"50501"') + 5);
      },
      '31002 办公设备购置 booked to 50101 工资奖金津补贴': () => {
        const f = only(checkText(edit('gov_code: "50601"', 'gov_code: "50101"')).findings, 'code.economic-mapping');
        expectFigures(f, '31002', '310 资本性支出', '503xx 或 504xx 或 506xx', '50101');
      },
    },
    passes: {
      '机关 and 事业单位 forms of one 类: 50101 and 50501, 50306 and 50601': () => {
        const text = edit('gov_code: "50601"', 'gov_code: "50306"', edit(SALARY, SALARY.replace('"50501"', '"50101"')));
        expect(checkText(text).findings).toEqual([]);
      },
    },
  },
  'code.duplicate': {
    fails: {
      'a function line entered twice': () => {
        const text = edit(UNION_LINE, UNION_LINE + UNION_LINE);
        const f = only(checkText(text).findings, 'code.duplicate');
        expectFigures(f, '2012906（一般公共预算）重复录入', 'function_lines[1]');
        expect(f.message).not.toContain('general_public');
        const first = lineOf(text, UNION_LINE + UNION_LINE);
        expect(f.loc?.line).toBe(first + 3);
        expect(f.related?.map((l) => l.line)).toEqual([first]);
      },
      'an economic line entered twice': () => {
        const text = edit(UNION_DUES, `${UNION_DUES}\n  - ${UNION_DUES}`);
        const f = only(checkText(text).findings, 'code.duplicate');
        expectFigures(f, '30228（一般公共预算）重复录入');
        expect(f.loc?.line).toBe(lineOf(REFERENCE, UNION_DUES) + 1);
        expect(f.related?.map((l) => l.line)).toEqual([lineOf(REFERENCE, UNION_DUES)]);
      },
      'a project entered twice': () => {
        const text = edit(`  - code: ${DUTY_PAY_CODE}\n${DUTY_PAY_NAME}`, '  - code: "410311220000000013976"\n    name: 110联动办公费\n');
        const f = only(checkText(text).findings, 'code.duplicate');
        expectFigures(f, '410311220000000013976', '110联动办公费');
      },
    },
    passes: {
      'the same function code under another fund': () => {
        expectNone(edit(UNION_LINE, UNION_LINE + UNION_LINE.replace('工会事务\n', '工会事务\n    fund: government_fund\n')), 'code.duplicate');
      },
    },
  },
  'name.inconsistent': {
    fails: {
      'one function code, two names': () => {
        const other = UNION_LINE.replace('工会事务\n', '工会经费事务\n    fund: government_fund\n');
        const text = edit(UNION_LINE, UNION_LINE + other);
        const f = only(checkText(text).findings, 'name.inconsistent');
        expectFigures(f, '2012906', '工会事务', '工会经费事务');
        expect(f.loc?.line).toBe(lineOf(text, '工会经费事务'));
        expect(f.related?.map((l) => l.line)).toEqual([lineOf(text, 'name: 工会事务')]);
      },
      'one project code, two names': () => {
        const text = edit(`  - code: ${DUTY_PAY_CODE}`, '  - code: "410311220000000013976"');
        const f = only(checkText(text).findings, 'name.inconsistent');
        expectFigures(f, '410311220000000013976', '110联动办公费', '值班费');
        expect(f.loc?.line).toBe(lineOf(text, DUTY_PAY_NAME));
      },
    },
    passes: {
      'one function code under two funds, one name': () => {
        const other = UNION_LINE.replace('工会事务\n', '工会事务\n    fund: government_fund\n');
        expectNone(edit(UNION_LINE, UNION_LINE + other), 'name.inconsistent');
      },
    },
  },
  'name.duplicate': {
    fails: {
      '值班费 renamed 110联动办公费, its code kept': () => {
        const text = edit(DUTY_PAY_NAME, '    name: 110联动办公费\n');
        const { findings } = checkText(text);
        const f = only(findings, 'name.duplicate');
        expectFigures(f, '110联动办公费', '410311220000000013976', '410311220000000013974');
        expect(f.loc?.line).toBe(lineOf(text, DUTY_PAY_CODE) + 1);
        expect(f.related?.map((l) => l.line)).toEqual([lineOf(REFERENCE, '    name: 110联动办公费')]);
        expect(byRule(findings, 'name.similar')).toEqual([]);
        expect(byRule(findings, 'code.duplicate')).toEqual([]);
      },
    },
    passes: {
      'the same name under the same code is code.duplicate, not this': () => {
        const text = edit(`  - code: ${DUTY_PAY_CODE}\n${DUTY_PAY_NAME}`, '  - code: "410311220000000013976"\n    name: 110联动办公费\n');
        const { findings } = checkText(text);
        expect(byRule(findings, 'name.duplicate')).toEqual([]);
        expect(byRule(findings, 'code.duplicate')).toHaveLength(1);
      },
      'thirteen different names in the reference': () => {
        expectNone(REFERENCE, 'name.duplicate');
      },
    },
  },
  'name.similar': {
    fails: {
      '110联动办公费 and 110联动办经费 (as in the reference text)': () => {
        const text = edit(DUTY_PAY_NAME, '    name: 110联动办经费\n');
        const f = only(checkText(text).findings, 'name.similar');
        expectFigures(f, '110联动办公费', '110联动办经费');
        expect(f.loc?.line).toBe(lineOf(text, '110联动办经费'));
        expect(f.related?.map((l) => l.line)).toEqual([lineOf(text, '    name: 110联动办公费')]);
      },
    },
    passes: {
      'names two characters apart': () => {
        expect(checkText(edit(DUTY_PAY_NAME, '    name: 110联动值班费\n')).findings).toEqual([]);
      },
      'numbered projects: 网络维护第1期 / 网络维护第2期 / 网络维护第12期, 第一期 / 第二期': () => {
        // Before, every pair of numbered phases was “只差一个字”: 60 phases gave 457 warnings.
        const numbered = edit(DUTY_PAY_NAME, '    name: 网络维护第2期\n', edit('    name: 网络维护\n', '    name: 网络维护第1期\n'));
        expect(byRule(checkText(numbered).findings, 'name.similar')).toEqual([]);
        const twelve = edit('    name: 网络维护第1期\n', '    name: 网络维护第12期\n', numbered);
        expect(byRule(checkText(twelve).findings, 'name.similar')).toEqual([]);
        const chinese = edit(DUTY_PAY_NAME, '    name: 网络维护第二期\n', edit('    name: 网络维护\n', '    name: 网络维护第一期\n'));
        expect(byRule(checkText(chinese).findings, 'name.similar')).toEqual([]);
      },
    },
  },
  'texts.unknown-key': {
    fails: {
      'texts: { glosary: … } (the format has glossary)': () => {
        const text = edit('special_transfers: []', 'texts:\n  glosary: 本单位的名词解释\nspecial_transfers: []');
        const f = only(checkWithTextIds(text, ['glossary', 'overview']), 'texts.unknown-key');
        expectFigures(f, '“glosary”', '是否应为“glossary”');
        expect(f.loc?.line).toBe(lineOf(text, 'glosary:'));
      },
      'an id nothing is near: the ids there are are listed': () => {
        const text = edit('special_transfers: []', 'texts:\n  preface: 前言\nspecial_transfers: []');
        expectFigures(only(checkWithTextIds(text, ['glossary', 'overview']), 'texts.unknown-key'), '“preface”', '“glossary”、“overview”');
      },
    },
    passes: {
      'texts: { glossary: … }': () => {
        const text = edit('special_transfers: []', 'texts:\n  glossary: 本单位的名词解释\nspecial_transfers: []');
        expect(byRule(checkWithTextIds(text, ['glossary', 'overview']), 'texts.unknown-key')).toEqual([]);
      },
    },
  },
  'data.missing': {
    fails: {
      'no prior_year': () => {
        const start = REFERENCE.indexOf('prior_year:\n');
        const end = REFERENCE.indexOf('\n\n', start);
        const text = REFERENCE.slice(0, start) + REFERENCE.slice(end + 2);
        const missing = byRule(checkText(text).findings, 'data.missing');
        expect(missing.map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
        expect(missing.map((f) => f.message).join('\n')).toMatch(/prior_year\.total[\s\S]*prior_year\.general_public[\s\S]*prior_year\.three_public/);
      },
      'no prior_year.three_public': () => {
        const start = REFERENCE.indexOf('  three_public:\n    abroad: 0\n');
        const end = REFERENCE.indexOf('vehicle_operation: 1.20\n', start) + 'vehicle_operation: 1.20\n'.length;
        const text = REFERENCE.slice(0, start) + REFERENCE.slice(end);
        const f = only(checkText(text).findings, 'data.missing');
        expectFigures(f, 'prior_year.three_public');
        expect(f.loc?.line).toBe(lineOf(text, 'total: 761.97'));
      },
      'no prior_year.government_fund while the unit spends 政府性基金': () => {
        // The text used to say 政府性基金收支预算无变化 for a fund whose prior year was not given.
        const moved = edit('    name: 工会事务\n', '    name: 工会事务\n    fund: government_fund\n');
        const text = edit('  government_fund: 0                # 政府性基金收支\n', '', moved);
        const f = only(checkText(text).findings, 'data.missing');
        expectFigures(f, 'prior_year.government_fund');
        expect(f.severity).toBe('warning');
        // Without 政府性基金 spending, leaving it out is no gap.
        expect(byRule(checkText(edit('  government_fund: 0                # 政府性基金收支\n', '')).findings, 'data.missing')).toEqual([]);
      },
      'no economic_lines': () => {
        const start = REFERENCE.indexOf('economic_lines:\n');
        const end = REFERENCE.indexOf('\n\n', start);
        const text = REFERENCE.slice(0, start) + REFERENCE.slice(end + 2);
        const f = only(checkText(text).findings, 'data.missing');
        expectFigures(f, 'economic_lines');
      },
      'no procurement: the text would print 政府采购预算 0 万元': () => {
        const text = edit(`procurement:                        # 政府采购预算\n${PROCUREMENT}`, '');
        const f = only(checkText(text).findings, 'data.missing');
        expectFigures(f, 'procurement', '0 万元');
        expect(f.loc?.line).toBe(lineOf(text, 'format: luoyang-2022'));
      },
      'three_public without any item: the text and the 三公 table would print 0 万元': () => {
        const start = REFERENCE.indexOf('three_public:\n  abroad');
        const text = `${REFERENCE.slice(0, start)}three_public: {}\n\n${REFERENCE.slice(REFERENCE.indexOf('\n\n', start) + 2)}`;
        expect(text).not.toContain('vehicle_operation: 1.50');
        const f = only(checkText(text).findings, 'data.missing');
        expectFigures(f, 'three_public', '0 万元');
        expect(f.severity).toBe('warning');
      },
      'no assets, no special_transfers, empty composition': () => {
        let text = edit('special_transfers: []               # 负责管理的专项转移支付项目\n', '');
        const assets = text.indexOf('assets:');
        text = text.slice(0, assets) + text.slice(text.indexOf('\n\n', assets) + 2);
        const composition = text.indexOf('  composition:');
        text = `${text.slice(0, composition)}  composition: []\n${text.slice(text.indexOf('\n\n', composition) + 1)}`;
        const missing = byRule(checkText(text).findings, 'data.missing');
        expect(missing.map((f) => f.message.match(/（([a-z_.]+)）/)?.[1])).toEqual(['assets', 'special_transfers', 'unit.composition']);
        expect(missing[2].loc?.line).toBe(lineOf(text, 'composition: []'));
      },
      'special_transfers written with no value (a blank, or ~): still missing, at its line': () => {
        for (const blank of ['special_transfers:', 'special_transfers: ~']) {
          const text = edit('special_transfers: []', blank);
          const f = only(checkText(text).findings, 'data.missing');
          expect(f.message).toContain('special_transfers: []');
          expect(f.loc?.line).toBe(lineOf(text, blank));
        }
      },
    },
    passes: {
      'the reference has every fact the rules need': () => {
        expectNone(REFERENCE, 'data.missing');
      },
      'procurement written as zeros, special_transfers as []': () => {
        expect(lineOf(REFERENCE, PROCUREMENT)).toBeGreaterThan(0);
        expect(lineOf(REFERENCE, 'special_transfers: []')).toBeGreaterThan(0);
        expectNone(REFERENCE, 'data.missing');
      },
    },
  },
  'reason.missing': {
    fails: {
      '收入总计 up 104.04 with no income_change': () => {
        const text = edit(INCOME_REASON, '');
        const f = only(checkText(text).findings, 'reason.missing');
        expectFigures(f, '收入总计', '增加 104.04', '上年 761.97', '本年 866.01', 'reasons.income_change');
        expect(f.loc?.line).toBe(lineOf(text, '  expense_change:'));
        expect(lines(f)).toContain(lineOf(text, 'total: 761.97'));
      },
      '公务接待费 0 → 0.50 with no reception_change (and no reasons: at all)': () => {
        const start = REFERENCE.indexOf('reasons:\n');
        let text = REFERENCE.slice(0, start) + REFERENCE.slice(REFERENCE.indexOf('\n\n', start) + 2);
        text = edit('  reception: 0                      # 公务接待费', '  reception: 0.50', text);
        const reception = byRule(checkText(text).findings, 'reason.missing').find((f) => f.message.includes('公务接待费'))!;
        expectFigures(reception, '增加 0.50', '上年 0.00', '本年 0.50', 'reasons.reception_change');
        expect(reception.severity).toBe('warning');
        expect(reception.loc?.line).toBe(lineOf(text, 'format: luoyang-2022'));
      },
    },
    passes: {
      'every change of the reference has its reason; unchanged figures need none': () => {
        expectNone(REFERENCE, 'reason.missing');
        expect(REFERENCE).not.toContain('reception_change');
      },
    },
  },
};

describe('costCap: a cost indicator\'s cap in the data\'s amount unit', () => {
  it('converts between 万元 and 元 both ways', () => {
    expect(costCap('≤60万元')?.toString()).toBe('60');
    expect(costCap('<300元')?.toString()).toBe('0.03');
    expect(costCap('≤60万元', '元')?.toString()).toBe('600000');
    expect(costCap('≤156500元', '元')?.toString()).toBe('156500');
    expect(costCap('持续提升', '元')).toBeNull();
  });
});

describe('every rule', () => {
  it('has cases here', () => {
    expect(Object.keys(RULE_CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});

describe.each(Object.entries(RULE_CASES))('%s', (_rule, cases) => {
  it.each(Object.entries(cases.fails))('fails: %s', (_name, run) => run());
  it.each(Object.entries(cases.passes))('passes: %s', (_name, run) => run());
});

describe('reasons: only the keys the templates read', () => {
  it('a misspelt reason key is an unknown key with the nearest one suggested, not a reason nobody prints', () => {
    const text = edit('  income_change:', '  income_chnage:');
    const read = parseWithSchema({ file: FILE, text }, budgetFileSchema);
    expect(read.value).toBeUndefined();
    expect(read.findings).toHaveLength(1);
    expect(read.findings[0]).toMatchObject({ rule: 'schema.unknown-key', severity: 'error', path: 'reasons.income_chnage', loc: { line: lineOf(text, 'income_chnage') } });
    expect(read.findings[0].message).toContain('是否应为“income_change”');
  });

  it('reads the reference reasons by key', () => {
    expect(Object.keys(checkText(REFERENCE).budget.reasons)).toEqual(['income_change', 'expense_change', 'general_public_change', 'vehicle_operation_change']);
  });
});

describe('exact sums', () => {
  it('adds amounts of any size to the cent (decimal.js alone rounds every result to 20 digits)', async () => {
    const { sum } = await import('../src/budget/decimal.js');
    expect(sum([new Decimal('99999999999999999999999.22'), new Decimal('0.01')])!.toFixed(2)).toBe('99999999999999999999999.23');
  });
});
