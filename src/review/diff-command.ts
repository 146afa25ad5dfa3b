/**
 * `budget-pdf diff OLD.pdf NEW.pdf`: read both PDFs, compare their page texts and
 * render the result. Returns the exit code and output instead of printing, so the
 * CLI stays thin and tests need no process.
 */
import { DIFF_SCHEMA, summarize, type DiffReport } from './diff-report.js';
import { ReviewInputError } from './errors.js';
import { formatDiffJson, formatDiffText } from './format.js';
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
  const [oldRead, newRead] = await Promise.allSettled([readPdfPageTexts(oldPath), readPdfPageTexts(newPath)]);
  // Report every unreadable input at once, not just the first.
  const failures = [oldRead, newRead].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    for (const failure of failures) if (!(failure instanceof ReviewInputError)) throw failure;
    const stderr = (failures as ReviewInputError[]).map((e) => `错误 [${e.rule}] ${e.message}\n`).join('');
    return { exitCode: 2, stdout: '', stderr };
  }
  const oldPages = (oldRead as PromiseFulfilledResult<string[]>).value;
  const newPages = (newRead as PromiseFulfilledResult<string[]>).value;

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
