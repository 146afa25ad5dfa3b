/**
 * Chinese typography for pdfmake: line breaking measured with the real font, justified
 * paragraphs with a two-character first-line indent, balanced titles, table-cell text.
 *
 * Lines are broken here, not by pdfmake: pdfmake's breaker (UAX #14) makes one inline per CJK
 * character, which is slow and knows nothing of Chinese line-start/line-end rules. Each line
 * is handed to pdfmake as one `noWrap` text node; a justified line gets the characterSpacing
 * that makes it fill the measure exactly (between CJK characters and spaces only: a line with
 * numbers or Latin words is split into a few inlines so 866.01 is never letter-spaced).
 * Widths are computed the way pdfkit computes them (fontkit advances of the same Font object),
 * so pdfmake puts each line exactly where it was computed.
 */
import type * as fontkit from 'fontkit';
import type { Content } from 'pdfmake/interfaces.js';
import type { FontRole, FontSet } from '../pdf/fonts.js';
import { RecentCache } from '../pdf/recent-cache.js';

// ---------------------------------------------------------------------------------------------
// Character classes

/** May not begin a line (标点禁则: 行首禁用). */
const CLOSING = new Set('，。、；：？！）》」』】〕〉〗］｝”’％,.;:?!)]}%'.split(''));
/** May not end a line (行尾禁用). */
const OPENING = new Set('（《「『【〔〈〖［｛“‘([{'.split(''));
/** Two-em marks set as a pair that must stay together: —— and …… */
const PAIRED_MARKS = new Set(['—', '…']);

/** Characters set one em wide and broken between freely: ideographs, kana, hangul, CJK and full-width punctuation. */
function isCjkCodePoint(cp: number): boolean {
  if (cp >= 0x2e80 && cp <= 0x9fff) return true; // radicals, CJK symbols & punctuation, kana, bopomofo, ext. A, unified
  if (cp >= 0xac00 && cp <= 0xd7af) return true; // hangul syllables
  if (cp >= 0xf900 && cp <= 0xfaff) return true; // compatibility ideographs
  if (cp >= 0xfe30 && cp <= 0xfe4f) return true; // CJK compatibility forms
  if (cp >= 0xff00 && cp <= 0xffef) {
    // full-width forms, except full-width digits and letters, which behave like a word
    return !((cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a));
  }
  if (cp >= 0x20000 && cp <= 0x3ffff) return true; // ideograph extensions B–H
  // Punctuation that Chinese text uses with CJK metrics: quotes, dashes, ellipsis, middle dot.
  return cp === 0x2018 || cp === 0x2019 || cp === 0x201c || cp === 0x201d || cp === 0x2014 || cp === 0x2015 || cp === 0x2026 || cp === 0x00b7;
}

/**
 * Spaces a line may break at. Not the ideographic space U+3000 (a CJK character) nor the
 * no-break spaces U+00A0/U+202F (they join what they separate, like a word character).
 */
const WHITESPACE = /[ \t\f\v\u1680\u2000-\u200a\u205f]/;

// ---------------------------------------------------------------------------------------------
// Measuring, the way pdfkit measures

interface Advance {
  /** Sum of glyph advances in font units. */
  units: number;
  glyphs: number;
}

/**
 * Words are mostly amounts, unique per publication; a publication measures about a thousand.
 * Per generation of a RecentCache, so a batch worker keeps the last few documents' words.
 */
const RUN_CACHE_LIMIT = 2_000;
/**
 * Characters of text whose groups are remembered, per generation of a RecentCache: a publication
 * breaks several hundred texts, some ten thousand characters (its unit's name makes many of them
 * its own), and a character's group takes some hundred bytes.
 */
const GROUP_CACHE_CHARS = 10_000;
/**
 * Characters of text whose broken lines are remembered, per generation: table headers, notes,
 * the glossary and most sentences are the same in every document of a format, and a balanced
 * title is broken a dozen times while its measure is bisected.
 */
const LINE_CACHE_CHARS = 20_000;

/**
 * Per-font measuring caches. pdfkit's EmbeddedFont.widthOfString lays text out with fontkit in
 * chunks that end after each space or tab and sums the runs' advances; `layoutLikePdfkit` does
 * the same with the same Font object.
 */
class FontMeasure {
  private readonly charAdvance = new Map<string, number>();
  private readonly runAdvance = new RecentCache<string, Advance>(RUN_CACHE_LIMIT);
  private readonly groupCache = new RecentCache<string, readonly Group[]>(GROUP_CACHE_CHARS, (text) => text.length);
  private readonly lineCache = new RecentCache<string, readonly Line[]>(LINE_CACHE_CHARS, (key) => key.length);
  readonly unitsPerEm: number;
  /** Ascent less descent, font units: fontkit's getters read the tables anew each time. */
  readonly height: number;

  constructor(private readonly font: fontkit.Font) {
    this.unitsPerEm = font.unitsPerEm;
    this.height = font.ascent - font.descent;
  }

  /** Advance of one character on its own, font units. */
  char(ch: string): number {
    let units = this.charAdvance.get(ch);
    if (units === undefined) {
      units = this.font.layout(ch).advanceWidth;
      this.charAdvance.set(ch, units);
    }
    return units;
  }

