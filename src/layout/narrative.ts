/**
 * Narrative text: Handlebars templates (templates/<format>/text/*.hbs) turned into
 * paragraphs. Handlebars only produces strings here; the document structure comes
 * from report.yaml. Templates are compiled once per process, `strict` (a misspelt
 * field is an error, not an empty gap) and `noEscape` (this is not HTML: `<300元`
 * must stay `<300元`). Data values are passed in as context, never compiled.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { Decimal } from 'decimal.js';
import { plain, orZero, sum } from '../budget/decimal.js';
import { deriveFigures, type BudgetFigures } from '../budget/derive.js';
import { REASON_KEYS, type Amount, type Budget } from '../budget/model.js';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { TemplateError } from './report-outline.js';

type Template = Handlebars.TemplateDelegate;

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
  return `${text}，${d.isPositive() ? '增长' : '下降'}${Math.abs(percent)}%`;
}

/** Handlebars' own helpers a text may use; they are checked for missing arguments as ours are. */
const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'] as const;

/**
 * A helper argument that is undefined: the context never holds undefined (an absent figure is
 * null), so the text names a field that does not exist. Strict mode catches that only for a
 * plain {{field}}, not for a helper's argument ({{wan f.misspelt}} would print 0).
 */
class MissingArgument extends Error {
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
  const unit = (options.data.root as Partial<NarrativeContext>).amountUnit;
  return typeof unit === 'string' && unit ? unit : '万元';
}

function createHandlebars(): typeof Handlebars {
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

const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

/** The helpers a text template may call: ours and Handlebars' built-in ones. */
function knownHelpers(hb: typeof Handlebars): Record<string, boolean> {
  const names = Object.keys(hb.helpers).filter((n) => n !== 'helperMissing' && n !== 'blockHelperMissing');
  return Object.fromEntries([...names, ...BUILTIN_HELPERS].map((n) => [n, true]));
}

/**
 * The first call of a helper that does not exist ({{wnan x}}, {{#iff …}}, (summ a b)), as the error
 * Handlebars gives for it with knownHelpersOnly, or null. A call is a path with arguments; a bare
 * {{name}} is a field, which strict mode checks when the text is filled in.
 */
function unknownHelperCall(program: hbs.AST.Program, known: Record<string, boolean>): Error | null {
  let found: Error | null = null;
  const visitor = new Handlebars.Visitor();
  const look = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression): void => {
    const path = node.path as hbs.AST.PathExpression;
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (!found && isCall && path.type === 'PathExpression' && !path.data && path.parts.length === 1 && !known[path.original]) {
      found = Object.assign(new Error(`You specified knownHelpersOnly, but used the unknown helper ${path.original}`), {
        lineNumber: node.loc.start.line,
        column: node.loc.start.column,
      });
    }
  };
  // Visitor's own methods walk the children; ours look first, then let it go on.
  const walk = (base: (node: never) => unknown) =>
    function (this: unknown, node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression) {
      look(node);
      return base.call(this, node as never);
    };
  const v = visitor as unknown as Record<string, (node: never) => unknown>;
  v.MustacheStatement = walk(v.MustacheStatement!);
  v.BlockStatement = walk(v.BlockStatement!);
  v.SubExpression = walk(v.SubExpression!);
  visitor.accept(program);
  return found;
}

/** Where in a template an error happened, from Handlebars' messages (`Parse error on line 3:`, `… - 3:17`). */
function errorPlace(error: unknown, base: SourceLoc): SourceLoc {
  const e = error as { lineNumber?: number; column?: number; message?: string };
  const lineOffset = base.line - 1;
  if (typeof e.lineNumber === 'number') {
    return { file: base.file, line: e.lineNumber + lineOffset, col: (e.column ?? 0) + (e.lineNumber === 1 ? base.col : 1) };
  }
  const m = /Parse error on line (\d+)/.exec(e.message ?? '');
  if (m) return { file: base.file, line: Number(m[1]) + lineOffset, col: Number(m[1]) === 1 ? base.col : 1 };
  return base;
}

