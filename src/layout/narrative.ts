/**
 * Narrative text: Handlebars templates (templates/<format>/text/*.hbs) turned into
 * paragraphs. Handlebars only produces strings here; the document structure comes
 * from report.yaml. Templates are compiled once per process, `strict` (a misspelt
 * field is an error, not an empty gap) and `noEscape` (this is not HTML: `<300元`
 * must stay `<300元`). Data values are passed in as context, never compiled.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { deriveFigures, type BudgetFigures } from '../budget/derive.js';
import { REASON_KEYS, type Amount, type Budget } from '../budget/model.js';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { TemplateError } from './report-outline.js';
import { templateFinding, unknownHelperCall } from './template-findings.js';
import { unknownPaths } from './template-paths.js';
import { createHandlebars, knownHelpers } from './text-helpers.js';

type Template = Handlebars.TemplateDelegate;
/** A text compiled, with the syntax tree it was compiled from (for template-paths.ts). */
interface Compiled {
  template: Template;
  program: hbs.AST.Program;
}

const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

/** A format's compiled text templates; build once per format and reuse for every document. */
export class NarrativeTemplates {
  private readonly hb = createHandlebars();
  private readonly known = knownHelpers(this.hb);
  private readonly helperSet: ReadonlySet<string> = new Set(Object.keys(this.known));
  private readonly templates = new Map<string, Compiled>();
  /** Each text's file and source, for its errors, and where it writes a literal 万元 after an amount. */
  private readonly files = new Map<string, { file: string; source: string; literalWan: ReturnType<typeof literalWanAfterAmount> }>();
  private readonly inline = new Map<string, Compiled>();
  /** Where report.yaml holds each inline text (title, headings), for its errors. */
  private readonly inlinePlaces = new Map<string, SourceLoc>();

  /** Texts that did not compile, by id: they exist, but cannot be used (see `loadFindings`). */
  private readonly broken = new Set<string>();
  /** Why some texts did not compile, each at its file and line; empty when all did. */
  readonly loadFindings: Finding[] = [];

  /**
   * Compiles every text/*.hbs. A text that does not compile is named in `loadFindings` and the
   * others stay usable, so check can still fill those in and report all of a format's mistakes at once.
   * Throws a TemplateError only when the folder cannot be read.
   */
  constructor(readonly textDir: string) {
    let names: string[];
    try {
      names = readdirSync(textDir).filter((name) => name.endsWith('.hbs')).sort();
    } catch (error) {
      throw new TemplateError([{ rule: 'template.missing', severity: 'error', message: `无法读取文字模板文件夹 ${textDir}：${(error as Error).message}` }]);
    }
    for (const name of names) {
      const file = join(textDir, name);
      const source = readFileSync(file, 'utf8');
      try {
        this.templates.set(name.slice(0, -4), this.compile(source));
        this.files.set(name.slice(0, -4), { file, source, literalWan: literalWanAfterAmount(source) });
      } catch (error) {
        this.broken.add(name.slice(0, -4));
        this.loadFindings.push(templateFinding(error, { file, line: 1, col: 1 }, `文字模板 ${name}`));
      }
    }
  }

