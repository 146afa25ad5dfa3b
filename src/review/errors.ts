/**
 * Errors for inputs that `diff` (and the rest of review) cannot read. They carry a
 * Finding so the CLI prints a one-line, bilingual message, never a stack trace.
 */
import type { Finding } from '../budget/findings.js';

export type ReviewInputRule =
  | 'review.missing-file'
  | 'review.unreadable-file'
  | 'review.not-pdf'
  | 'review.damaged-pdf'
  | 'review.encrypted-pdf';

export class ReviewInputError extends Error {
  override readonly name = 'ReviewInputError';

  constructor(
    readonly rule: ReviewInputRule,
    /** The file as the user named it. */
    readonly file: string,
    /** Chinese and English, naming the file. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get finding(): Finding {
    return { rule: this.rule, severity: 'error', message: this.message };
  }
}
