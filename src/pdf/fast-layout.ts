/**
 * An exact fast path for fontkit's `font.layout(text)`, the call behind every width pdfmake
 * measures, every glyph pdfkit writes and every width text-measure.ts measures to break lines.
 *
 * Why: fontkit shapes each call from scratch (script detection, a shaping plan, every lookup of
 * every default feature run over every glyph). For Chinese text that work changes nothing: no
 * default-feature lookup of the Noto or WenKai faces touches an ideograph or full-width mark, so
 * each glyph simply advances by its own width. Shaping took most of the layout time.
 *
 * How: once per font, read which glyphs a lookup of the default features (the ones fontkit's
 * default shaper applies when pdfkit calls `layout(text)` without features) can fire on — the
 * first-glyph coverage of every subtable — and how far a fired lookup can reach before and
 * after that glyph (ligature components, pair kerning, contexts and the lookups they call, mark
 * attachment). A character is *inert* when its glyph is none of those, is no mark, no ligature,
 * no default-ignorable, and its script is shaped by the default shaper left to right.
 *   - A text of inert characters comes out of fontkit as its cmap glyphs at their advance
 *     widths: that is built directly.
 *   - Otherwise the text is cut into pieces around each run of non-inert characters, widened by
 *     the reach on both sides; only those pieces go through fontkit (with the whole text's
 *     script, as fontkit would detect it), and each piece's result is remembered, so `866.01`
 *     is shaped once per process however many documents print it.
 *   - Anything the analysis cannot vouch for (AAT or legacy `kern` fonts, lookups that skip base
 *     glyphs, fraction slashes, scripts with other shapers, explicit features) goes to fontkit whole.
 * The result is the same glyph objects and the same positions fontkit gives (a test compares
 * them, text by text), so PDFs are byte-identical with and without this path.
 */
import type * as fontkit from 'fontkit';
import { RecentCache } from './recent-cache.js';
import { requireFromFontkit } from './fontkit-module.js';

interface UnicodeProperties {
  getScript(codePoint: number): string;
  isMark(codePoint: number): boolean;
}

const unicode = requireFromFontkit<UnicodeProperties>('unicode-properties');