/** A Handlebars compile or runtime error as a template finding, at its file and line. */
function templateFinding(error: unknown, base: SourceLoc, what: string, source?: string): Finding {
  const loc = errorPlace(error, base);
  if (error instanceof MissingArgument) {
    const start = error.loc?.start;
    const at = start ? { file: base.file, line: start.line + base.line - 1, col: start.column + (start.line === 1 ? base.col : 1) } : loc;
    const expression = source !== undefined && error.loc ? excerpt(source, error.loc) : `{{${error.helper} …}}`;
    return {
      rule: 'template.missing-value', severity: 'error', loc: at,
      message: `${what}：${expression} 中 ${error.helper} 的第 ${error.position} 个参数没有值，所写的字段不存在（拼写错误？）。`,
    };
  }
  const message = (error as Error).message ?? String(error);
  const unknownHelper = /unknown helper (\S+)/.exec(message);
  if (unknownHelper) {
    return {
      rule: 'template.unknown-helper', severity: 'error', loc,
      message: `${what}：没有名为“${unknownHelper[1]}”的 helper；可用的 helper：${HELPER_NAMES.join('、')}。`,
    };
  }
  const notDefined = /^"([^"]+)" not defined/.exec(message);
  if (notDefined) {
    return { rule: 'template.missing-value', severity: 'error', loc, message: `${what}：字段“${notDefined[1]}”不存在（拼写错误？）。` };
  }
  const parse = /^Parse error on line \d+:\n([\s\S]*)$/.exec(message);
  const detail = (parse ? parse[1]! : message).replace(/\s*- \d+:\d+$/, '');
  return { rule: 'template.syntax', severity: 'error', loc, message: `${what}：Handlebars 语法错误：${detail}` };
}

/** The text of a template between two Handlebars locations (lines 1-based, columns 0-based). */
function excerpt(source: string, loc: NonNullable<MissingArgument['loc']>): string {
  const lines = source.split('\n');
  if (loc.start.line === loc.end.line) return lines[loc.start.line - 1]?.slice(loc.start.column, loc.end.column) ?? '';
  return [lines[loc.start.line - 1]?.slice(loc.start.column), ...lines.slice(loc.start.line, loc.end.line - 1), lines[loc.end.line - 1]?.slice(0, loc.end.column)].join('\n');
}

/**
 * Every helper a text template may call, with how it is written and what it gives: for template
 * authors (`budget-pdf fields`) and for the message about a helper that does not exist. A test
 * keeps it equal to the helpers registered above.
 */
export const TEXT_HELPERS: Readonly<Record<string, string>> = {
  wan: '{{wan f.basic}}：金额，两位小数（245.23）；没有数字时为 0.00',
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

const HELPER_NAMES = Object.keys(TEXT_HELPERS);

/** A format's compiled text templates; build once per format and reuse for every document. */
export class NarrativeTemplates {
  private readonly hb = createHandlebars();
  private readonly known = knownHelpers(this.hb);
  private readonly templates = new Map<string, Template>();
  private readonly files = new Map<string, { file: string; source: string }>();
  private readonly inline = new Map<string, Template>();
  /** Where report.yaml holds each inline text (title, headings), for its errors. */
  private readonly inlinePlaces = new Map<string, SourceLoc>();

  /** Compiles every text/*.hbs; throws one TemplateError naming each file (and line) that does not compile. */
  constructor(readonly textDir: string) {
    let names: string[];
    try {
      names = readdirSync(textDir).filter((name) => name.endsWith('.hbs')).sort();
    } catch (error) {
      throw new TemplateError([{ rule: 'template.missing', severity: 'error', message: `无法读取文字模板文件夹 ${textDir}：${(error as Error).message}` }]);
    }
    const findings: Finding[] = [];
    for (const name of names) {
      const file = join(textDir, name);
      const source = readFileSync(file, 'utf8');
      try {
        this.templates.set(name.slice(0, -4), this.compile(source));
        this.files.set(name.slice(0, -4), { file, source });
      } catch (error) {
        findings.push(templateFinding(error, { file, line: 1, col: 1 }, `文字模板 ${name}`));
      }
    }
    if (findings.length > 0) throw new TemplateError(findings);
  }

  /**
   * Parses now and refuses unknown helpers, so mistakes show when the format loads. Only parsing:
   * Handlebars generates a template's code on its first use, and a render uses each text once.
   */
  private compile(source: string): Template {
    const program = this.hb.parse(source);
    const unknown = unknownHelperCall(program, this.known);
    if (unknown) throw unknown;
    return this.hb.compile(program, COMPILE_OPTIONS);
  }

  /** Checks an inline text of report.yaml (at `loc`) now; a finding when it does not compile, else null. */
  checkLine(source: string, loc: SourceLoc): Finding | null {
    this.inlinePlaces.set(source, loc);
    try {
      this.lineTemplate(source);
      return null;
    } catch (error) {
      return templateFinding(error, loc, `report.yaml 中的“${source}”`);
    }
  }

  private lineTemplate(source: string): Template {
    let t = this.inline.get(source);
    if (!t) {
      t = this.compile(source);
      this.inline.set(source, t);
    }
    return t;
  }

  /** The helpers its texts may call (registered ones and Handlebars' built-in ones). */
  helperNames(): string[] {
    return Object.keys(this.known);
  }

  has(id: string): boolean {
    return this.templates.has(id);
  }

  /** Ids of the text templates (text/<id>.hbs), which a unit's `texts: { <id>: … }` can override. */
  ids(): string[] {
    return [...this.templates.keys()].sort();
  }

  /** Paragraphs of a text template; blank lines separate paragraphs. */
  paragraphs(id: string, context: NarrativeContext): string[] {
    const override = context.texts[id];
    const template = this.templates.get(id);
    if (override === undefined && !template) throw new Error(`no text template ${id}.hbs in ${this.textDir}`);
    // An override is the unit's own text: used as it is, never compiled.
    if (override !== undefined) return splitParagraphs(override);
    const { file, source } = this.files.get(id)!;
    const literal = literalWanAfterAmount(source);
    if (literal && context.amountUnit !== '万元') {
      throw new TemplateError([{
        rule: 'template.amount-unit', severity: 'error', loc: { file, line: literal.line, col: literal.col },
        message: `文字模板 ${id}.hbs：金额后写死了“万元”（${literal.text}），而数据的金额单位是${context.amountUnit}（amount_unit），` +
          '印出的数字会差一万倍；请把金额后的“万元”改为 {{amountUnit}}。',
      }]);
    }
    let text: string;
    try {
      text = template!(context);
    } catch (error) {
      throw new TemplateError([templateFinding(error, { file, line: 1, col: 1 }, `文字模板 ${id}.hbs`, source)]);
    }
    return splitParagraphs(text);
  }

  /**
   * Fills in every text template and inline text with one unit's context, as composing would, and
   * returns what fails (a field that does not exist, …) instead of throwing: `check` reports them.
   */
  trial(context: NarrativeContext): Finding[] {
    const findings: Finding[] = [];
    const attempt = (run: () => unknown): void => {
      try {
        run();
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        findings.push(...error.findings);
      }
    };
    for (const id of this.ids()) attempt(() => this.paragraphs(id, { ...context, texts: {} }));
    for (const source of this.inlinePlaces.keys()) attempt(() => this.line(source, context));
    return findings;
  }

  /** A one-line text such as a heading or title, with {{…}} expressions (from report.yaml, not from data). */
  line(source: string, context: NarrativeContext): string {
    const place = this.inlinePlaces.get(source) ?? { file: 'report.yaml', line: 1, col: 1 };
    try {
      return this.lineTemplate(source)(context).trim();
    } catch (error) {
      throw new TemplateError([templateFinding(error, place, `report.yaml 中的“${source}”`, source)]);
    }
  }
}

/**
 * The first amount a text prints with a literal 万元 after it ({{wan x}}万元 rather than
 * {{wan x}}{{amountUnit}}): right only while the data is in 万元. Fixed wording such as
 * 单位价值50万元以上 is not an amount of the data and does not count.
 */
export function literalWanAfterAmount(source: string): { line: number; col: number; text: string } | null {
  const m = /\{\{\s*(?:wan|change|compare)\b[^}]*\}\}\s*万元/.exec(source);
  if (!m) return null;
  const before = source.slice(0, m.index).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1, text: m[0] };
}

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, '').trim())
    .filter((p) => p.length > 0);
}