  /** A run without spaces laid out as a whole (kerning, ligatures), font units. */
  run(text: string): Advance {
    let advance = this.runAdvance.get(text);
    if (!advance) {
      const laid = this.font.layout(text);
      advance = { units: laid.advanceWidth, glyphs: laid.glyphs.length };
      this.runAdvance.set(text, advance);
    }
    return advance;
  }

  /**
   * The unbreakable groups of one line of text, remembered: titles and table cells are broken at
   * many trial widths, and the same names and sentences recur in every document of a batch.
   * Callers only read the groups.
   */
  groups(text: string): readonly Group[] {
    let found = this.groupCache.get(text);
    if (!found) {
      found = groups(text, this);
      this.groupCache.set(text, found);
    }
    return found;
  }

  /**
   * Lines made by `make` for a text under `key` (the text and every option that shapes its lines),
   * remembered. The lines are frozen: every caller shares them.
   */
  lines(key: string, make: () => Line[]): readonly Line[] {
    let found = this.lineCache.get(key);
    if (!found) {
      found = Object.freeze(make().map(freezeLine));
      this.lineCache.set(key, found);
    }
    return found;
  }

  /** Exact advance of a line as pdfkit computes it (the same chunks, each remembered like a run). */
  layoutLikePdfkit(text: string): Advance {
    let units = 0;
    let glyphs = 0;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length ? start < i : text[i] === ' ' || text[i] === '\t') {
        const chunk = this.run(text.slice(start, i + 1));
        units += chunk.units;
        glyphs += chunk.glyphs;
        start = i + 1;
      }
    }
    return { units, glyphs };
  }
}

function freezeLine(line: Line): Line {
  if (line.pieces) {
    for (const piece of line.pieces) Object.freeze(piece);
    Object.freeze(line.pieces);
  }
  return Object.freeze(line);
}

const measures = new WeakMap<fontkit.Font, FontMeasure>();

function measureFor(font: fontkit.Font): FontMeasure {
  let measure = measures.get(font);
  if (!measure) {
    measure = new FontMeasure(font);
    measures.set(font, measure);
  }
  return measure;
}

export interface TextStyle {
  font: fontkit.Font;
  /** Font size in pt. */
  size: number;
  /** Extra space after every glyph in pt (pdfmake/pdfkit `characterSpacing`). */
  characterSpacing?: number;
}

/** Width in pt of `text` on one line, exactly as pdfmake/pdfkit measure it. */
export function textWidth(text: string, style: TextStyle): number {
  const measure = measureFor(style.font);
  const expanded = text.replace(/\t/g, '    '); // as pdfmake's preprocessor does
  const { units } = measure.layoutLikePdfkit(expanded);
  return (units * style.size) / measure.unitsPerEm + (style.characterSpacing ?? 0) * Math.max(0, expanded.length - 1);
}

/**
 * Width in pt of the widest piece of `text` that no line break may split: a number with its unit
 * (≤126.22万元), a Latin word. A column narrower than this would let it stick out.
 */
export function widestUnbreakable(text: string, style: TextStyle): number {
  const measure = measureFor(style.font);
  let widest = 0;
  for (const segment of hardSegments(text)) {
    for (const group of measure.groups(segment)) {
      if (group.cjkOnly) continue; // may be split by character when nothing else fits
      widest = Math.max(widest, (group.units * style.size) / measure.unitsPerEm + (style.characterSpacing ?? 0) * (group.glyphs - 1));
    }
  }
  return widest;
}

// ---------------------------------------------------------------------------------------------
// Breaking into lines

/** One unbreakable piece of a line: a CJK character with the punctuation that must stay with it, or a word/number. */
interface Group {
  text: string;
  /** White space before the group in the source; dropped when the group starts a line. */
  space: string;
  units: number;
  spaceUnits: number;
  /** Characters (code points); pdfmake adds characterSpacing between them. */
  chars: number;
  /** Glyphs drawn: fewer than chars where a word forms ligatures. */
  glyphs: number;
  spaceChars: number;
  /** Made only of CJK characters: may be split by character when even one group is wider than the measure. */
  cjkOnly: boolean;
  /**
   * A number with its unit of measure (245.23万元): where in `text` the unit begins and the space
   * before it, to part them after all when the two together are wider than the measure.
   */
  measureSplit?: { at: number; space: string };
}

interface Unit {
  text: string;
  space: string;
  cjk: boolean;
}

/** Split one line of source text (no newlines) into units: single CJK characters, paired marks, words. */
function units(text: string): Unit[] {
  const out: Unit[] = [];
  let space = '';
  let word = '';
  let wordSpace = '';
  const flushWord = (): void => {
    if (word) out.push({ text: word, space: wordSpace, cjk: false });
    word = '';
  };
  for (const ch of text) {
    if (WHITESPACE.test(ch)) {
      flushWord();
      space += ch;
      continue;
    }
    if (isCjkCodePoint(ch.codePointAt(0)!)) {
      flushWord();
      const previous = out[out.length - 1];
      if (PAIRED_MARKS.has(ch) && !space && previous?.cjk && previous.text[previous.text.length - 1] === ch) {
        previous.text += ch;
      } else {
        out.push({ text: ch, space, cjk: true });
      }
    } else {
      if (!word) wordSpace = space;
      word += ch;
    }
    space = '';
  }
  flushWord();
  return out;
}

/**
 * A unit of measure after a number, which stays on the number's line: 245.23万元, 3亿元, 30人,
 * 12个月, 2022年, ≥720平方米. Matched against the characters that follow the number.
 */