/** The features fontkit's default shaper applies to every glyph (left to right, no user features). */
const DEFAULT_FEATURES = new Set(['rvrn', 'ltra', 'ltrm', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern']);

/** Unicode scripts fontkit shapes with its default shaper, left to right. */
const SIMPLE_SCRIPTS = new Set(['Han', 'Hiragana', 'Katakana', 'Bopomofo', 'Latin', 'Greek', 'Cyrillic', 'Common', 'Inherited', 'Unknown']);
/** Scripts that do not decide the script of a text (fontkit's Script.forString skips them). */
const NEUTRAL_SCRIPTS = new Set(['Common', 'Inherited', 'Unknown']);

const FRACTION_SLASH = 0x2044;

/** fontkit's LayoutEngine.isDefaultIgnorable: such characters are drawn as a zero-width space. */
function isDefaultIgnorable(ch: number): boolean {
  const plane = ch >> 16;
  if (plane === 0) {
    switch (ch >> 8) {
      case 0x00: return ch === 0x00ad;
      case 0x03: return ch === 0x034f;
      case 0x06: return ch === 0x061c;
      case 0x17: return ch >= 0x17b4 && ch <= 0x17b5;
      case 0x18: return ch >= 0x180b && ch <= 0x180e;
      case 0x20: return (ch >= 0x200b && ch <= 0x200f) || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2060 && ch <= 0x206f);
      case 0xfe: return (ch >= 0xfe00 && ch <= 0xfe0f) || ch === 0xfeff;
      case 0xff: return ch >= 0xfff0 && ch <= 0xfff8;
      default: return false;
    }
  }
  if (plane === 0x01) return (ch >= 0x1bca0 && ch <= 0x1bca3) || (ch >= 0x1d173 && ch <= 0x1d17a);
  return plane === 0x0e;
}

/** Selects the glyph of the character before it (cmap format 14), so it must stay with that character. */
function isVariationSelector(ch: number): boolean {
  return (ch >= 0xfe00 && ch <= 0xfe0f) || (ch >= 0xe0100 && ch <= 0xe01ef);
}

// ---------------------------------------------------------------------------------------------
// What the default features of a font can do

/** restructure's lazily decoded arrays and plain arrays alike. */
function items<T>(value: unknown): T[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value as T[];
  const lazy = value as { toArray?: () => T[] };
  return typeof lazy.toArray === 'function' ? lazy.toArray() : [];
}

interface Coverage {
  version: number;
  glyphs?: number[];
  rangeRecords?: Array<{ start: number; end: number }>;
}

function addCoverage(coverage: Coverage | undefined, out: Set<number>): void {
  if (!coverage) return;
  if (coverage.version === 1) for (const glyph of items<number>(coverage.glyphs)) out.add(glyph);
  else if (coverage.version === 2) for (const range of items<{ start: number; end: number }>(coverage.rangeRecords)) for (let g = range.start; g <= range.end; g++) out.add(g);
}

interface Reach {
  /** Glyphs after the one a lookup fires on that it may read or change. */
  ahead: number;
  /** Glyphs before it that it may read. */
  behind: number;
}

interface LookupRecord {
  sequenceIndex: number;
  lookupListIndex: number;
}

interface Lookup {
  lookupType: number;
  flags: { ignoreBaseGlyphs?: boolean; ignoreLigatures?: boolean };
  subTables: unknown;
}

interface LayoutTable {
  scriptList: Array<{ tag: string; script: { defaultLangSys: { featureIndexes: number[]; reqFeatureIndex?: number } | null } }>;
  featureList: Array<{ tag: string; feature: { lookupListIndexes: number[] } }>;
  lookupList: { get(index: number): Lookup | undefined };
  featureVariations?: unknown;
}

export interface FontAnalysis {
  /** The fast path applies to this font at all. */
  usable: boolean;
  /** Texts may be cut into pieces (no lookup skips base glyphs). */
  splittable: boolean;
  /** Glyphs at which a lookup of a default feature can fire. */
  triggers: Set<number>;
  reach: Reach;
  /** GDEF glyph class (0 none, 1 base, 2 ligature, 3 mark, 4 component). */
  glyphClass(glyph: number): number;
}

class TableAnalysis {
  readonly triggers = new Set<number>();
  splittable = true;
  /** A lookup type fontkit cannot apply (it throws on it): leave such fonts to fontkit. */
  unsupported = false;
  private readonly reaches = new Map<number, Reach>();

  constructor(private readonly table: LayoutTable, private readonly gpos: boolean) {}

  /** Lookups of the default features, in the default language of every script of the table. */
  defaultLookups(): number[] {
    const featureIndexes = new Set<number>();
    for (const record of items<LayoutTable['scriptList'][number]>(this.table.scriptList)) {
      const langSys = record.script.defaultLangSys;
      if (!langSys) continue;
      for (const index of items<number>(langSys.featureIndexes)) featureIndexes.add(index);
      if (langSys.reqFeatureIndex !== undefined && langSys.reqFeatureIndex !== 0xffff) featureIndexes.add(langSys.reqFeatureIndex);
    }
    const lookups = new Set<number>();
    const features = items<LayoutTable['featureList'][number]>(this.table.featureList);
    for (const index of featureIndexes) {
      const record = features[index];
      if (!record || !DEFAULT_FEATURES.has(record.tag)) continue;
      for (const lookup of items<number>(record.feature.lookupListIndexes)) lookups.add(lookup);
    }
    return [...lookups];
  }

  /**
   * How far `lookupIndex` reaches, nested lookups of contexts included. `fires`: the lookup belongs
   * to a default feature, so the first-glyph coverage of its subtables goes into the triggers
   * (a lookup only called from a context fires where that context matched, on its triggers).
   */
  lookupReach(lookupIndex: number, fires: boolean, visiting = new Set<number>()): Reach {
    const known = this.reaches.get(lookupIndex);
    if (known && !fires) return known;
    if (visiting.has(lookupIndex)) return { ahead: 0, behind: 0 };
    visiting.add(lookupIndex);
    const lookup = this.table.lookupList.get(lookupIndex);
    const reach: Reach = { ahead: 0, behind: 0 };
    if (lookup) {
      if (lookup.flags?.ignoreBaseGlyphs || lookup.flags?.ignoreLigatures) this.splittable = false;
      if (lookup.lookupType > (this.gpos ? 9 : 7)) this.unsupported = true;
      for (const subtable of items<Record<string, unknown>>(lookup.subTables)) {
        const r = this.subtableReach(lookup.lookupType, subtable, fires, visiting);
        reach.ahead = Math.max(reach.ahead, r.ahead);
        reach.behind = Math.max(reach.behind, r.behind);
      }
    }
    visiting.delete(lookupIndex);
    this.reaches.set(lookupIndex, reach);
    return reach;
  }

  private contextReach(inputLength: number, backtrack: number, lookahead: number, records: LookupRecord[], visiting: Set<number>): Reach {
    const reach: Reach = { ahead: Math.max(0, inputLength - 1 + lookahead), behind: backtrack };
    for (const record of records) {
      const inner = this.lookupReach(record.lookupListIndex, false, visiting);
      reach.ahead = Math.max(reach.ahead, record.sequenceIndex + inner.ahead);
      reach.behind = Math.max(reach.behind, inner.behind - record.sequenceIndex);
    }
    return reach;
  }

  /** `fires`: add the subtable's first-glyph coverage to the triggers (not for lookups only called from contexts). */
  private subtableReach(type: number, t: Record<string, unknown>, fires: boolean, visiting: Set<number>): Reach {
    const extension = this.gpos ? 9 : 7;
    if (type === extension) {
      if ((t.lookupType as number) >= extension) this.unsupported = true;
      return this.subtableReach(t.lookupType as number, t.extension as Record<string, unknown>, fires, visiting);
    }
    const coverage = (c: unknown): void => {
      if (fires) addCoverage(c as Coverage, this.triggers);
    };
    const context = this.gpos ? 7 : 5;
    const chaining = this.gpos ? 8 : 6;
    const records = (x: unknown): LookupRecord[] => items<LookupRecord>(x);
    if (type === context) {
      if (t.version === 3) {
        coverage(items(t.coverages)[0]);
        return this.contextReach(items(t.coverages).length, 0, 0, records(t.lookupRecords), visiting);
      }
      coverage(t.coverage);
      const sets = t.version === 1 ? items<unknown>(t.ruleSets) : items<unknown>(t.classSet);
      let reach: Reach = { ahead: 0, behind: 0 };
      for (const set of sets) {
        for (const rule of items<Record<string, unknown>>(set)) {
          const rest = t.version === 1 ? items(rule.input).length : items(rule.classes).length;
          const r = this.contextReach(rest + 1, 0, 0, records(rule.lookupRecords), visiting);
          reach = { ahead: Math.max(reach.ahead, r.ahead), behind: Math.max(reach.behind, r.behind) };
        }
      }
      return reach;
    }
    if (type === chaining) {
      if (t.version === 3) {
        coverage(items(t.inputCoverage)[0]);
        return this.contextReach(items(t.inputCoverage).length, items(t.backtrackCoverage).length, items(t.lookaheadCoverage).length, records(t.lookupRecords), visiting);
      }
      coverage(t.coverage);
      const sets = t.version === 1 ? items<unknown>(t.chainRuleSets) : items<unknown>(t.chainClassSet);
      let reach: Reach = { ahead: 0, behind: 0 };
      for (const set of sets) {
        for (const rule of items<Record<string, unknown>>(set)) {
          const r = this.contextReach(items(rule.input).length + 1, items(rule.backtrack).length, items(rule.lookahead).length, records(rule.lookupRecords), visiting);
          reach = { ahead: Math.max(reach.ahead, r.ahead), behind: Math.max(reach.behind, r.behind) };
        }
      }
      return reach;
    }
    if (!this.gpos) {
      switch (type) {
        case 4: { // ligature: the components after the first glyph
          coverage(t.coverage);
          let ahead = 0;
          for (const set of items<unknown>(t.ligatureSets)) for (const ligature of items<{ components: unknown }>(set)) ahead = Math.max(ahead, items(ligature.components).length);
          return { ahead, behind: 0 };
        }
        default: // single, multiple, alternate: the glyph itself
          coverage(t.coverage);
          return { ahead: 0, behind: 0 };
      }
    }
    switch (type) {
      case 2: // pair adjustment: the next glyph
      case 3: // cursive attachment: the next glyph
        coverage(t.coverage);
        return { ahead: 1, behind: 0 };
      case 4: // mark to base, mark to ligature: the base before the marks
      case 5:
        coverage(t.markCoverage);
        return { ahead: 0, behind: 1 };
      case 6: // mark to mark: the mark before
        coverage(t.mark1Coverage);
        return { ahead: 0, behind: 1 };
      default: // single adjustment
        coverage(t.coverage);
        return { ahead: 0, behind: 0 };
    }
  }
}

interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: number[];
  classRangeRecord?: Array<{ start: number; end: number; class: number }>;
}

