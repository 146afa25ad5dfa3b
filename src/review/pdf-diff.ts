/**
 * Compare two PDFs page by page: pages are aligned by similarity (so a page inserted
 * or removed in the middle shows as one added or removed page, not as every later
 * page changed), then each changed page gets a line diff with changed figures.
 */
import type { DiffChange, DiffHunk, DiffLine } from './diff-report.js';
import { align, bigrams, diceOfSets, diffLines, pairFigureChanges, type KeyedLine } from './line-diff.js';

export interface PdfDiff {
  oldPageCount: number;
  newPageCount: number;
  /** Pages whose text is the same in both files (after page numbers are set aside). */
  unchangedPages: number;
  /** Changed, added and removed pages, in reading order of the new file. */
  changes: DiffChange[];
}

/** Two pages are taken for the same page, edited, only when at least this alike. */
const PAGE_PAIR_THRESHOLD = 0.5;

/**
 * Compare the (normalised) page texts of two PDFs. Page numbers in running headers
 * and footers are not compared, since inserting a page renumbers every later page.
 */
export function diffPdfPages(oldPages: readonly string[], newPages: readonly string[]): PdfDiff {
  const oldDocs = oldPages.map(pageLines);
  const newDocs = newPages.map(pageLines);
  const oldKeys = oldDocs.map(pageKey);
  const newKeys = newDocs.map(pageKey);

  // Identical pages at either end need no alignment; this keeps the O(n·m) part small.
  let head = 0;
  while (head < oldKeys.length && head < newKeys.length && oldKeys[head] === newKeys[head]) head++;
  let tail = 0;
  while (
    tail < oldKeys.length - head &&
    tail < newKeys.length - head &&
    oldKeys[oldKeys.length - 1 - tail] === newKeys[newKeys.length - 1 - tail]
  ) {
    tail++;
  }

  const oldMiddle = range(head, oldKeys.length - tail);
  const newMiddle = range(head, newKeys.length - tail);
  const oldBigrams = oldMiddle.map((p) => bigrams(oldKeys[p]));
  const newBigrams = newMiddle.map((p) => bigrams(newKeys[p]));
  const steps = align(oldMiddle.length, newMiddle.length, (i, j) => {
    if (oldKeys[oldMiddle[i]] === newKeys[newMiddle[j]]) return 1;
    const s = diceOfSets(oldBigrams[i], newBigrams[j]);
    return s >= PAGE_PAIR_THRESHOLD ? s : 0;
  });

  const changes: DiffChange[] = [];
  let unchangedPages = head + tail;
  // Unpaired pages between two paired ones: as many as possible are taken as the same
  // page rewritten (in order); only the surplus on one side is added or removed.
  let gapOld: number[] = [];
  let gapNew: number[] = [];
  const comparePages = (o: number, n: number) => {
    if (oldKeys[o] === newKeys[n]) {
      unchangedPages++;
      return;
    }
    const hunks = diffLines(oldDocs[o], newDocs[n]);
    changes.push({ status: 'changed', oldPage: o + 1, newPage: n + 1, hunks });
  };
  const flushGap = () => {
    const paired = Math.min(gapOld.length, gapNew.length);
    for (let k = 0; k < paired; k++) comparePages(gapOld[k], gapNew[k]);
    for (const o of gapOld.slice(paired)) {
      changes.push({ status: 'removed', oldPage: o + 1, hunks: [{ removed: plain(oldDocs[o]), added: [], figures: [] }] });
    }
    for (const n of gapNew.slice(paired)) {
      changes.push({ status: 'added', newPage: n + 1, hunks: [{ removed: [], added: plain(newDocs[n]), figures: [] }] });
    }
    gapOld = [];
    gapNew = [];
  };
  for (const step of steps) {
    if (step.kind === 'pair') {
      flushGap();
      comparePages(oldMiddle[step.a], newMiddle[step.b]);
    } else if (step.kind === 'removed') {
      gapOld.push(oldMiddle[step.a]);
    } else {
      gapNew.push(newMiddle[step.b]);
    }
  }
  flushGap();
  setAsideMovedLines(changes);
  addRowContext(changes, oldDocs, newDocs);
  const oldSections = pageSections(oldDocs);
  const newSections = pageSections(newDocs);
  for (const change of changes) {
    const section = sectionOf(change, change.newPage !== undefined ? newSections[change.newPage - 1] : oldSections[change.oldPage! - 1]);
    if (section) change.section = section;
  }

  return { oldPageCount: oldPages.length, newPageCount: newPages.length, unchangedPages, changes };
}

