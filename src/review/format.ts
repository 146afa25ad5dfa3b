/**
 * Render a DiffReport for people (plain text, ANSI colour only when asked) or for
 * programs (JSON, the shape documented in diff-report.ts).
 */
import type { DiffChange, DiffHunk, DiffLine, DiffReport, FigureChange } from './diff-report.js';
import { align, markTokens, pairSimilarLines } from './line-diff.js';

export interface TextFormatOptions {
  /** ANSI colours; the CLI decides with colorEnabled (terminal, NO_COLOR, FORCE_COLOR). */
  color: boolean;
}

const ANSI = { bold: '1', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
type Style = keyof typeof ANSI;

type Paint = (style: Style, text: string) => string;

export function formatDiffText(report: DiffReport, options: TextFormatOptions): string {
  const paint: Paint = (style, text) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  out.push(paint('bold', `比较 ${describeSide(report.old)} → ${describeSide(report.new)}`));
  let previous: DiffChange | undefined;
  const repeated = repeatedTextChanges(report);
  const shownOnce = new Set<string>();
  for (const change of report.changes) {
    if (report.kind === 'data' && isCellChange(change)) {
      // Changed cells read as `table › row › column: old → new`, one per line, a table's rows together.
      if (!previous || !isCellChange(previous) || previous.path?.[0] !== change.path?.[0]) out.push('');
      for (const figure of change.hunks.flatMap((h) => h.figures)) {
        // A renamed unit changes the same words in every row of every table: said once, with the count.
        const pair = `${figure.old}\u0000${figure.new}`;
        const count = repeated.get(pair);
        if (count !== undefined) {
          if (shownOnce.has(pair)) continue;
          shownOnce.add(pair);
          out.push(paint('yellow', `${describeFigure(figure)}（同样的改动共 ${count} 处，其余未列出；--format json 列出每一处）`));
          continue;
        }
        out.push(paint('yellow', describeFigure(figure)));
      }
    } else {
      out.push('');
      out.push(paint('cyan', changeHeading(report, change)));
      for (const hunk of change.hunks) out.push(...hunkLines(hunk, paint, options.color));
      if (change.moved) out.push(`  （另有 ${change.moved} 行只是随换页移到相邻的页，文字未变，未列出）`);
      if (change.reordered) out.push(`  （另有 ${change.reordered} 行只是在本页换了位置，文字未变，未列出）`);
    }
    previous = change;
  }
  out.push('');
  if (report.affected && report.affected.length > 0) {
    // A table's count is of its rows that changed (a row may have several changed cells).
    out.push('影响：', ...report.affected.map((a) => `  ${a.name}（${a.changes} ${a.kind === 'table' ? '行有改动' : '处'}）`));
  }
  out.push(paint('bold', summaryLine(report)));
  return out.join('\n') + '\n';
}

/** Text cells (not figures) that change the same way in this many places or more are listed once. */
const REPEATED_TEXT_CHANGE = 3;

/** old → new text changes of a data diff's cells that occur at least REPEATED_TEXT_CHANGE times, with their counts. */
function repeatedTextChanges(report: DiffReport): Map<string, number> {
  const counts = new Map<string, number>();
  if (report.kind !== 'data') return counts;
  for (const change of report.changes) {
    if (!isCellChange(change)) continue;
    for (const f of change.hunks.flatMap((h) => h.figures)) {
      if (/^[-\d.,%]*$/.test(f.old) && /^[-\d.,%]*$/.test(f.new)) continue; // figures are each listed
      const pair = `${f.old}\u0000${f.new}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  for (const [pair, n] of counts) if (n < REPEATED_TEXT_CHANGE) counts.delete(pair);
  return counts;
}

/** A data diff's changed table row: cells with paths, no lines. */
function isCellChange(change: DiffChange): boolean {
  return change.status === 'changed' && change.hunks.every((h) => h.removed.length === 0 && h.added.length === 0 && h.figures.every((f) => f.path));
}

/** The report as JSON, with the exit code it gives (0 same, 1 different), as the error object (exit 2) has one too. */
export function formatDiffJson(report: DiffReport): string {
  const { schema, ...rest } = report;
  return JSON.stringify({ schema, exitCode: report.same ? 0 : 1, ...rest }, null, 2) + '\n';
}

function describeSide(side: DiffReport['old']): string {
  return side.pages === undefined ? side.file : `${side.file}（${side.pages} 页）`;
}

function changeHeading(report: DiffReport, change: DiffChange): string {
  if (report.kind === 'data' || change.path) {
    const where = (change.path ?? []).join(' › ');
    return change.status === 'changed' ? where : `${where}（${change.status === 'added' ? '新增' : '删除'}）`;
  }
  const section = change.section ? ` · ${change.section}` : '';
  switch (change.status) {
    case 'added':
      return `第 ${change.newPage} 页（新增页）${section}`;
    case 'removed':
      return `原第 ${change.oldPage} 页（已删除）${section}`;
    case 'changed':
      return change.oldPage === change.newPage
        ? `第 ${change.newPage} 页${section}`
        : `第 ${change.newPage} 页（原第 ${change.oldPage} 页）${section}`;
  }
}

function hunkLines(hunk: DiffHunk, paint: Paint, color: boolean): string[] {
  const marked = markedLines(hunk.removed.map((l) => l.text), hunk.added.map((l) => l.text), color);
  // A line of figures only names its row (the line above it with words) at its end.
  const row = (l: DiffLine) => (l.context ? `    （${l.context}）` : '');
  const lines = [
    ...marked.removed.map((text, i) => paint('red', `- ${text}${row(hunk.removed[i]!)}`)),
    ...marked.added.map((text, i) => paint('green', `+ ${text}${row(hunk.added[i]!)}`)),
  ];
  if (hunk.figures.length > 0) lines.push(paint('yellow', `  数字变化：${countedFigures(hunk.figures).join('；')}`));
  return lines;
}

/** Hunks larger than this (lines removed × added) are shown unmarked: a table page rewritten. */
const MARK_MAX_PAIRS = 2500;

/**
 * The words that changed inside a line, marked against the line it replaces (pairSimilarLines):
 * [-removed-] and {+added+} as git's word diff writes them, or in reverse video on a terminal. A
 * line with no counterpart is shown as it is.
 */
function markedLines(removed: string[], added: string[], color: boolean): { removed: string[]; added: string[] } {
  const out = { removed: [...removed], added: [...added] };
  if (removed.length === 0 || added.length === 0 || removed.length * added.length > MARK_MAX_PAIRS) return out;
  const [delOpen, delClose, addOpen, addClose] = color ? ['\u001b[7m', '\u001b[27m', '\u001b[7m', '\u001b[27m'] : ['[-', '-]', '{+', '+}'];
  for (const [i, j] of pairSimilarLines(removed, added)) {
    const a = markTokens(removed[i]!);
    const b = markTokens(added[j]!);
    const kept = { a: new Set<number>(), b: new Set<number>() };
    for (const step of align(a.length, b.length, (x, y) => (a[x] === b[y] ? 1 : 0))) {
      if (step.kind !== 'pair') continue;
      kept.a.add(step.a);
      kept.b.add(step.b);
    }
    out.removed[i] = markRuns(a, kept.a, delOpen, delClose);
    out.added[j] = markRuns(b, kept.b, addOpen, addClose);
  }
  return out;
}

/** The tokens joined, each run of tokens not `kept` between `open` and `close`. */
function markRuns(tokens: readonly string[], kept: ReadonlySet<number>, open: string, close: string): string {
  let text = '';
  tokens.forEach((token, k) => {
    const changed = !kept.has(k);
    if (changed && (k === 0 || kept.has(k - 1))) text += open;
    text += token;
    if (changed && (k === tokens.length - 1 || kept.has(k + 1))) text += close;
  });
  return text;
}

function describeFigure(figure: FigureChange): string {
  const where = figure.path && figure.path.length > 0 ? `${figure.path.join(' › ')}: ` : '';
  return `${where}${shownValue(figure.old)} → ${shownValue(figure.new)}`;
}

/** An empty table cell, so `126.22 → ` does not read as a cut-off line. */
function shownValue(value: string): string {
  return value === '' ? '（空）' : value;
}

function summaryLine(report: DiffReport): string {
  const unit = report.kind === 'pdf' ? '页' : '处';
  const { changed, added, removed, unchanged } = report.summary;
  if (report.same) {
    if (report.kind === 'data') return '两份数据生成的公开内容相同（各表、正文与标题）。';
    return `文字相同，共 ${report.new.pages ?? unchanged} 页。`;
  }
  return `有差异：${changed} ${unit}改动，${added} ${unit}新增，${removed} ${unit}删除，${unchanged} ${unit}相同。`;
}

/** The figure changes of a hunk, each different one once, with how often it occurs (866.01 → 870.00（12 处）). */
function countedFigures(figures: readonly FigureChange[]): string[] {
  const counts = new Map<string, number>();
  for (const figure of figures) {
    const text = describeFigure(figure);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, n]) => (n > 1 ? `${text}（${n} 处）` : text));
}