/** A class definition as a lookup function (its arrays decoded once). */
function classLookup(classDef: ClassDef | undefined): (glyph: number) => number {
  if (!classDef) return () => 0;
  if (classDef.version === 1) {
    const values = items<number>(classDef.classValueArray);
    const start = classDef.startGlyph ?? 0;
    return (glyph) => {
      const i = glyph - start;
      return i >= 0 && i < values.length ? values[i]! : 0;
    };
  }
  const ranges = items<{ start: number; end: number; class: number }>(classDef.classRangeRecord);
  return (glyph) => {
    for (const range of ranges) if (range.start <= glyph && glyph <= range.end) return range.class;
    return 0;
  };
}

interface FontTables {
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  directory: { tables: Record<string, unknown> };
}

export function analyzeFont(font: fontkit.Font): FontAnalysis {
  const f = font as unknown as FontTables;
  const tables = f.directory.tables;
  const glyphClass = classLookup(f.GDEF?.glyphClassDef);
  // AAT shaping and the legacy kern table follow other rules; variable fonts may swap features.
  if (tables.morx || tables.kern || f.GSUB?.featureVariations || f.GPOS?.featureVariations) {
    return { usable: false, splittable: false, triggers: new Set(), reach: { ahead: 0, behind: 0 }, glyphClass };
  }
  const triggers = new Set<number>();
  // One glyph on each side at least: a variation selector or a mark belongs to the character before it.
  const reach: Reach = { ahead: 1, behind: 1 };
  let splittable = true;
  for (const [table, gpos] of [[f.GSUB, false], [f.GPOS, true]] as const) {
    if (!table) continue;
    const analysis = new TableAnalysis(table, gpos);
    for (const lookup of analysis.defaultLookups()) {
      const r = analysis.lookupReach(lookup, true);
      reach.ahead = Math.max(reach.ahead, r.ahead);
      reach.behind = Math.max(reach.behind, r.behind);
    }
    for (const glyph of analysis.triggers) triggers.add(glyph);
    splittable &&= analysis.splittable;
    if (analysis.unsupported) return { usable: false, splittable: false, triggers, reach, glyphClass };
  }
  return { usable: true, splittable, triggers, reach, glyphClass };
}

