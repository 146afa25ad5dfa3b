/**
 * The helpers of the text templates ({{wan f.basic}}, {{change …}}, {{compare …}}): how each
 * figure is worded, in the data's amount unit. Every helper refuses an argument that does not
 * exist, so a misspelt field is an error and never prints 0. One Handlebars environment per format.
 */
import Handlebars from 'handlebars';
import { Decimal, plain, orZero, sum } from '../budget/decimal.js';
import type { Amount } from '../budget/model.js';

function asAmount(v: unknown): Amount {
  if (v === null || v === undefined) return null;
  if (Decimal.isDecimal(v)) return v as Decimal;
  if (typeof v === 'number' || typeof v === 'string') return new Decimal(v);
  throw new Error(`not an amount: ${String(v)}`);
}

/** Change against the prior year in the publication's words: 增加104.04万元，增长14% / 减少… / 无变化, in the data's amount unit. */
function changeText(diff: Amount, percent: number | null, unit: string): string {
  const d = orZero(diff);
  if (d.isZero()) return '无变化';
  const direction = d.isPositive() ? '增加' : '减少';
  const text = `${direction}${plain(d.abs())}${unit}`;
  if (percent === null) return text;
  // Too small to show even at two decimals (changePercent gives 0 for a change that is not zero).
  const shown = percent === 0 ? '不足0.01' : String(Math.abs(percent));
  return `${text}，${d.isPositive() ? '增长' : '下降'}${shown}%`;
}

/** Handlebars' own helpers a text may use; they are checked for missing arguments as ours are. */
const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'] as const;

/**
 * A helper argument that is undefined: the context never holds undefined (an absent figure is
 * null), so the text names a field that does not exist. Strict mode catches that only for a
 * plain {{field}}, not for a helper's argument ({{wan f.misspelt}} would print 0).
 */
export class MissingArgument extends Error {
  constructor(
    readonly helper: string,
    readonly position: number,
    readonly loc: { start: { line: number; column: number }; end: { line: number; column: number } } | undefined,
  ) {
    super(`missing argument ${position} of ${helper}`);
  }
}

function guardArguments(hb: typeof Handlebars, name: string): void {
  const helper = hb.helpers[name] as (...args: unknown[]) => unknown;
  hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as { loc?: MissingArgument['loc'] };
    for (let i = 0; i < args.length - 1; i++) {
      if (args[i] === undefined) throw new MissingArgument(name, i + 1, options?.loc);
    }
    return helper.apply(this, args);
  });
}

/** The data's amount unit (万元 / 元), which the helpers' own words use like the texts' {{amountUnit}}. */
function amountUnitOf(options: Handlebars.HelperOptions): string {
  const unit = (options.data.root as { amountUnit?: unknown }).amountUnit;
  return typeof unit === 'string' && unit ? unit : '万元';
}

export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('wan', (v: unknown) => plain(asAmount(v)));
  hb.registerHelper('change', (...args: unknown[]) => {
    const options = args[args.length - 1] as Handlebars.HelperOptions;
    const [diff, percent] = args.slice(0, -1);
    return changeText(asAmount(diff), typeof percent === 'number' ? percent : null, amountUnitOf(options));
  });
  /** 与2021年保持一致 / 比2021年增加0.3万元，主要原因：… */
  hb.registerHelper('compare', function (this: unknown, current: unknown, prior: unknown, reason: unknown, options: Handlebars.HelperOptions) {
    const priorYear = options.data.root.priorYear as number;
    const cur = orZero(asAmount(current));
    const before = asAmount(prior);
    const unit = amountUnitOf(options);
    if (before === null) return `为${plain(cur)}${unit}`;
    const diff = cur.minus(before);
    if (diff.isZero()) return `与${priorYear}年保持一致`;
    const because = typeof reason === 'string' && reason ? `，主要原因：${reason}` : '';
    return `比${priorYear}年${diff.isPositive() ? '增加' : '减少'}${plain(diff.abs())}${unit}${because}`;
  });
  hb.registerHelper('known', (v: unknown) => v !== null && v !== undefined);
  hb.registerHelper('nonzero', (v: unknown) => !orZero(asAmount(v)).isZero());
  hb.registerHelper('sum', (...args: unknown[]) => sum(args.slice(0, -1).map(asAmount)));
  hb.registerHelper('add', (a: number, b: number) => a + b);
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : '、') : ''));
  for (const name of [...Object.keys(hb.helpers)]) {
    if (name !== 'helperMissing' && name !== 'blockHelperMissing') guardArguments(hb, name);
  }
  return hb;
}

/** The helpers a text template may call: ours and Handlebars' built-in ones. */
export function knownHelpers(hb: typeof Handlebars): Record<string, boolean> {
  const names = Object.keys(hb.helpers).filter((n) => n !== 'helperMissing' && n !== 'blockHelperMissing');
  return Object.fromEntries([...names, ...BUILTIN_HELPERS].map((n) => [n, true]));
}

/**
 * Every helper a text template may call, with how it is written and what it gives: for template
 * authors (`budget-pdf fields`) and for the message about a helper that does not exist. A test
 * keeps it equal to the helpers createHandlebars registers.
 */
export const TEXT_HELPERS: Readonly<Record<string, string>> = {
  wan: '{{wan f.basic}}：金额，至多两位小数，末尾的 0 不写（245.23、1.5、0），与公开文本的写法一致；没有数字时为 0',
  change: '{{change f.change.total f.change.totalPercent}}：增加/减少…万元（数据的 amount_unit），增长/下降…%',
  compare: '{{compare 本年 上年 原因}}：与上年保持一致 / 比上年增加（减少）…万元（数据的 amount_unit），主要原因：…',
  known: '{{#if (known x)}}…{{/if}}：数据中填了 x',
  nonzero: '{{#if (nonzero x)}}…{{/if}}：x 不为零',
  sum: '{{wan (sum a b …)}}：几个金额之和',
  add: '{{add a b}}：两个整数之和',
  join: '{{join 列表 "、"}}：用分隔符连接列表的各项',
  if: '{{#if x}}…{{else}}…{{/if}}：Handlebars 内置',
  unless: '{{#unless x}}…{{/unless}}：Handlebars 内置',
  each: '{{#each 列表}}{{this}}{{/each}}：Handlebars 内置，逐项',
  with: '{{#with x}}…{{/with}}：Handlebars 内置',
  lookup: '{{lookup 对象 键}}：Handlebars 内置',
  log: '{{log x}}：Handlebars 内置，只写日志',
};

export const HELPER_NAMES: readonly string[] = Object.keys(TEXT_HELPERS);
