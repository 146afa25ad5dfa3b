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

type Template = Handlebars.TemplateDelegate;

function asAmount(v: unknown): Amount {
  if (v === null || v === undefined) return null;
  if (Decimal.isDecimal(v)) return v as Decimal;
  if (typeof v === 'number' || typeof v === 'string') return new Decimal(v);
  throw new Error(`not an amount: ${String(v)}`);
}

/** Change against the prior year in the publication's words: 增加104.04万元，增长14% / 减少… / 无变化. */
function changeText(diff: Amount, percent: number | null): string {
  const d = orZero(diff);
  if (d.isZero()) return '无变化';
  const direction = d.isPositive() ? '增加' : '减少';
  const text = `${direction}${plain(d.abs())}万元`;
  if (percent === null) return text;
  return `${text}，${d.isPositive() ? '增长' : '下降'}${Math.abs(percent)}%`;
}

function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('wan', (v: unknown) => plain(asAmount(v)));
  hb.registerHelper('change', (diff: unknown, percent: unknown) => changeText(asAmount(diff), typeof percent === 'number' ? percent : null));
  /** 与2021年保持一致 / 比2021年增加0.3万元，主要原因：… */
  hb.registerHelper('compare', function (this: unknown, current: unknown, prior: unknown, reason: unknown, options: Handlebars.HelperOptions) {
    const priorYear = options.data.root.priorYear as number;
    const cur = orZero(asAmount(current));
    const before = asAmount(prior);
    if (before === null) return `为${plain(cur)}万元`;
    const diff = cur.minus(before);
    if (diff.isZero()) return `与${priorYear}年保持一致`;
    const because = typeof reason === 'string' && reason ? `，主要原因：${reason}` : '';
    return `比${priorYear}年${diff.isPositive() ? '增加' : '减少'}${plain(diff.abs())}万元${because}`;
  });
  hb.registerHelper('known', (v: unknown) => v !== null && v !== undefined);
  hb.registerHelper('nonzero', (v: unknown) => !orZero(asAmount(v)).isZero());
  hb.registerHelper('sum', (...args: unknown[]) => sum(args.slice(0, -1).map(asAmount)));
  hb.registerHelper('add', (a: number, b: number) => a + b);
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : '、') : ''));
  return hb;
}

/** A format's compiled text templates; build once per format and reuse for every document. */
export class NarrativeTemplates {
  private readonly hb = createHandlebars();
  private readonly templates = new Map<string, Template>();
  private readonly inline = new Map<string, Template>();

  constructor(readonly textDir: string) {
    for (const name of readdirSync(textDir)) {
      if (!name.endsWith('.hbs')) continue;
      const source = readFileSync(join(textDir, name), 'utf8');
      this.templates.set(name.slice(0, -4), this.compile(source));
    }
  }

  private compile(source: string): Template {
    return this.hb.compile(source, { strict: true, noEscape: true });
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
    const text = override ?? template!(context);
    return splitParagraphs(text);
  }

  /** A one-line text such as a heading or title, with {{…}} expressions (from report.yaml, not from data). */
  line(source: string, context: NarrativeContext): string {
    let t = this.inline.get(source);
    if (!t) {
      t = this.compile(source);
      this.inline.set(source, t);
    }
    return t(context).trim();
  }
}

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, '').trim())
    .filter((p) => p.length > 0);
}

export interface NarrativeContext {
  year: number;
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