  /**
   * Parses now and refuses unknown helpers, so mistakes show when the format loads. Only parsing:
   * Handlebars generates a template's code on its first use, and a render uses each text once.
   */
  private compile(source: string): Compiled {
    const program = this.hb.parse(source);
    const unknown = unknownHelperCall(program, this.known);
    if (unknown) throw unknown;
    return { template: this.hb.compile(program, COMPILE_OPTIONS), program };
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

  private lineTemplate(source: string): Compiled {
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

  /** Whether text/<id>.hbs exists (compiled or not: one that did not compile is reported as such, not as missing). */
  has(id: string): boolean {
    return this.templates.has(id) || this.broken.has(id);
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
    const { file, source, literalWan: literal } = this.files.get(id)!;
    if (literal && context.amountUnit !== '万元') {
      throw new TemplateError([{
        rule: 'template.amount-unit', severity: 'error', loc: { file, line: literal.line, col: literal.col },
        message: `文字模板 ${id}.hbs：金额后写死了“万元”（${literal.text}），而数据的金额单位是${context.amountUnit}（amount_unit），` +
          '印出的数字会差一万倍；请把金额后的“万元”改为 {{amountUnit}}。',
      }]);
    }
    let text: string;
    try {
      text = template!.template(context);
    } catch (error) {
      throw this.failure(error, template!, { file, line: 1, col: 1 }, `文字模板 ${id}.hbs`, source, context);
    }
    return splitParagraphs(text);
  }

  /**
   * Fills in every text template and inline text with one unit's context, as composing would, and
   * returns what fails (a field that does not exist, …) instead of throwing: `check` reports them.
   */
  trial(context: NarrativeContext): Finding[] {
    const findings: Finding[] = [];
    const own = { ...context, texts: {} };
    const shaped = withListShapes(own);
    // Every branch's fields first; a text whose fields all exist is then filled in, as render would.
    const attempt = (compiled: Compiled, base: SourceLoc, what: string, run: () => unknown): void => {
      const unknown = this.unknownFields(compiled, base, what, shaped);
      findings.push(...unknown);
      if (unknown.length > 0) return;
      try {
        run();
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        findings.push(...error.findings);
      }
    };
    for (const id of this.ids()) {
      attempt(this.templates.get(id)!, { file: this.files.get(id)!.file, line: 1, col: 1 }, `文字模板 ${id}.hbs`, () => this.paragraphs(id, own));
    }
    for (const [source, place] of this.inlinePlaces) {
      attempt(this.lineTemplate(source), place, `report.yaml 中的“${source}”`, () => this.line(source, context));
    }
    return findings;
  }

  /**
   * The fields a text names that `shaped` (a context through withListShapes) does not have, on any
   * branch (template-paths.ts), at their places.
   */
  private unknownFields(compiled: Compiled, base: SourceLoc, what: string, shaped: NarrativeContext): Finding[] {
    return unknownPaths(compiled.program, shaped, this.helperSet).map((u) => ({
      rule: 'template.missing-value',
      severity: 'error',
      loc: { file: base.file, line: u.loc.start.line + base.line - 1, col: u.loc.start.column + (u.loc.start.line === 1 ? base.col : 1) },
      message: `${what}：${u.problem}。`,
    }));
  }

  /** Why filling a text in failed: the fields it names that do not exist, when that is why; else the error as Handlebars gives it. */
  private failure(error: unknown, compiled: Compiled, base: SourceLoc, what: string, source: string, context: NarrativeContext): TemplateError {
    const unknown = this.unknownFields(compiled, base, what, withListShapes(context));
    return new TemplateError(unknown.length > 0 ? unknown : [templateFinding(error, base, what, source)]);
  }

  /** A one-line text such as a heading or title, with {{…}} expressions (from report.yaml, not from data). */
  line(source: string, context: NarrativeContext): string {
    const place = this.inlinePlaces.get(source) ?? { file: 'report.yaml', line: 1, col: 1 };
    const compiled = this.lineTemplate(source);
    try {
      return compiled.template(context).trim();
    } catch (error) {
      throw this.failure(error, compiled, place, `report.yaml 中的“${source}”`, source, context);
    }
  }
}

/**
 * The context with a stand-in element in each list the unit leaves empty (no 专项转移支付, no
 * 股室), so the fields a text names inside {{#each}} are looked up for this unit too.
 */
function withListShapes(context: NarrativeContext): NarrativeContext {
  const unit = context.unit;
  return {
    ...context,
    unit: { ...unit, duties: unit.duties.length > 0 ? unit.duties : [''], composition: unit.composition.length > 0 ? unit.composition : [''] },
    specialTransfers: context.specialTransfers.length > 0 ? context.specialTransfers : [{ name: '', amount: null }],
  };
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
  /** 上年结转 by source (general_public … unit_funds): only the fiscal ones are 财政性结转资金. */
  carryover: Record<string, Amount>;
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
    carryover: { ...budget.carryover },
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
