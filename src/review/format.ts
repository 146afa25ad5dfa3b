/**
 * Render a DiffReport for people (plain text, ANSI colour only when asked) or for
 * programs (JSON, the shape documented in diff-report.ts).
 */
import type { DiffChange, DiffHunk, DiffReport, FigureChange } from './diff-report.js';

export interface TextFormatOptions {
  /** ANSI colours; the CLI passes stdout.isTTY. */
  color: boolean;
}

const ANSI = { bold: '1', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
type Style = keyof typeof ANSI;

export function formatDiffText(report: DiffReport, options: TextFormatOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  out.push(paint('bold', `比较 ${describeSide(report.old)} → ${describeSide(report.new)}`));
  for (const change of report.changes) {
    out.push('');
    out.push(paint('cyan', changeHeading(report, change)));
    for (const hunk of change.hunks) out.push(...hunkLines(hunk, paint));
  }
  out.push('');
  out.push(paint('bold', summaryLine(report)));
  return out.join('\n') + '\n';
}

export function formatDiffJson(report: DiffReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function describeSide(side: DiffReport['old']): string {
  return side.pages === undefined ? side.file : `${side.file}（${side.pages} 页）`;
}

function changeHeading(report: DiffReport, change: DiffChange): string {
  if (report.kind === 'data' || change.path) {
    const where = (change.path ?? []).join(' › ');
    return change.status === 'changed' ? where : `${where}（${change.status === 'added' ? '新增' : '删除'}）`;
  }
  switch (change.status) {
    case 'added':
      return `第 ${change.newPage} 页（新增页）`;
    case 'removed':
      return `原第 ${change.oldPage} 页（已删除）`;
    case 'changed':
      return change.oldPage === change.newPage
        ? `第 ${change.newPage} 页`
        : `第 ${change.newPage} 页（原第 ${change.oldPage} 页）`;
  }
}

function hunkLines(hunk: DiffHunk, paint: (style: Style, text: string) => string): string[] {
  const lines = [
    ...hunk.removed.map((l) => paint('red', `- ${l.text}`)),
    ...hunk.added.map((l) => paint('green', `+ ${l.text}`)),
  ];
  if (hunk.figures.length > 0) lines.push(paint('yellow', `  数字变化：${hunk.figures.map(describeFigure).join('；')}`));
  return lines;
}

function describeFigure(figure: FigureChange): string {
  const where = figure.path && figure.path.length > 0 ? `${figure.path.join(' › ')}: ` : '';
  return `${where}${figure.old} → ${figure.new}`;
}

function summaryLine(report: DiffReport): string {
  const unit = report.kind === 'pdf' ? '页' : '处';
  const { changed, added, removed, unchanged } = report.summary;
  if (report.same) {
    const scope = report.kind === 'pdf' ? `，共 ${report.new.pages ?? unchanged} 页` : '';
    return `文字相同${scope}。`;
  }
  return `有差异：${changed} ${unit}改动，${added} ${unit}新增，${removed} ${unit}删除，${unchanged} ${unit}相同。`;
}
