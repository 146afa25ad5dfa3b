/**
 * Breaking paragraphs and table-cell text into lines: greedy, segment by hard break, the last
 * line never one character alone when asked, a number parted from its unit rather than leave a
 * justified line loose; and, for justified lines with numbers or words, the pieces that carry the
 * extra spacing. Broken lines are remembered per font.
 *
 * Why a module of its own: this is where lines are decided, given the groups line-units.ts says a
 * line may break between; title-balance.ts reuses its rows and finished lines for titles, and
 * typography.ts only turns finished lines into pdfmake nodes.
 */
import { RecentCachePerOwner } from '../pdf/recent-cache.js';
import { hardSegments, isSingleChar, rememberedGroups, splitByCharacter, splitLongWord, splitMeasure, units, type Group } from './line-units.js';
import { measureFor, type FontMeasure, type TextStyle } from './text-measure.js';

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
  /**
   * Holds a piece of a word or number wider than any line (cut by character, see splitLongWord),
   * or one character wider than the measure: set unjustified.
   */
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

export const EPSILON = 1e-6;
/**
 * The most spacing (in em) justification puts between two characters. Text extraction (pdf.js, and
 * so pdf-parse, the page texts, viewers' search and copy) reads a gap over 0.102 em as a space, and a
 * line spaced wider reads 支 出 合 计: such a line stops this short of the right edge instead.
 */
export const MAX_JUSTIFY_EM = 0.1;
/**
 * The most extra space per character (in em) a justified line takes to keep a number on the next
 * line with its unit: as much as justification gives at most, so keeping them together never leaves
 * a line short of the edge. A full line gains well under 0.05 em; moving 245.23万元 down costs some
 * 0.17 em: parting 245.23 from 万元 is the lesser evil.
 */
const LOOSE_LINE_EM = MAX_JUSTIFY_EM;

/**
 * Characters of text whose broken lines are remembered, per generation: table headers, notes,
 * the glossary and most sentences are the same in every document of a format, and a balanced
 * title is broken a dozen times while its measure is bisected.
 */
const LINE_CACHE_CHARS = 20_000;

const lineCaches = new RecentCachePerOwner<FontMeasure, string, readonly Line[]>(LINE_CACHE_CHARS, (key) => key.length);

/**
 * Lines made by `make` for a text under `key` (the text and every option that shapes its lines),
 * remembered. The lines are frozen: every caller shares them.
 */
export function rememberedLines(measure: FontMeasure, key: string, make: () => Line[]): readonly Line[] {
  const cache = lineCaches.for(measure);
  let found = cache.get(key);
  if (!found) {
    found = Object.freeze(make().map(freezeLine));
    cache.set(key, found);
  }
  return found;
}

function freezeLine(line: Line): Line {
  if (line.pieces) {
    for (const piece of line.pieces) Object.freeze(piece);
    Object.freeze(line.pieces);
  }
  return Object.freeze(line);
}

/**
 * Break `text` into lines no wider than `width`: between CJK characters, never before a closing
 * mark or after an opening mark, never inside a number or Latin word. When a character followed
 * by a closing mark does not fit, both go to the next line (the line before is stretched, not
 * squeezed). A newline in the text is a hard break.
 */
export function breakLines(text: string, options: BreakOptions): readonly Line[] {
  return rememberedLines(measureFor(options.font), lineKey('break', text, options), () => breakLinesNow(text, options));
}