export interface NarrativeContext {
  year: number;
  /** The data's amount unit (amount_unit: 万元 or 元): texts write {{wan x}}{{amountUnit}}, never a literal 万元. */
  amountUnit: string;
  priorYear: number;
  unit: Budget['unit'];
  income: Record<string, Amount>;
  f: BudgetFigures;
  threePublic: Budget['threePublic'];
  prior: NonNullable<Budget['priorYear']['threePublic']> | Record<string, null>;
  reasons: Record<string, string | null>;
  operatingCosts: Budget['operatingCosts'];
  procurement: Budget['procurement'];
  assets: Budget['assets'];
  vehicleTotal: number;
  specialTransfers: Budget['specialTransfers'];
  texts: Record<string, string>;
}

/** Everything a text template may quote; every figure is derived, none is typed twice. */
export function narrativeContext(budget: Budget, figures: BudgetFigures = deriveFigures(budget)): NarrativeContext {
  const reasons: Record<string, string | null> = Object.fromEntries(REASON_KEYS.map((k) => [k, null]));
  Object.assign(reasons, budget.reasons);
  const income: Record<string, Amount> = { ...budget.income };
  const v = budget.assets.vehicles;
  return {
    year: budget.year,
    amountUnit: budget.amountUnit,
    priorYear: budget.year - 1,
    unit: budget.unit,
    income,
    f: figures,
    threePublic: budget.threePublic,
    prior: budget.priorYear.threePublic ?? { abroad: null, reception: null, vehiclePurchase: null, vehicleOperation: null },
    reasons,
    operatingCosts: budget.operatingCosts,
    procurement: budget.procurement,
    assets: budget.assets,
    vehicleTotal: v.general + v.lawEnforcement + v.special + v.other,
    specialTransfers: budget.specialTransfers,
    texts: budget.texts,
  };
}
