/**
 * Sequence alignment and line diffs with changed figures called out. Used for the
 * lines of a PDF page here and meant for the sentences of a data diff as well.
 */
import type { DiffHunk, DiffLine, FigureChange } from './diff-report.js';

/** One step of an alignment: a pair, an item only in `a` (removed) or only in `b` (added). */
export type AlignStep =
  | { kind: 'pair'; a: number; b: number }
  | { kind: 'removed'; a: number }
  | { kind: 'added'; b: number };

/**
 * Weighted LCS: pairs items of `a` (length n) with items of `b` (length m) in order so
 * that the sum of `score(i, j)` over the pairs is largest. A score of 0 means "never
 * pair". With a 0/1 score this is the classic LCS. O(n·m) time and memory, which is
 * fine for pages of a publication and lines of a page.
 */
export function align(n: number, m: number, score: (i: number, j: number) => number): AlignStep[] {
  const width = m + 1;
  // best[i * width + j]: best total for a[i..] against b[j..]; pairScore caches score().
  const best = new Float64Array((n + 1) * width);
  const pairScore = new Float64Array(n * m);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score(i, j);
      pairScore[i * m + j] = s;
      let value = Math.max(best[(i + 1) * width + j], best[i * width + j + 1]);
      if (s > 0) value = Math.max(value, s + best[(i + 1) * width + j + 1]);
      best[i * width + j] = value;
    }
  }
  const steps: AlignStep[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const s = pairScore[i * m + j];
    const here = best[i * width + j];
    if (s > 0 && here === s + best[(i + 1) * width + j + 1]) {
      steps.push({ kind: 'pair', a: i++, b: j++ });
    } else if (here === best[(i + 1) * width + j]) {
      // Prefer removing first, so a hunk reads "- old" before "+ new".
      steps.push({ kind: 'removed', a: i++ });
    } else {
      steps.push({ kind: 'added', b: j++ });
    }
  }
  while (i < n) steps.push({ kind: 'removed', a: i++ });
  while (j < m) steps.push({ kind: 'added', b: j++ });
  return steps;
}

/** A line to compare: shown as `text`, compared by `key` (e.g. with page numbers masked). */
export interface KeyedLine extends DiffLine {
  key: string;
}

/**
 * Diff two lists of lines: exact matches by key are kept, every run of removed and
 * added lines between them becomes a hunk, with the figures that changed between a
 * removed line and the added line most like it.
 */
export function diffLines(oldLines: readonly KeyedLine[], newLines: readonly KeyedLine[]): DiffHunk[] {
  const steps = align(oldLines.length, newLines.length, (i, j) => (oldLines[i].key === newLines[j].key ? 1 : 0));
  const hunks: DiffHunk[] = [];
  let removed: KeyedLine[] = [];
  let added: KeyedLine[] = [];
  const flush = () => {
    if (removed.length + added.length === 0) return;
    hunks.push({ removed: removed.map(plainLine), added: added.map(plainLine), figures: pairFigureChanges(removed, added) });
    removed = [];
    added = [];
  };
  for (const step of steps) {
    if (step.kind === 'pair') flush();
    else if (step.kind === 'removed') removed.push(oldLines[step.a]);
    else added.push(newLines[step.b]);
  }
  flush();
  return hunks;
}

function plainLine(line: DiffLine): DiffLine {
  return { line: line.line, text: line.text };
}

/**
 * Figures as they appear in the publication: 866.01, 1,234.50, 14%, 2022, -3.2.
 * A minus sign right after a digit is a range dash (2021-2022), not a sign.
 */
const FIGURE = /(?<![\d.])-?\d+(?:,\d{3})*(?:\.\d+)?%?/g;

/** The text with every figure replaced by one placeholder: lines that differ only in figures look alike. */
export function maskFigures(text: string): string {
  return text.replace(FIGURE, '#');
}

/** Dice coefficient over character bigrams (0 … 1); cheap and good enough for Chinese text. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const bigramsA = bigrams(a);
  const bigramsB = bigrams(b);
  return diceOfSets(bigramsA, bigramsB);
}

export function bigrams(text: string): Set<string> {
  const chars = Array.from(text);
  const set = new Set<string>();
  if (chars.length === 1) set.add(chars[0]);
  for (let k = 0; k + 1 < chars.length; k++) set.add(chars[k] + chars[k + 1]);
  return set;
}

export function diceOfSets(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Removed and added lines pair up for figure changes only when this alike, figures aside. */
const LINE_PAIR_THRESHOLD = 0.5;