const MEASURE_AFTER_NUMBER = /^[十百千万亿]*(?:元|人次|人|辆|个月|个|项|件|次|台|套|名|户|条|家|份|张|册|场|批|期|所|处|座|间|平方米|立方米|公里|千米|米|吨|公斤|千克|小时|分钟|天|年|月|日|周|倍)?/;
/** Characters of a unit of measure looked at after a number (平方米 is the longest). */
const MEASURE_LOOKAHEAD = 4;

/** How many of the units after `list[i]` are a unit of measure to keep with it, when it is a number. */
function measureUnitsAfter(list: Unit[], i: number): number {
  const unit = list[i]!;
  if (unit.cjk || !/\d$/.test(unit.text)) return 0;
  let following = '';
  // A space between number and unit (866.01 万元) does not part them either.
  for (let k = i + 1; k < list.length && k <= i + MEASURE_LOOKAHEAD && list[k]!.cjk && (k === i + 1 || !list[k]!.space); k++) following += list[k]!.text;
  return [...(MEASURE_AFTER_NUMBER.exec(following)?.[0] ?? '')].length;
}

/**
 * Join units between which a line may not break: closing marks to what precedes, opening marks
 * to what follows, a number and its unit of measure (never 245.23万 / 元).
 */
function groups(source: string, measure: FontMeasure): Group[] {
  const out: Group[] = [];
  let joinNext = false;
  let measureUnits = 0;
  const list = units(source);
  for (let u = 0; u < list.length; u++) {
    const unit = list[u]!;
    const text = unit.text;
    const first = String.fromCodePoint(text.codePointAt(0)!);
    const last = text[text.length - 1]!;
    const previous = out[out.length - 1];
    const ofNumber = measureUnits > 0;
    measureUnits = ofNumber ? measureUnits - 1 : measureUnitsAfter(list, u);
    // (A unit made only of closing marks starts with one, so the first character decides.)
    const attach = previous !== undefined && (joinNext || ofNumber || CLOSING.has(first));
    // A word is laid out whole (kerning, ligatures); CJK characters have context-free advances.
    const word = unit.cjk ? undefined : measure.run(text);
    let chars = 0;
    let cjkUnits = 0;
    for (const ch of text) {
      chars++;
      if (!word) cjkUnits += measure.char(ch);
    }
    const units = word ? word.units : cjkUnits;
    const glyphs = word ? word.glyphs : chars;
    let spaceUnits = 0;
    let spaceChars = 0;
    for (const ch of unit.space) {
      spaceUnits += measure.char(ch);
      spaceChars++;
    }
    if (attach) {
      if (ofNumber && !previous.measureSplit) previous.measureSplit = { at: previous.text.length, space: unit.space };
      previous.text += unit.space + text;
      previous.units += spaceUnits + units;
      previous.chars += spaceChars + chars;
      previous.glyphs += spaceChars + glyphs;
      previous.cjkOnly &&= unit.cjk && !unit.space;
    } else {
      out.push({ text, space: unit.space, units, spaceUnits, chars, glyphs, spaceChars, cjkOnly: unit.cjk });
    }
    joinNext = OPENING.has(last);
  }
  return out;
}

/**
 * Part a number from its unit of measure: when the two together are wider than the whole measure,
 * or would leave a justified line loose. The unit stays whole (245.23 / 万元, never 245.23万 / 元).
 */
function splitMeasure(group: Group, measure: FontMeasure): Group[] {
  const { at, space } = group.measureSplit!;
  const [number] = groups(group.text.slice(0, at), measure);
  const unit = joinGroups(groups(group.text.slice(at + space.length), measure));
  let spaceUnits = 0;
  for (const ch of space) spaceUnits += measure.char(ch);
  return [
    { ...number!, space: group.space, spaceUnits: group.spaceUnits, spaceChars: group.spaceChars },
    { ...unit, space, spaceUnits, spaceChars: [...space].length },
  ];
}

/** One group of several that follow each other without a break between them. */
function joinGroups(parts: Group[]): Group {
  const joined = { ...parts[0]! };
  for (const part of parts.slice(1)) {
    joined.text += part.space + part.text;
    joined.units += part.spaceUnits + part.units;
    joined.chars += part.spaceChars + part.chars;
    joined.glyphs += part.spaceChars + part.glyphs;
    joined.cjkOnly &&= part.cjkOnly && !part.space;
  }
  return joined;
}

/** Split a CJK-only group into single characters: only when one group is wider than the whole measure. */
function splitByCharacter(group: Group, measure: FontMeasure): Group[] {
  return [...group.text].map((ch, i) => ({
    text: ch,
    space: i === 0 ? group.space : '',
    units: measure.char(ch),
    spaceUnits: i === 0 ? group.spaceUnits : 0,
    chars: 1,
    glyphs: 1,
    spaceChars: i === 0 ? group.spaceChars : 0,
    cjkOnly: true,
  }));
}

