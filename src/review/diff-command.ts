/**
 * `budget-pdf diff OLD.pdf NEW.pdf`: read both PDFs, compare their page texts and
 * render the result. Returns the exit code and output instead of printing, so the
 * CLI stays thin and tests need no process.
 */
import { DIFF_SCHEMA, summarize, type DiffReport } from './diff-report.js';
import { formatDiffJson, formatDiffText } from './format.js';
import { inputFailure, readAll } from './input-failure.js';
import { diffPdfPages } from './pdf-diff.js';
import { readPdfPageTexts } from './pdf-text.js';

export interface DiffOptions {
  format: 'text' | 'json';
  color: boolean;
}

export interface CommandResult {
  /** 0: same text; 1: the text differs; 2: an input could not be read. */
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export async function runPdfDiff(oldPath: string, newPath: string, options: DiffOptions): Promise<CommandResult> {
  const read = await readAll([readPdfPageTexts(oldPath), readPdfPageTexts(newPath)]);
  if (read.problems.length > 0) return inputFailure(read.problems, options);
  const [oldPages, newPages] = read.values as [string[], string[]];

  const diff = diffPdfPages(oldPages, newPages);
  const report: DiffReport = {
    schema: DIFF_SCHEMA,
    kind: 'pdf',
    old: { file: oldPath, pages: diff.oldPageCount },
    new: { file: newPath, pages: diff.newPageCount },
    same: diff.changes.length === 0,
    summary: summarize(diff.changes, diff.unchangedPages),
    changes: diff.changes,
  };
  const stdout = options.format === 'json' ? formatDiffJson(report) : formatDiffText(report, { color: options.color });
  return { exitCode: report.same ? 0 : 1, stdout, stderr: '' };
}
