/**
 * Balanced titles: the fewest lines that fit, broken where the text breaks best (after a mark, at
 * the edges of known names, beside 和 与 及, between words, after a year) and even in length, never one character
 * alone on the last line.
 *
 * Why a module of its own: choosing break points by cost is a different problem from greedy
 * paragraph breaking; it reuses line-breaking.ts's rows and finished lines and adds only the
 * search (narrowest even measure, then dynamic programming over break costs).
 */
import {
  EPSILON,
  finishLine,
  lineKey,
  rememberedLines,
  rowMetrics,
  segmentIndent,
  segmentRows,
  type BreakOptions,
  type Line,
} from './line-breaking.js';
import { hardSegments, isSingleChar, OPENING, rememberedGroups, widestUnbreakable, type Group } from './line-units.js';
import { measureFor, type FontMeasure } from './text-measure.js';

/**
 * What a break costs, in the units of `lineCost` (100 × the squared relative unevenness of a
 * line): a title breaks well before an opening bracket, after 、，：, after a year (2022年|), between
 * words and at the edges of the names it is told of; inside a run of CJK characters (社|会, 中|心)
 * only when no good place gives lines of similar length (the shorter at least a third of the longer).
 */
const BREAK_INSIDE_RUN = 50;
/**
 * Between two words of two or more characters inside a run (政府性|基金, 抗疫特别|国债), as the
 * runtime's dictionary (Intl.Segmenter) finds words: better than inside a word (特|别), worse than at a mark.
 */
const BREAK_BETWEEN_WORDS = 25;
/** Beside a conjunction (人力资源和|社会保障局, 医疗卫生|与计划生育): words meet there, though less surely than at a mark. */
const BREAK_AT_CONJUNCTION = 15;
const CONJUNCTIONS = new Set(['和', '与', '及']);
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
  return rememberedLines(measureFor(options.font), lineKey('balance', text, options), () => balanceLinesNow(text, options));
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
  const groups = rememberedGroups(measure, text);
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
  let high = options.width;
  // Never so narrow that a word or a number with its unit (2024年) no longer fits a line and is
  // parted: at such a measure the line count may hold, but 2024 / 年12月 is no balanced title.
  const widestWord = widestUnbreakable(text, options) + Math.max(firstIndent, options.hangingIndent ?? 0);
  let low = Math.max(options.width / count, Math.min(widestWord, high));
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

let segmenter: Intl.Segmenter | null | undefined;

/**
 * Offsets in `text` where one word of two or more CJK characters ends and another begins. Empty
 * where the runtime has no Chinese dictionary (a Node built with small ICU): then every place
 * inside a run costs the same, as before there were words.
 */
function wordBoundaries(text: string): Set<number> {
  if (segmenter === undefined) segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('zh', { granularity: 'word' }) : null;
  const boundaries = new Set<number>();
  if (!segmenter) return boundaries;
  let previous: { end: number; long: boolean } | null = null;
  for (const { segment, index } of segmenter.segment(text)) {
    const long = /^\p{Script=Han}{2,}$/u.test(segment);
    if (previous && previous.long && long && previous.end === index) boundaries.add(index);
    previous = { end: index + segment.length, long };
  }
  return boundaries;
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
  const words = wordBoundaries(text);
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
    const conjunction = CONJUNCTIONS.has(prev.text) || CONJUNCTIONS.has(next.text);
    // Inside a name even 和 splits the name: worse than at its edges, still better than elsewhere in it.
    const inName = within.some(([a, b]) => a < start && textStart < b);
    if (conjunction) return BREAK_AT_CONJUNCTION + (inName ? BREAK_IN_NAME : 0);
    // A known name is not split at its dictionary words (洛阳|市 is no better than 洛|阳 in it).
    if (!inName && words.has(textStart)) return BREAK_BETWEEN_WORDS;
    return BREAK_INSIDE_RUN;
  });
}