// ---------------------------------------------------------------------------------------------
// The fast path

type GlyphRun = fontkit.GlyphRun & { script: string; features: Record<string, boolean> };
type Glyph = fontkit.Glyph;
type LayoutFunction = (text: string, features?: unknown, script?: unknown, language?: unknown, direction?: unknown) => GlyphRun;

interface PositionValues {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface ShapedPiece {
  glyphs: Glyph[];
  positions: PositionValues[];
}

/**
 * Pieces shaped by fontkit are remembered per font, per generation of a RecentCache: amounts
 * differ from document to document, so a batch worker keeps those of the last few documents.
 */
const PIECE_CACHE_LIMIT = 1_000;

class FastLayout {
  private readonly inert = new Map<number, Glyph | null>();
  private readonly pieces = new RecentCache<string, ShapedPiece>(PIECE_CACHE_LIMIT);
  /** Per Unicode script name: the OpenType tag fontkit detects for it and the features its runs report. */
  private readonly scriptRuns = new Map<string, { script: string; features: Record<string, boolean> }>();
  private readonly RunClass: new (glyphs: Glyph[], features: unknown, script: string, language: unknown, direction: unknown) => GlyphRun;
  private readonly PositionClass: new (xAdvance?: number, yAdvance?: number, xOffset?: number, yOffset?: number) => PositionValues;

