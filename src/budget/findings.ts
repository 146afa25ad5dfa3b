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

/** A character's code point as messages name it: U+3000, U+2A6A5. */
export function codePointLabel(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Related places a text line lists at most; a run of consecutive lines counts as one. */
const RELATED_SHOWN = 40;

/**
 * The related places of a finding as a reader scans them: lines of the finding's own file as
 * 第 39、76–78、90 行 (every one of them, so the line someone changed is there), other files as
 * file:line. Empty when there are none besides the finding's own line.
 */
export function relatedText(f: Finding, file: string): string {
  const own = f.loc?.file ?? file;
  const related = f.related ?? [];
  const lines = [...new Set(related.filter((l) => l.file === own).map((l) => l.line))].filter((n) => n !== f.loc?.line).sort((a, b) => a - b);
  const entries: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    entries.push(j > i ? `${lines[i]}–${lines[j]}` : String(lines[i]));
    i = j + 1;
  }
  const others = [...new Set(related.filter((l) => l.file !== own).map((l) => `${l.file}:${l.line}`))];
  if (entries.length + others.length === 0) return '';
  const shownLines = entries.slice(0, RELATED_SHOWN);
  const shownOthers = others.slice(0, Math.max(0, RELATED_SHOWN - shownLines.length));
  const parts = [shownLines.length ? `第 ${shownLines.join('、')} 行` : '', shownOthers.join('、')].filter((p) => p !== '');
  const cut = shownLines.length < entries.length || shownOthers.length < others.length;
  return `（另见 ${parts.join('，')}${cut ? ` 等，共 ${lines.length + others.length} 处（--format json 列出全部）` : ''}）`;
}

/** One finding as a line of text output: `file:line:col  rule  message（另见 …）`. */
export function findingText(f: Finding, file: string): string {
  return `${f.loc ? formatLoc(f.loc) : file}  ${f.rule}  ${f.severity === 'warning' ? '警告：' : ''}${f.message}${relatedText(f, file)}`;
}