export interface Line {
  text: string;
  /** Natural width in pt, with the base character spacing. */
  width: number;
  /** Width the line may take: the measure, less the indent on a first line. */
  available: number;
  /** Left offset in pt (the first-line indent). */
  indent: number;
  /**
   * characterSpacing (pt) that makes the line fill `available` exactly when justified.
   * Lines that end a paragraph (or precede a hard break) keep the base spacing.
   */
  justifySpacing: number;
  /** Ends the paragraph or a hard-broken part of it: set unjustified. */
  last: boolean;
  /** A word or number wider than the measure, set on a line of its own (it never splits). */
  overflow: boolean;
  /**
   * For a justified line with words or numbers: the line in pieces, so the extra space goes
   * between CJK characters and spaces only, never inside 866.01 or a Latin word. Each piece
   * is one pdfmake inline; their measured widths add up to `available` (less 0.001 pt, so
   * pdfmake never wraps the last piece).
   */
  pieces?: LinePiece[];
}

export interface LinePiece {
  text: string;
  characterSpacing: number;
}

export interface BreakOptions extends TextStyle {
  /** Measure in pt. */
  width: number;
  /** Indent of the first line in pt. */
  firstLineIndent?: number;
  /** Indent of every line after the first in pt (a hanging indent, as under a 目录 entry's number). */
  hangingIndent?: number;
  /** Never end a paragraph with a line of one character (plus punctuation); pull one more group down instead. */
  avoidSingleCharLastLine?: boolean;
  /**
   * The lines will be justified: a number parts from its unit of measure (245.23 / 万元) rather
   * than leave the line before stretched by more than LOOSE_LINE_EM per character.
   */
  justified?: boolean;
  /** Names the text holds (the unit's name): balanced lines break well at their edges. */
  phrases?: readonly string[];
}

const EPSILON = 1e-6;
/**
 * The most extra space per character (in em) a justified line takes to keep a number on the next
 * line with its unit. A full line gains well under 0.05 em; moving 245.23万元 down costs some 0.17
 * em, which reads as letter-spaced: parting 245.23 from 万元 is the lesser evil.
 */
const LOOSE_LINE_EM = 0.12;

/**
 * Break `text` into lines no wider than `width`: between CJK characters, never before a closing
 * mark or after an opening mark, never inside a number or Latin word. When a character followed
 * by a closing mark does not fit, both go to the next line (the line before is stretched, not
 * squeezed). A newline in the text is a hard break.
 */
export function breakLines(text: string, options: BreakOptions): readonly Line[] {
  return measureFor(options.font).lines(lineKey('break', text, options), () => breakLinesNow(text, options));
}

/** What shapes the lines of `text`: the kind of breaking and every option it reads. */
function lineKey(kind: string, text: string, options: BreakOptions): string {
  const flags = (options.avoidSingleCharLastLine ? 1 : 0) + (options.justified ? 2 : 0);
  const phrases = options.phrases?.length ? options.phrases.join('\u0001') : '';
  return `${kind}|${options.size}|${options.width}|${options.characterSpacing ?? 0}|${options.firstLineIndent ?? 0}|${options.hangingIndent ?? 0}|${flags}|${phrases}|${text}`;
}

function breakLinesNow(text: string, options: BreakOptions): Line[] {
  const measure = measureFor(options.font);
  const lines: Line[] = [];
  const segments = hardSegments(text);
  for (let s = 0; s < segments.length; s++) {
    const indent = segmentIndent(s, options);
    const rows = segmentRows(segments[s]!, indent, options, measure);
    for (let r = 0; r < rows.length; r++) lines.push(finishLine(rows[r]!, r === 0 ? indent : options.hangingIndent ?? 0, r === rows.length - 1, options, measure));
  }
  return lines;
}

// The typesetting functions here run for every text of every document: they loop rather than pass
// callbacks, as V8 recompiles the code of short-lived callbacks after each full garbage collection.

/** The hard-broken segments of `text`, trimmed. */
function hardSegments(text: string): string[] {
  // pdfmake expands a tab to four spaces after we have measured; a tab in running text is a space.
  return text.replace(/\t/g, ' ').split(/\r?\n|\r/).map(trimSpaces);
}