/** Chinese characters: a line without any holds only figures and codes. */
const WORDS = /\p{Script=Han}/u;
/** Characters of a row's name shown beside its changed figures. */
const CONTEXT_CHARS = 30;

/**
 * A table row whose name wraps onto lines of its own leaves its amounts on a line of figures only
 * (`47.72 47.72`): such a changed line gets the nearest line above it that has words, its row's name.
 */
function addRowContext(changes: readonly DiffChange[], oldDocs: readonly KeyedLine[][], newDocs: readonly KeyedLine[][]): void {
  const contextFor = (page: readonly KeyedLine[] | undefined, line: DiffLine): void => {
    if (!page || WORDS.test(line.text)) return;
    // The row's first line has its cells side by side; a wrapped cell's tail (服务中心) is one word alone.
    const worded = page.filter((l) => l.line < line.line && WORDS.test(l.text));
    const above = worded.filter((l) => /\S\s+\S/.test(l.text.trim())).at(-1) ?? worded.at(-1);
    if (above) line.context = above.text.trim().slice(0, CONTEXT_CHARS);
  };
  for (const change of changes) {
    for (const hunk of change.hunks) {
      for (const line of hunk.removed) contextFor(change.oldPage !== undefined ? oldDocs[change.oldPage - 1] : undefined, line);
      for (const line of hunk.added) contextFor(change.newPage !== undefined ? newDocs[change.newPage - 1] : undefined, line);
    }
  }
}

/**
 * A table's title (2022年项目支出预算表), a part (第二部分 …), a numbered section heading (七、…) or
 * the 目录; not a 目录 entry (it ends with its page number).
 */
const SECTION_LINE = /^(?:\d{4}年\S*表|第[一二三四五六七八九十]+部分\S*|[一二三四五六七八九十]+、\S{2,40}|目录)$/;

interface PageSections {
  /** The heading in force where the page begins (from an earlier page), if any. */
  before: string | undefined;
  /** Headings on the page, with the line (1-based) each is on. */
  on: { line: number; text: string }[];
  /** The page's first line, for a page before any heading (a cover). */
  first: string | undefined;
}

function pageSections(pages: readonly KeyedLine[][]): PageSections[] {
  let current: string | undefined;
  return pages.map((lines) => {
    const on = lines.flatMap((l) => {
      const text = l.text.replace(/\s+/g, '');
      return SECTION_LINE.test(text) && !/\d$/.test(text) ? [{ line: l.line, text }] : [];
    });
    const page = { before: current, on, first: lines[0]?.text.replace(/\s+/g, '').slice(0, 40) };
    if (on.length > 0) current = on[on.length - 1]!.text;
    return page;
  });
}

/** The heading above a change's first changed line on its page (or the page's first heading, or the one before the page). */
function sectionOf(change: DiffChange, sections: PageSections | undefined): string | undefined {
  if (!sections) return undefined;
  const first = Math.min(...change.hunks.map((h) => (h.added[0] ?? h.removed[0])?.line ?? Infinity));
  const above = sections.on.filter((s) => s.line <= first).at(-1);
  return above?.text ?? sections.before ?? sections.on[0]?.text ?? sections.first;
}

/**
 * Lines that only moved over a page break are no change in words: an edit that lengthens page 4
 * pushes its last lines onto page 5, and the page diffs would show them removed from one page and
 * added to the next. Paragraphs are broken into lines before they are paged, so such a line keeps
 * its text: a line removed from a page and added, with the same text, to the page before or after
 * it is taken out of both hunks and counted as moved. What is left is what was edited.
 */
