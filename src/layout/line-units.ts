/**
 * The units a Chinese line breaker works with: which characters may start or end a line
 * (标点禁则), which stay together (paired marks, a number with its unit of measure), and the
 * unbreakable groups a line of source text falls into, measured with the real font.
 *
 * Why a module of its own: these are the rules of where a line may break, apart from the choice of
 * where it does (line-breaking.ts for paragraphs and cells, title-balance.ts for titles), which
 * both build on the same groups.
 */
import { RecentCachePerOwner } from '../pdf/recent-cache.js';
import { measureFor, type FontMeasure, type TextStyle } from './text-measure.js';

// ---------------------------------------------------------------------------------------------
// Character classes

/** May not begin a line (标点禁则: 行首禁用). */
const CLOSING = new Set('，。、；：？！）》」』】〕〉〗］｝”’％,.;:?!)]}%'.split(''));
/** May not end a line (行尾禁用). */
export const OPENING = new Set('（《「『【〔〈〖［｛“‘([{'.split(''));
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
// Units and groups

/** One unbreakable piece of a line: a CJK character with the punctuation that must stay with it, or a word/number. */
export interface Group {
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
  /** A piece of a word or number wider than any line, cut where the line ran out (see splitLongWord). */
  forced?: boolean;
}

interface Unit {
  text: string;
  space: string;
  cjk: boolean;
}

/** Split one line of source text (no newlines) into units: single CJK characters, paired marks, words. */
export function units(text: string): Unit[] {
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
export function splitMeasure(group: Group, measure: FontMeasure): Group[] {
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
export function splitByCharacter(group: Group, measure: FontMeasure): Group[] {
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

/**
 * A word or number wider than any line (a URL, a long code in running text) cut into pieces,
 * so it continues on the next line instead of running off the page: each piece is one character,
 * with closing marks kept on the character before them and opening marks on the one after.
 * Pieces are marked `forced`: a line holding one is set unjustified, and balanced titles avoid
 * measures that need them.
 */
export function splitLongWord(group: Group, measure: FontMeasure): Group[] {
  const pieces: string[] = [];
  for (const ch of group.text) {
    const previous = pieces[pieces.length - 1];
    if (previous !== undefined && (CLOSING.has(ch) || OPENING.has([...previous].pop()!))) pieces[pieces.length - 1] = previous + ch;
    else pieces.push(ch);
  }
  return pieces.map((text, i) => {
    const letters = [...text];
    return {
      text,
      space: i === 0 ? group.space : '',
      units: letters.reduce((sum, ch) => sum + measure.char(ch), 0),
      spaceUnits: i === 0 ? group.spaceUnits : 0,
      chars: letters.length,
      glyphs: letters.length,
      spaceChars: i === 0 ? group.spaceChars : 0,
      cjkOnly: false,
      forced: true,
    };
  });
}

/**
 * Characters of text whose groups are remembered, per generation of a RecentCache: a publication
 * breaks several hundred texts, some ten thousand characters (its unit's name makes many of them
 * its own), and a character's group takes some hundred bytes.
 */
const GROUP_CACHE_CHARS = 10_000;

const groupCaches = new RecentCachePerOwner<FontMeasure, string, readonly Group[]>(GROUP_CACHE_CHARS, (text) => text.length);

/**
 * The unbreakable groups of one line of text, remembered: titles and table cells are broken at
 * many trial widths, and the same names and sentences recur in every document of a batch.
 * Callers only read the groups.
 */
export function rememberedGroups(measure: FontMeasure, text: string): readonly Group[] {
  const cache = groupCaches.for(measure);
  let found = cache.get(text);
  if (!found) {
    found = groups(text, measure);
    cache.set(text, found);
  }
  return found;
}

/** A group that is one character, possibly with punctuation attached (e.g. 元。 or “中”). */
export function isSingleChar(group: Group): boolean {
  const letters = [...group.text].filter((ch) => !CLOSING.has(ch) && !OPENING.has(ch) && !WHITESPACE.test(ch));
  return letters.length <= 1 && group.cjkOnly;
}

/** The hard-broken segments of `text`, trimmed. */
export function hardSegments(text: string): string[] {
  // pdfmake expands a tab to four spaces after we have measured; a tab in running text is a space.
  return text.replace(/\t/g, ' ').split(/\r?\n|\r/).map(trimSpaces);
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/**
 * Width in pt of the widest piece of `text` that no line break may split: a number with its unit
 * (≤126.22万元), a Latin word. A column narrower than this would let it stick out.
 */
export function widestUnbreakable(text: string, style: TextStyle): number {
  const measure = measureFor(style.font);
  let widest = 0;
  for (const segment of hardSegments(text)) {
    for (const group of rememberedGroups(measure, segment)) {
      if (group.cjkOnly) continue; // may be split by character when nothing else fits
      widest = Math.max(widest, (group.units * style.size) / measure.unitsPerEm + (style.characterSpacing ?? 0) * (group.glyphs - 1));
    }
  }
  return widest;
}
