/**
 * Findings: what `check` (and the loader) report. Every finding names a rule id,
 * a severity and a message in Chinese, and points at the YAML that caused it.
 */

/** A place in a source file; line and col are 1-based. */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable id, e.g. `yaml.syntax`, `sum.total-income-expense`. */
  rule: string;
  severity: Severity;
  /** Chinese message; names the figures on both sides and the difference where there are figures. */
  message: string;
  /** Where the finding points first (the value that is most likely wrong). */
  loc?: SourceLoc;
  /** Other places that take part (the other side of a sum, the first of two duplicates). */
  related?: SourceLoc[];
  /** Field path in the data, e.g. `projects[3].amount`. */
  path?: string;
}

export function formatLoc(loc: SourceLoc | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '-';
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