  constructor(
    private readonly font: fontkit.Font,
    private readonly analysis: FontAnalysis,
    private readonly original: LayoutFunction,
  ) {
    const sample = original.call(font, '0');
    this.RunClass = sample.constructor as FastLayout['RunClass'];
    this.PositionClass = sample.positions[0]!.constructor as FastLayout['PositionClass'];
  }

  layout(text: string): GlyphRun | undefined {
    if (text === '') return undefined;
    const codePoints: number[] = [];
    let scriptName = 'Unknown';
    let allInert = true;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          cp = ((cp & 0x3ff) << 10) + (next & 0x3ff) + 0x10000;
          i++;
        }
      }
      if (cp === FRACTION_SLASH) return undefined; // numerator and denominator reach arbitrarily far
      if (scriptName === 'Unknown') {
        const script = unicode.getScript(cp);
        if (!NEUTRAL_SCRIPTS.has(script)) scriptName = script;
      }
      codePoints.push(cp);
      if (allInert && this.inertGlyph(cp) === null) allInert = false;
    }
    if (!SIMPLE_SCRIPTS.has(scriptName)) return undefined;
    const { script, features } = this.scriptRun(scriptName, text);
    if (allInert) return this.run(codePoints.map((cp) => this.inertGlyph(cp)!), null, script, features);
    if (!this.analysis.splittable) return undefined;
    return this.shapeAroundNonInert(codePoints, script, features);
  }

  /** The glyph of an inert character, or null when the character may be shaped. */
  private inertGlyph(cp: number): Glyph | null {
    let glyph = this.inert.get(cp);
    if (glyph !== undefined) return glyph;
    glyph = null;
    const surrogate = cp >= 0xd800 && cp <= 0xdfff;
    if (!surrogate && cp !== FRACTION_SLASH && !isDefaultIgnorable(cp) && !isVariationSelector(cp) && !unicode.isMark(cp) && SIMPLE_SCRIPTS.has(unicode.getScript(cp))) {
      const candidate = this.font.glyphForCodePoint(cp);
      const cls = this.analysis.glyphClass(candidate.id);
      if (!this.analysis.triggers.has(candidate.id) && cls !== 2 && cls !== 3) glyph = candidate;
    }
    this.inert.set(cp, glyph);
    return glyph;
  }

  private scriptRun(scriptName: string, text: string): { script: string; features: Record<string, boolean> } {
    let known = this.scriptRuns.get(scriptName);
    if (!known) {
      // fontkit's own answer for this script: the run of a text whose first deciding character is of it.
      const probe = scriptName === 'Unknown' ? '0' : firstOfScript(text, scriptName);
      const run = this.original.call(this.font, probe);
      known = { script: run.script, features: { ...run.features } };
      this.scriptRuns.set(scriptName, known);
    }
    return known;
  }

  /**
   * Each run of non-inert characters, widened by the reach of the font's lookups, is shaped by
   * fontkit as a text of its own (with the script of the whole text); overlapping pieces merge.
   */
  private shapeAroundNonInert(codePoints: number[], script: string, features: Record<string, boolean>): GlyphRun {
    const { ahead, behind } = this.analysis.reach;
    const glyphs: Glyph[] = [];
    const positions: PositionValues[] = [];
    let i = 0;
    while (i < codePoints.length) {
      if (this.inertGlyph(codePoints[i]!) !== null && !this.nonInertWithin(codePoints, i + 1, i + behind)) {
        const glyph = this.inertGlyph(codePoints[i]!)!;
        glyphs.push(glyph);
        positions.push(new this.PositionClass(glyph.advanceWidth));
        i++;
        continue;
      }
      // A piece: from here (at most `behind` inert characters before a non-inert one) to `ahead`
      // inert characters past the last non-inert character that is not followed within reach by another.
      let end = i;
      let lastNonInert = -1;
      while (end < codePoints.length) {
        if (this.inertGlyph(codePoints[end]!) === null) lastNonInert = end;
        else if (lastNonInert >= 0 && end - lastNonInert > ahead && !this.nonInertWithin(codePoints, end, end + behind)) break;
        end++;
      }
      const piece = this.shapedPiece(String.fromCodePoint(...codePoints.slice(i, end)), script);
      glyphs.push(...piece.glyphs);
      for (const p of piece.positions) positions.push(new this.PositionClass(p.xAdvance, p.yAdvance, p.xOffset, p.yOffset));
      i = end;
    }
    return this.run(glyphs, positions, script, features);
  }

  /** Is any character in codePoints[from..to] (inclusive, clipped) non-inert? */
  private nonInertWithin(codePoints: number[], from: number, to: number): boolean {
    for (let k = from; k <= to && k < codePoints.length; k++) if (this.inertGlyph(codePoints[k]!) === null) return true;
    return false;
  }

  private shapedPiece(text: string, script: string): ShapedPiece {
    const key = `${script}\u0000${text}`;
    let piece = this.pieces.get(key);
    if (!piece) {
      const run = this.original.call(this.font, text, undefined, script);
      piece = {
        glyphs: run.glyphs,
        positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
      };
      this.pieces.set(key, piece);
    }
    return piece;
  }

  /** A GlyphRun like fontkit's own (its callers, pdfkit included, scale the positions in place: they are always new). */
  private run(glyphs: Glyph[], positions: PositionValues[] | null, script: string, features: Record<string, boolean>): GlyphRun {
    const run = new this.RunClass(glyphs, undefined, script, undefined, undefined);
    run.positions = (positions ?? glyphs.map((g) => new this.PositionClass(g.advanceWidth))) as fontkit.GlyphPosition[];
    Object.assign(run.features, features);
    return run;
  }
}

function firstOfScript(text: string, scriptName: string): string {
  for (const ch of text) if (unicode.getScript(ch.codePointAt(0)!) === scriptName) return ch;
  return '0';
}

const installed = new WeakSet<fontkit.Font>();

/**
 * Give `font` the fast path: its `layout(text)` (no features, script, language or direction) takes
 * the route above; any other call goes to fontkit unchanged. Idempotent.
 */
export function installFastLayout(font: fontkit.Font): void {
  if (installed.has(font)) return;
  installed.add(font);
  const analysis = analyzeFont(font);
  if (!analysis.usable) return;
  const original = (font.layout as unknown as LayoutFunction).bind(font);
  const fast = new FastLayout(font, analysis, original);
  const layout = (text: unknown, features?: unknown, script?: unknown, language?: unknown, direction?: unknown): GlyphRun => {
    if (typeof text === 'string' && features === undefined && script === undefined && language === undefined && direction === undefined) {
      const run = fast.layout(text);
      if (run) return run;
    }
    return original(text as string, features, script, language, direction);
  };
  Object.defineProperty(font, 'layout', { value: layout, configurable: true, writable: true });
}