/**
 * Most token pairs a hunk is aligned over as one text: a few paragraphs. A larger hunk (a table
 * page) pairs line by line instead, which costs far less.
 */
const JOINED_ALIGN_LIMIT = 1_500_000;

/**
 * The figures that changed in a hunk. The hunk's lines are aligned as one text, so a figure is
 * found whatever line its paragraph now wraps it onto (增加104.04 / 万元 → 增加 / 112.17万元); a hunk
 * too long for that pairs each removed line with the added line most like it (in order).
 */
export function pairFigureChanges(removed: readonly DiffLine[], added: readonly DiffLine[]): FigureChange[] {
  if (removed.length === 0 || added.length === 0) return [];
  // Lines are tokenized apart (a figure never runs into the next line's) and joined by a token that
  // matches nothing: a line break is no anchor, so 增加104.04 / 万元 pairs with 增加 / 112.17万元.
  const a = removed.flatMap((l, i) => [...tokenize(l.text, l.line), { text: `\u0000old${i}`, figure: false, line: l.line }]);
  const b = added.flatMap((l, i) => [...tokenize(l.text, l.line), { text: `\u0000new${i}`, figure: false, line: l.line }]);
  if (a.length * b.length <= JOINED_ALIGN_LIMIT) return changesBetween(a, b);
  return pairLineByLine(removed, added);
}

/**
 * Each removed line paired with the added line most like it, figures aside, in order: [i, j]
 * pairs, for the lines that are at least LINE_PAIR_THRESHOLD alike.
 */
export function pairSimilarLines(removed: readonly string[], added: readonly string[]): Array<[number, number]> {
  const maskedOld = removed.map(maskFigures);
  const maskedNew = added.map(maskFigures);
  const steps = align(removed.length, added.length, (i, j) => {
    const s = similarity(maskedOld[i], maskedNew[j]);
    return s >= LINE_PAIR_THRESHOLD ? s : 0;
  });
  return steps.flatMap((step) => (step.kind === 'pair' ? [[step.a, step.b] as [number, number]] : []));
}

function pairLineByLine(removed: readonly DiffLine[], added: readonly DiffLine[]): FigureChange[] {
  return pairSimilarLines(removed.map((l) => l.text), added.map((l) => l.text)).flatMap(([i, j]) =>
    changesBetween(tokenize(removed[i].text, removed[i].line), tokenize(added[j].text, added[j].line)));
}

/**
 * Figures that differ between two versions of a line. The lines are aligned token by
 * token (a figure is one token, any other character is one token); in each stretch
 * between matching tokens, the figures on the two sides pair up in order when there
 * are as many on each side. A figure with no counterpart is not a "change" of a figure.
 */
export function figureChanges(oldText: string, newText: string): Array<{ old: string; new: string }> {
  return changesBetween(tokenize(oldText, 0), tokenize(newText, 0)).map(({ old, new: next }) => ({ old, new: next }));
}

/** Figure changes between two token sequences, each with the lines its figures are on. */
function changesBetween(a: readonly Token[], b: readonly Token[]): FigureChange[] {
  const steps = align(a.length, b.length, (i, j) => (a[i].text === b[j].text ? 1 : 0));
  const changes: FigureChange[] = [];
  let oldFigures: Token[] = [];
  let newFigures: Token[] = [];
  const flush = () => {
    if (oldFigures.length === newFigures.length) {
      oldFigures.forEach((old, k) => changes.push({ old: old.text, new: newFigures[k].text, oldLine: old.line, newLine: newFigures[k].line }));
    }
    oldFigures = [];
    newFigures = [];
  };
  for (const step of steps) {
    if (step.kind === 'pair') flush();
    else if (step.kind === 'removed' && a[step.a].figure) oldFigures.push(a[step.a]);
    else if (step.kind === 'added' && b[step.b].figure) newFigures.push(b[step.b]);
  }
  flush();
  return changes;
}

interface Token {
  text: string;
  figure: boolean;
  /** The line the token is on (for a figure's change: where to find it). */
  line: number;
}

/** A line as the words a diff marks: each figure whole (866.01, 14%), every other character alone. */
export function markTokens(text: string): string[] {
  return tokenize(text, 0).map((t) => t.text);
}

function tokenize(text: string, line: number): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const pushChars = (chunk: string) => {
    for (const ch of chunk) tokens.push({ text: ch, figure: false, line });
  };
  for (const match of text.matchAll(FIGURE)) {
    pushChars(text.slice(last, match.index));
    tokens.push({ text: match[0], figure: true, line });
    last = match.index + match[0].length;
  }
  pushChars(text.slice(last));
  return tokens;
}
