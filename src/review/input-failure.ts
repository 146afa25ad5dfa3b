/**
 * Why `diff` could not compare its inputs (exit 2), said the same way by every kind of diff.
 * stderr gets one `错误 [rule] message` line per problem (its findings indented below) in both
 * formats; with `--format json` stdout also gets one JSON object, so a tool always has
 * something to parse:
 *   { "schema": "budget-pdf.diff/1", "exitCode": 2,
 *     "findings": [ { "rule": "review.not-pdf", "severity": "error", "file": "x.pdf", "message": "…" } ] }
 * `findings` holds each problem and then the findings behind it (a data file's errors with their
 * `loc`), each naming its `file` — the same Finding fields `check --format json` lists.
 */
import { findingText, type Finding } from '../budget/findings.js';
import type { CommandResult, DiffOptions } from './diff-command.js';
import { DIFF_SCHEMA } from './diff-report.js';
import { ReviewInputError } from './errors.js';

export interface InputProblem {
  rule: string;
  /** The input it is about, as the user named it. */
  file?: string;
  message: string;
  /** What lies behind it: a data file's errors, a template set's problems. */
  details?: readonly Finding[];
}

export type FoundFinding = Finding & { file?: string };

export function inputFailure(problems: readonly InputProblem[], options: Pick<DiffOptions, 'format'>): CommandResult {
  const stderr = problems.map(problemLines).join('');
  if (options.format !== 'json') return { exitCode: 2, stdout: '', stderr };
  const findings: FoundFinding[] = problems.flatMap((p) => [
    { rule: p.rule, severity: 'error' as const, ...(p.file === undefined ? {} : { file: p.file }), message: p.message },
    ...(p.details ?? []).map((d) => ({ ...d, file: d.loc?.file ?? p.file })),
  ]);
  return { exitCode: 2, stdout: `${JSON.stringify({ schema: DIFF_SCHEMA, exitCode: 2, findings }, null, 2)}\n`, stderr };
}

/**
 * Wait for every read and keep each failure, so all bad inputs are named at once, not only the
 * first. A rejection that is not a ReviewInputError is a bug, not bad input, and is rethrown.
 */
export async function readAll<T>(reads: readonly Promise<T>[]): Promise<{ values: T[]; problems: InputProblem[] }> {
  const settled = await Promise.allSettled(reads);
  const values: T[] = [];
  const problems: InputProblem[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') values.push(result.value);
    else if (result.reason instanceof ReviewInputError) problems.push(result.reason);
    else throw result.reason;
  }
  return { values, problems };
}

function problemLines(problem: InputProblem): string {
  const details = (problem.details ?? []).map((f) => `  ${findingText(f, problem.file ?? '')}\n`);
  return `错误 [${problem.rule}] ${problem.message}\n${details.join('')}`;
}