/** The first segment takes the first-line indent; the others start where every later line starts. */
function segmentIndent(segmentIndex: number, options: BreakOptions): number {
  return segmentIndex === 0 ? (options.firstLineIndent ?? 0) : (options.hangingIndent ?? 0);
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** The groups of each line of one segment, broken greedily (then the last line pulled down if asked). */
function segmentRows(text: string, firstIndent: number, options: BreakOptions, measure: FontMeasure): Group[][] {
  if (text === '') return [];
  const scale = options.size / measure.unitsPerEm;
  const spacing = options.characterSpacing ?? 0;
  const rows: Group[][] = [];
  // Shared with every other text of the same characters: read, never changed.
  let pending: readonly Group[] = measure.groups(text);
  let next = 0;
  let row: Group[] = [];
  let rowUnits = 0;
  let rowChars = 0;
  let flush = false;

  while (next < pending.length) {
    const group = pending[next]!;
    const addUnits = row.length ? group.spaceUnits + group.units : group.units;
    const addChars = row.length ? group.spaceChars + group.chars : group.chars;
    const width = (rowUnits + addUnits) * scale + spacing * (rowChars + addChars - 1);
    const available = options.width - (rows.length === 0 ? firstIndent : (options.hangingIndent ?? 0));
    if (width <= available + EPSILON) {
      row.push(group);
      rowUnits += addUnits;
      rowChars += addChars;
      next++;
    } else if (row.length > 0 && group.measureSplit && options.justified && rowChars > 1 &&
        available - (rowUnits * scale + spacing * (rowChars - 1)) > LOOSE_LINE_EM * options.size * (rowChars - 1)) {
      // Keeping the number with its unit would leave this line loose: let them part.
      pending = [...pending.slice(0, next), ...splitMeasure(group, measure), ...pending.slice(next + 1)];
    } else if (row.length > 0) {
      flush = true;
    } else if (group.measureSplit) {
      pending = [...splitMeasure(group, measure), ...pending.slice(next + 1)];
      next = 0;
    } else if (group.cjkOnly && group.chars > 1) {
      pending = [...splitByCharacter(group, measure), ...pending.slice(next + 1)];
      next = 0;
    } else {
      row.push(group); // a word or number wider than the measure: alone on its line, never split
      rowUnits += addUnits;
      rowChars += addChars;
      next++;
      flush = true;
    }
    if (flush) {
      rows.push(row);
      row = [];
      rowUnits = 0;
      rowChars = 0;
      flush = false;
    }
  }
  if (row.length) rows.push(row);

  if (options.avoidSingleCharLastLine) pullDownBeforeSingleChar(rows);
  return rows;
}

/** A group that is one character, possibly with punctuation attached (e.g. 元。 or “中”). */
function isSingleChar(group: Group): boolean {
  const letters = [...group.text].filter((ch) => !CLOSING.has(ch) && !OPENING.has(ch) && !WHITESPACE.test(ch));
  return letters.length <= 1 && group.cjkOnly;
}

function pullDownBeforeSingleChar(rows: Group[][]): void {
  if (rows.length < 2) return;
  const last = rows[rows.length - 1]!;
  const before = rows[rows.length - 2]!;
  if (last.length === 1 && isSingleChar(last[0]!) && before.length >= 2) {
    last.unshift(before.pop()!);
  }
}

function lineText(row: Group[]): string {
  let text = row.length ? row[0]!.text : '';
  for (let i = 1; i < row.length; i++) text += row[i]!.space + row[i]!.text;
  return text;
}

/** A row's natural width, the width it may take, its glyph count and whether it overflows. */
function rowMetrics(row: Group[], indent: number, options: BreakOptions, measure: FontMeasure): { width: number; available: number; glyphs: number; overflow: boolean } {
  const scale = options.size / measure.unitsPerEm;
  const spacing = options.characterSpacing ?? 0;
  // The sum of the groups' advances is what pdfkit's layout of the whole line gives: CJK advances are
  // context-free (pdfkit enables no palt/halt/kern for them) and words were laid out whole.
  // A test checks this against pdfkit's own measurement.
  let units = 0;
  let glyphs = 0;
  for (let i = 0; i < row.length; i++) {
    const group = row[i]!;
    units += group.units + (i === 0 ? 0 : group.spaceUnits);
    glyphs += group.glyphs + (i === 0 ? 0 : group.spaceChars);
  }
  const available = options.width - indent;
  // pdfmake measures `characterSpacing * (text.length - 1)`; the glyphs drawn advance by it each.
  const width = units * scale + spacing * (glyphs - 1);
  return { width, available, glyphs, overflow: width > available + EPSILON };
}

function finishLine(row: Group[], indent: number, last: boolean, options: BreakOptions, measure: FontMeasure): Line {
  const text = lineText(row);
  const spacing = options.characterSpacing ?? 0;
  const { width, available, glyphs, overflow } = rowMetrics(row, indent, options, measure);
  const line: Line = { text, width, available, indent, justifySpacing: spacing, last, overflow };
  if (last || overflow || glyphs < 2) return line;
  const pieces = justifiedPieces(text, available, options, measure);
  if (pieces) {
    line.pieces = pieces;
    let widest = -Infinity;
    for (const piece of pieces) widest = Math.max(widest, piece.characterSpacing);
    line.justifySpacing = widest;
  } else {
    line.justifySpacing = spacing + (available - width) / (glyphs - 1);
  }
  return line;
}

/** Room left so that float rounding never makes pdfmake think the pieces overflow the line. */
const PIECES_SLACK = 0.001;
const ASTRAL = /[\u{10000}-\u{10ffff}]/u;

/**
 * Split a line into rigid pieces (words, numbers: base spacing) and stretchable pieces (CJK and
 * spaces: the extra spacing). pdfmake measures a piece as natural + spacing × (length − 1), so
 * the gap at a piece boundary is not stretched. Returns undefined when the line has no word, or
 * nothing to stretch, or characters outside the BMP (pdfmake counts UTF-16 units for spacing).
 */
function justifiedPieces(text: string, available: number, options: BreakOptions, measure: FontMeasure): LinePiece[] | undefined {
  const parts = units(text);
  if (parts.every((part) => part.cjk) || ASTRAL.test(text)) return undefined;
  const raw: Array<{ text: string; rigid: boolean }> = [];
  const push = (piece: string, rigid: boolean): void => {
    if (!piece) return;
    const previous = raw[raw.length - 1];
    if (previous && previous.rigid === rigid) previous.text += piece;
    else raw.push({ text: piece, rigid });
  };
  for (const part of parts) {
    push(part.space, false);
    push(part.text, !part.cjk);
  }
  const scale = options.size / measure.unitsPerEm;
  const base = options.characterSpacing ?? 0;
  let measured = 0;
  let stretchGaps = 0;
  for (const piece of raw) {
    const length = piece.text.length;
    const units = piece.rigid ? measure.run(piece.text).units : [...piece.text].reduce((sum, ch) => sum + measure.char(ch), 0);
    measured += units * scale + base * (length - 1);
    if (!piece.rigid) stretchGaps += length - 1;
  }
  if (stretchGaps === 0) return undefined;
  const extra = (available - PIECES_SLACK - measured) / stretchGaps;
  return raw.map((piece) => ({ text: piece.text, characterSpacing: piece.rigid ? base : base + extra }));
}

// ---------------------------------------------------------------------------------------------
// Balanced titles

/**
 * What a break costs, in the units of `lineCost` (100 × the squared relative unevenness of a
 * line): a title breaks well before an opening bracket, after 、，：, after a year (2022年|), between
 * words and at the edges of the names it is told of; inside a run of CJK characters (社|会, 中|心)
 * only when no good place gives lines of similar length (the shorter at least a third of the longer).
 */
const BREAK_INSIDE_RUN = 50;
/** Beside the conjunction 和 (人力资源和|社会保障局): words meet there, though less surely than at a mark. */
const BREAK_AT_CONJUNCTION = 15;
const CONJUNCTION = '和';
/** Added to the cost of a break beside 和 inside a name the text is known to hold. */
const BREAK_IN_NAME = 15;
/** Between a number and the character after it (2022|年): worse than anywhere inside a run. */
const BREAK_AFTER_NUMBER = 100;
/** Marks after which a title breaks well. */
const BREAK_AFTER = new Set('，。、；：？！'.split(''));
/** How much a last line shorter than the others counts against its unevenness: a title may end short. */
const SHORT_LAST_LINE_WEIGHT = 0.25;

/**
 * Break a title into the fewest lines that fit, placed where the text breaks best and the lines
 * come out even; never leave one character (plus punctuation) alone on the last line.
 */
export function balanceLines(text: string, options: BreakOptions): readonly Line[] {
  return measureFor(options.font).lines(lineKey('balance', text, options), () => balanceLinesNow(text, options));
}

function balanceLinesNow(text: string, options: BreakOptions): Line[] {
  const fitting = { ...options, avoidSingleCharLastLine: true };
  const measure = measureFor(options.font);
  const hang = options.hangingIndent ?? 0;
  const lines: Line[] = [];
  const segments = hardSegments(text);
  for (let s = 0; s < segments.length; s++) {
    const indent = segmentIndent(s, options);
    let rows = segmentRows(segments[s]!, indent, fitting, measure);
    const overflows = rows.some((row, r) => rowMetrics(row, r === 0 ? indent : hang, fitting, measure).overflow);
    if (rows.length >= 2 && !overflows) {
      // Even lines: greedy at the narrowest measure that keeps the line count; then better places to break, if any.
      const even = narrowestMeasure(segments[s]!, rows.length, indent, fitting, measure);
      rows = segmentRows(segments[s]!, indent, { ...fitting, width: even }, measure);
      rows = betterBreaks(segments[s]!, rows, even, indent, fitting, measure) ?? rows;
    }
    for (let r = 0; r < rows.length; r++) lines.push(finishLine(rows[r]!, r === 0 ? indent : hang, true, options, measure));
  }
  // Set unstretched, like the last line of a paragraph.
  return lines;
}

/**
 * Lines as many as `even` has, placed at better break points (dynamic programming over break
 * positions: the least total of line costs and break costs), or undefined when none costs fewer
 * breaks than `even`'s, so a text without good places to break keeps its even lines.
 */
function betterBreaks(text: string, even: Group[][], evenMeasure: number, firstIndent: number, options: BreakOptions, measure: FontMeasure): Group[][] | undefined {
  const count = even.length;
  const groups = measure.groups(text);
  const n = groups.length;
  // Even lines that had to split a group by character are left as they are.
  if (even.reduce((k, row) => k + row.length, 0) !== n) return undefined;
  const scale = options.size / measure.unitsPerEm;
  const spacing = options.characterSpacing ?? 0;
  const hang = options.hangingIndent ?? 0;
  // Prefix sums: a line [a, b) drops the space before its first group, as rowMetrics does.
  const units = [0];
  const glyphs = [0];
  const offsets = [0];
  for (const g of groups) {
    units.push(units[units.length - 1]! + g.spaceUnits + g.units);
    glyphs.push(glyphs[glyphs.length - 1]! + g.spaceChars + g.glyphs);
    offsets.push(offsets[offsets.length - 1]! + g.space.length + g.text.length);
  }
  const width = (a: number, b: number): number =>
    (units[b]! - units[a]! - groups[a]!.spaceUnits) * scale + spacing * (glyphs[b]! - glyphs[a]! - groups[a]!.spaceChars - 1);
  const available = (line: number): number => options.width - (line === 0 ? firstIndent : hang);

  const cost = breakCosts(text, groups, offsets, options.phrases ?? []);
  let evenCost = 0;
  for (let r = 0, start = 0; r < count - 1; r++) evenCost += cost[(start += even[r]!.length)]!;
  if (evenCost === 0) return undefined;
  // A line is uneven by how far it is from the even measure; a last line may end short.
  const lineCost = (line: number, a: number, b: number): number => {
    const extent = (line === 0 ? firstIndent : hang) + width(a, b);
    const uneven = (extent - evenMeasure) / evenMeasure;
    return 100 * uneven * uneven * (line === count - 1 && extent < evenMeasure ? SHORT_LAST_LINE_WEIGHT : 1);
  };

  // best[k][j]: least cost of groups [0, j) in k lines; from[k][j]: where the k-th line starts.
  const best = Array.from({ length: count + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const breaks = Array.from({ length: count + 1 }, () => new Array<number>(n + 1).fill(0));
  const from = Array.from({ length: count + 1 }, () => new Array<number>(n + 1).fill(-1));
  best[0]![0] = 0;
  for (let k = 1; k <= count; k++) {
    for (let j = k; j <= n; j++) {
      if (k === count && j !== n) continue;
      for (let i = j - 1; i >= k - 1; i--) {
        if (width(i, j) > available(k - 1) + EPSILON) break; // wider still further left
        if (best[k - 1]![i] === Infinity) continue;
        if (k === count && j - i === 1 && isSingleChar(groups[i]!)) continue;
        const breakCost = i > 0 ? cost[i]! : 0;
        const total = best[k - 1]![i]! + lineCost(k - 1, i, j) + breakCost;
        if (total < best[k]![j]!) {
          best[k]![j] = total;
          breaks[k]![j] = breaks[k - 1]![i]! + breakCost;
          from[k]![j] = i;
        }
      }
    }
  }
  if (!(breaks[count]![n]! < evenCost) || best[count]![n] === Infinity) return undefined;
  const rows: Group[][] = [];
  for (let k = count, j = n; k > 0; j = from[k]![j]!, k--) rows.unshift(groups.slice(from[k]![j]!, j));
  return rows;
}

/** The narrowest measure at which greedy breaking still gives `count` lines, none overflowing. */
function narrowestMeasure(text: string, count: number, firstIndent: number, options: BreakOptions, measure: FontMeasure): number {
  let low = options.width / count;
  let high = options.width;
  // Greedy line count only grows as the measure narrows: bisect.
  while (high - low > 0.25) {
    const middle = (low + high) / 2;
    const trial = { ...options, width: middle };
    const rows = segmentRows(text, firstIndent, trial, measure);
    const fits = rows.length <= count && rows.every((row, r) => !rowMetrics(row, r === 0 ? firstIndent : options.hangingIndent ?? 0, trial, measure).overflow);
    if (fits) high = middle;
    else low = middle;
  }
  return high;
}

/** The cost of a line break before each group (index 0 unused). */
function breakCosts(text: string, groups: readonly Group[], offsets: number[], phrases: readonly string[]): number[] {
  // Edges of the names the text is known to hold (the unit's name): good places to break.
  const edges = new Set<number>();
  const within: Array<[number, number]> = [];
  for (const phrase of phrases) {
    if (!phrase) continue;
    for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
      edges.add(at);
      edges.add(at + phrase.length);
      within.push([at, at + phrase.length]);
    }
  }
  const isNumber = (g: Group): boolean => !g.cjkOnly && /^[\d.,%]+$/.test(g.text);
  return groups.map((next, j) => {
    if (j === 0) return 0;
    const prev = groups[j - 1]!;
    // A break before group j falls between the end of the previous text and the start of j's text.
    const start = offsets[j]!;
    const textStart = start + next.space.length;
    for (const edge of edges) if (edge >= start && edge <= textStart) return 0;
    if (next.space) return 0;
    if (OPENING.has(next.text[0]!)) return 0;
    if (BREAK_AFTER.has(prev.text[prev.text.length - 1]!)) return 0;
    if (isNumber(prev)) return BREAK_AFTER_NUMBER;
    // After a number with its unit, a year above all: 2022年|洛龙区.
    if (prev.measureSplit) return 0;
    if (!prev.cjkOnly && !next.cjkOnly) return 0;
    const conjunction = prev.text === CONJUNCTION || next.text === CONJUNCTION;
    // Inside a name even 和 splits the name: worse than at its edges, still better than elsewhere in it.
    const inName = within.some(([a, b]) => a < start && textStart < b);
    if (conjunction) return BREAK_AT_CONJUNCTION + (inName ? BREAK_IN_NAME : 0);
    return BREAK_INSIDE_RUN;
  });
}

// ---------------------------------------------------------------------------------------------
// pdfmake nodes

export type Align = 'justify' | 'left' | 'center' | 'right';

export interface BlockOptions {
  fonts: FontSet;
  /** Font role; pdfmake family names are the role names. */
  role: FontRole;
  /** Font size in pt. */
  size: number;
  /** Measure in pt: the width pdfmake gives the node (page or column width less margins and padding). */
  width: number;
  /** Line pitch as a multiple of the font size (1.75 → 28 pt lines at 16 pt). Default 1.5. */
  lineHeight?: number;
  /** Base characterSpacing in pt (e.g. for letter-spaced titles). */
  characterSpacing?: number;
  /**
   * Extra properties for the first line's text node: `id` for pageReference, `tocItem`,
   * `outline`/`outlineText` for bookmarks, `linkToDestination`. Page breaks, orientation and
   * margins belong on the returned node itself.
   */
  firstLine?: Record<string, unknown>;
  /** Extra properties for every line's text node: a `linkToDestination` that the whole block is. */
  everyLine?: Record<string, unknown>;
  /**
   * Lines kept together (in pdfmake `unbreakable` stacks) at the start and at the end of the
   * block when it crosses a page: no lone first line at a page foot, no lone last line at a page
   * head. 1 turns it off. Defaults: paragraphs 2, titles all lines, table cells 1.
   */
  keepLines?: number;
}

export interface ParagraphOptions extends BlockOptions {
  /** First-line indent in characters (em). Default 2. */
  indentChars?: number;
  /** Default 'justify': every line but the last fills the measure. */
  align?: Align;
}

export interface CellOptions extends BlockOptions {
  /** Default 'left'. */
  align?: Align;
}

const DEFAULT_LINE_HEIGHT = 1.5;

/**
 * pdfmake's `lineHeight` multiplies the font's own height (ascent − descent), not the font size;
 * convert a CSS-like multiple of the font size into pdfmake's factor.
 */
export function pdfmakeLineHeight(font: fontkit.Font, lineHeight: number): number {
  const measure = measureFor(font);
  return (lineHeight * measure.unitsPerEm) / measure.height;
}

/** A body paragraph: justified, first line indented two characters. */
export function paragraphNode(text: string, options: ParagraphOptions): Content {
  const font = options.fonts.byRole[options.role].font;
  const indent = (options.indentChars ?? 2) * options.size;
  const align = options.align ?? 'justify';
  // The indent is ours: ideographic spaces typed at the start of the text would double it.
  const lines = breakLines(text.replace(/^[\s\u3000]+/, ''), {
    font,
    size: options.size,
    width: options.width,
    characterSpacing: options.characterSpacing,
    firstLineIndent: indent,
    avoidSingleCharLastLine: align === 'justify',
    justified: align === 'justify',
  });
  return linesNode(lines, align, options, options.keepLines ?? 2);
}

/** A title or heading: centred (by default), lines balanced, no single character on the last line. */
export function titleNode(text: string, options: BlockOptions & { align?: Exclude<Align, 'justify'>; phrases?: readonly string[] }): Content {
  const font = options.fonts.byRole[options.role].font;
  const lines = balanceLines(text, { font, size: options.size, width: options.width, characterSpacing: options.characterSpacing, phrases: options.phrases });
  return linesNode(lines, options.align ?? 'center', options, options.keepLines ?? Infinity);
}

/** Text of a table cell whose inner width (column width less cell padding) is known. */
export function cellTextNode(text: string, options: CellOptions): Content {
  const font = options.fonts.byRole[options.role].font;
  const align = options.align ?? 'left';
  const lines = breakLines(text, {
    font,
    size: options.size,
    width: options.width,
    characterSpacing: options.characterSpacing,
    avoidSingleCharLastLine: align === 'justify',
    justified: align === 'justify',
  });
  return linesNode(lines, align, options, options.keepLines ?? 1);
}

/**
 * One `noWrap` text node per line, so pdfmake makes one inline per line (a few where a justified
 * line holds numbers) and never re-breaks. Justified lines carry their own characterSpacing;
 * alignment is per line. For lines broken here and set in pieces by the caller (a 目录 entry).
 */
export function linesNode(lines: readonly Line[], align: Align, options: BlockOptions, keepLines = 1): Content {
  const font = options.fonts.byRole[options.role].font;
  const base = options.characterSpacing ?? 0;
  const style = {
    font: options.role,
    fontSize: options.size,
    lineHeight: pdfmakeLineHeight(font, options.lineHeight ?? DEFAULT_LINE_HEIGHT),
    noWrap: true,
    // Lines never start with a breaking space; an ideographic space there is meant (e.g. 　　其中：).
    preserveLeadingSpaces: true,
  };
  const nodes = lines.map((line, i) => {
    const node: Record<string, unknown> = { text: line.text };
    if (align === 'justify' && line.pieces) {
      // Fresh objects: the cached lines are shared, and pdfmake writes into the nodes it is given.
      node.text = line.pieces.map((piece) => (piece.characterSpacing ? { text: piece.text, characterSpacing: piece.characterSpacing } : { text: piece.text }));
    } else {
      const spacing = align === 'justify' ? line.justifySpacing : base;
      if (spacing !== 0) node.characterSpacing = spacing;
    }
    if (align !== 'justify' && align !== 'left') node.alignment = align;
    if (line.indent) node.leadingIndent = line.indent;
    if (options.everyLine) Object.assign(node, options.everyLine);
    if (i === 0 && options.firstLine) Object.assign(node, options.firstLine);
    return node;
  });
  if (nodes.length === 0) return { text: '', ...style, ...(options.firstLine ?? {}) } as unknown as Content;
  if (nodes.length === 1) return { ...style, ...nodes[0] } as unknown as Content;
  return { stack: keepTogether(nodes, keepLines), ...style } as unknown as Content;
}

/**
 * Wrap the first and the last `keep` lines in unbreakable stacks (all of them when there are
 * fewer than 2 × keep), so a page break never strands fewer than `keep` lines.
 */
function keepTogether(nodes: Array<Record<string, unknown>>, keep: number): Array<Record<string, unknown>> {
  if (keep <= 1) return nodes;
  if (nodes.length < 2 * keep) return [{ stack: nodes, unbreakable: true }];
  return [
    { stack: nodes.slice(0, keep), unbreakable: true },
    ...nodes.slice(keep, nodes.length - keep),
    { stack: nodes.slice(nodes.length - keep), unbreakable: true },
  ];
}