function setAsideMovedLines(changes: DiffChange[]): void {
  // Where each change stands in the new file: its new page; a removed page just after the change before it.
  const positions: number[] = [];
  changes.forEach((c, k) => positions.push(c.newPage ?? (k > 0 ? positions[k - 1]! + 0.5 : 0.5)));
  const edited = new Set<DiffHunk>();
  const moved = new Map<DiffChange, number>();
  // Rows in another order on the same page: a line removed and added again, word for word.
  const reordered = new Map<DiffChange, number>(changes.map((c) => [c, cancelPairs(c, c, edited)]));
  for (let a = 0; a < changes.length; a++) {
    for (let b = a + 1; b < changes.length && positions[b]! - positions[a]! <= 1; b++) {
      for (const [from, to] of [[changes[a]!, changes[b]!], [changes[b]!, changes[a]!]] as const) {
        const count = cancelPairs(from, to, edited);
        if (count > 0) {
          moved.set(from, (moved.get(from) ?? 0) + count);
          moved.set(to, (moved.get(to) ?? 0) + count);
        }
      }
    }
  }
  for (const change of changes) {
    for (const hunk of change.hunks) if (edited.has(hunk)) hunk.figures = pairFigureChanges(hunk.removed, hunk.added);
    change.hunks = change.hunks.filter((h) => h.removed.length + h.added.length > 0);
    const count = moved.get(change);
    if (count) change.moved = count;
    if (reordered.get(change)) change.reordered = reordered.get(change);
  }
}

/** Take lines removed from `from` and added with the same text to `to` out of both; how many. */
function cancelPairs(from: DiffChange, to: DiffChange, edited: Set<DiffHunk>): number {
  const added = new Map<string, { hunk: DiffHunk; line: DiffLine }[]>();
  for (const hunk of to.hunks) for (const line of hunk.added) added.set(line.text, [...(added.get(line.text) ?? []), { hunk, line }]);
  let count = 0;
  for (const hunk of from.hunks) {
    hunk.removed = hunk.removed.filter((line) => {
      const match = added.get(line.text)?.shift();
      if (!match) return true;
      match.hunk.added = match.hunk.added.filter((l) => l !== match.line);
      edited.add(hunk).add(match.hunk);
      count++;
      return false;
    });
  }
  return count;
}

/** How many lines at the top and bottom of a page may be a running header or footer. */
const RUNNING_LINES = 2;

/**
 * The non-blank lines of a page, numbered as in the page text. The key of a line in
 * the running header/footer zone has its page numbers masked: `- 7 -`, `7`, `第 7 页`,
 * `共 30 页`, `7 / 30`, `Page 7 of 30`.
 */
function pageLines(text: string): KeyedLine[] {
  const lines: KeyedLine[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() !== '') lines.push({ line: index + 1, text: line, key: line });
  });
  lines.forEach((line, k) => {
    if (k < RUNNING_LINES || k >= lines.length - RUNNING_LINES) line.key = maskPageNumbers(line.text);
  });
  return lines;
}

const PAGE_NUMBER_LINE = /^[(（[]?\s*\d{1,4}\s*[)）\]]?$/;

export function maskPageNumbers(line: string): string {
  if (PAGE_NUMBER_LINE.test(line)) return '‹页码›';
  return line
    .replace(/(^|\s)[-–—]\s*\d{1,4}\s*[-–—](?=\s|$)/g, '$1-‹页码›-')
    .replace(/第\s*\d{1,4}\s*页/g, '第‹页码›页')
    .replace(/共\s*\d{1,4}\s*页/g, '共‹页数›页')
    .replace(/\b[Pp]age\s+\d{1,4}(\s+of\s+\d{1,4})?\b/g, 'Page ‹页码›')
    .replace(/(^|\s)\d{1,4}\s*\/\s*\d{1,4}$/, '$1‹页码›/‹页数›');
}

/** What two pages must share to be the same text: their line keys. */
function pageKey(lines: readonly KeyedLine[]): string {
  return lines.map((l) => l.key).join('\n');
}

function plain(lines: readonly KeyedLine[]) {
  return lines.map((l) => ({ line: l.line, text: l.text }));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}