/** What shapes the lines of `text`: the kind of breaking and every option it reads. */
export function lineKey(kind: string, text: string, options: BreakOptions): string {
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

/** The first segment takes the first-line indent; the others start where every later line starts. */
export function segmentIndent(segmentIndex: number, options: BreakOptions): number {
  return segmentIndex === 0 ? (options.firstLineIndent ?? 0) : (options.hangingIndent ?? 0);
}

/** The groups of each line of one segment, broken greedily (then the last line pulled down if asked). */
export function segmentRows(text: string, firstIndent: number, options: BreakOptions, measure: FontMeasure): Group[][] {
  if (text === '') return [];
  const scale = options.size / measure.unitsPerEm;
  const spacing = options.characterSpacing ?? 0;
  const rows: Group[][] = [];
  // Shared with every other text of the same characters: read, never changed.
  let pending: readonly Group[] = rememberedGroups(measure, text);
  let next = 0;
  let row: Group[] = [];
  let rowUnits = 0;
  let rowChars = 0;
  let flush = false;

  const widestLine = options.width - Math.min(firstIndent, options.hangingIndent ?? 0);

  while (next < pending.length) {
    const group = pending[next]!;
    const available = options.width - (rows.length === 0 ? firstIndent : (options.hangingIndent ?? 0));
    // A word wider than any line (or than this one, which it would start) can only be cut: cut it where it
    // stands, so it starts on this line rather than leave it short, or stick out of the next.
    if (!isUncuttable(group) && group.units * scale + spacing * (group.chars - 1) > (row.length ? widestLine : available) + EPSILON) {
      pending = [...pending.slice(0, next), ...splitLongWord(group, measure), ...pending.slice(next + 1)];
      continue;
    }
    const addUnits = row.length ? group.spaceUnits + group.units : group.units;
    const addChars = row.length ? group.spaceChars + group.chars : group.chars;
    const width = (rowUnits + addUnits) * scale + spacing * (rowChars + addChars - 1);
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
      row.push(group); // one character wider than the measure: alone on its line
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

/**
 * Groups never cut by splitLongWord: CJK groups (split by character instead), a number with its
 * unit (parted from it first), pieces already cut, single characters.
 */
function isUncuttable(group: Group): boolean {
  return group.cjkOnly || group.measureSplit !== undefined || group.forced === true || group.chars < 2;
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
export function rowMetrics(row: Group[], indent: number, options: BreakOptions, measure: FontMeasure): { width: number; available: number; glyphs: number; overflow: boolean } {
  const scale = options.size / measure.unitsPerEm;
  const spacing = options.characterSpacing ?? 0;
  // The sum of the groups' advances is what pdfkit's layout of the whole line gives: CJK advances are
  // context-free (pdfkit enables no palt/halt/kern for them) and words were laid out whole.
  // A test checks this against pdfkit's own measurement.
  let units = 0;
  let glyphs = 0;
  let forced = false;
  for (let i = 0; i < row.length; i++) {
    const group = row[i]!;
    units += group.units + (i === 0 ? 0 : group.spaceUnits);
    glyphs += group.glyphs + (i === 0 ? 0 : group.spaceChars);
    forced ||= group.forced === true;
  }
  const available = options.width - indent;
  // pdfmake measures `characterSpacing * (text.length - 1)`; the glyphs drawn advance by it each.
  const width = units * scale + spacing * (glyphs - 1);
  // A line that cuts a word counts as overflowing: set unjustified, and a measure titles avoid.
  return { width, available, glyphs, overflow: forced || width > available + EPSILON };
}

export function finishLine(row: Group[], indent: number, last: boolean, options: BreakOptions, measure: FontMeasure): Line {
  const text = lineText(row);
  const spacing = options.characterSpacing ?? 0;
  const { width, available, glyphs, overflow } = rowMetrics(row, indent, options, measure);
  const line: Line = { text, width, available, indent, justifySpacing: spacing, last, overflow };
  if (last || overflow || glyphs < 2) return line;
  const most = Math.max(spacing, MAX_JUSTIFY_EM * options.size);
  const pieces = justifiedPieces(text, available, options, measure);
  if (pieces) {
    let widest = -Infinity;
    for (const piece of pieces) {
      piece.characterSpacing = Math.min(piece.characterSpacing, most);
      widest = Math.max(widest, piece.characterSpacing);
    }
    line.pieces = pieces;
    line.justifySpacing = widest;
  } else {
    line.justifySpacing = Math.min(spacing + (available - width) / (glyphs - 1), most);
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
