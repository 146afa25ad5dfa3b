/** `budget-pdf check FILE...`: findings as `file:line:col  rule  message`, or JSON for CI. */
import { findingText, hasErrors } from '../budget/findings.js';
import { loadBudget, type LoadedBudget } from '../budget/load.js';
import type { Finding } from '../budget/findings.js';
import { unshownInFormat } from '../layout/format-coverage.js';
import { narrativeContext } from '../layout/narrative.js';
import type { TemplateError } from '../layout/report-outline.js';
import { loadTemplateSet, textIdsOfFormat } from '../layout/template-set.js';
import { composeForPrint } from '../render/compose-for-print.js';
import { BatchInputError, collectDataFiles, isDirectory } from '../render/batch-inputs.js';

/** The shape of `check --format json`, named as diff's is (budget-pdf.diff/1). */
export const CHECK_SCHEMA = 'budget-pdf.check/1';

export interface CheckOptions {
  format: 'text' | 'json';
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * One file, with its format's template set for what `texts:` may override. A format that cannot
 * be loaded is reported here, at `format:`, since render would refuse it.
 */
interface CheckedFile extends LoadedBudget {
  /** The data names a format whose template folder exists but cannot be used (a template author's mistake). */
  brokenTemplates: boolean;
}

function checkFile(file: string): CheckedFile {
  let unusable: TemplateError | undefined;
  const loaded = loadBudget(file, { textIds: textIdsOfFormat((error) => (unusable = error)) });
  if (!unusable) {
    // The texts filled in with this unit's figures, as render would: a field a text names that
    // does not exist shows here, not only when the PDF is made.
    if (!loaded.budget) return { ...loaded, brokenTemplates: false };
    const template = loadTemplateSet(loaded.budget.format);
    const trial: Finding[] = template.narrative.trial(narrativeContext(loaded.budget));
    const unshown = unshownInFormat(loaded.budget, template, loaded.locate('format'));
    const findings = [...loaded.findings, ...trial, ...unshown];
    if (trial.length > 0 || hasErrors(findings)) return { ...loaded, findings, brokenTemplates: trial.length > 0 };
    // Data render would accept: composed as render composes it, so a character the fonts lack or a
    // table that cannot be laid out is found here too.
    const composed = composeForPrint(loaded.budget, file);
    return { ...loaded, findings: [...findings, ...composed.findings], brokenTemplates: composed.status === 2 };
  }
  const at = loaded.locate('format');
  const broken = unusable.findings.some((f) => f.rule !== 'template.missing');
  // The texts loaded though a table did not: their mistakes too, in the same run.
  const trial = loaded.budget && unusable.narrative ? unusable.narrative.trial(narrativeContext(loaded.budget)) : [];
  return {
    ...loaded,
    findings: [...loaded.findings, ...unusable.findings.map((f) => (f.loc ? f : { ...f, ...(at ? { loc: at } : {}) })), ...trial],
    brokenTemplates: broken,
  };
}

/**
 * Exit 0 without errors, 1 with consistency or schema errors (a format that does not exist among
 * them), 2 when a file cannot be read or parsed or its format's templates cannot be used.
 */
export function runCheck(inputs: string[], options: CheckOptions): CommandResult {
  // A folder is its *.yaml files, as for render; files named are checked in the order given.
  let files: string[];
  try {
    files = [...new Set(inputs.flatMap((input) => (isDirectory(input) ? collectDataFiles([input]) : [input])))];
  } catch (error) {
    if (!(error instanceof BatchInputError)) throw error;
    const stdout = options.format === 'json'
      ? `${JSON.stringify({ schema: CHECK_SCHEMA, files: [], errors: 1, warnings: 0, exitCode: 2, usage: error.message }, null, 2)}\n`
      : '';
    return { exitCode: 2, stdout, stderr: options.format === 'json' ? '' : `${error.message}\n` };
  }
  const results = files.map(checkFile);
  const all = results.flatMap((r) => r.findings.map((f) => ({ ...f, file: r.file })));
  const errors = all.filter((f) => f.severity === 'error').length;
  const warnings = all.length - errors;
  const exitCode = results.some((r) => r.unreadable || r.brokenTemplates) ? 2 : errors > 0 ? 1 : 0;
  if (options.format === 'json') {
    const json = {
      schema: CHECK_SCHEMA,
      // Each finding names its file too, as diff's findings do.
      files: results.map((r) => ({ file: r.file, readable: !r.unreadable, findings: r.findings.map((f) => ({ file: r.file, ...f })) })),
      errors,
      warnings,
      exitCode,
    };
    return { exitCode, stdout: `${JSON.stringify(json, null, 2)}\n`, stderr: '' };
  }
  const lines = all.map((f) => findingText(f, f.file));
  const summary = `检查 ${files.length} 个文件：${errors} 个错误，${warnings} 个警告${exitCode === 0 ? '，通过' : ''}`;
  return { exitCode, stdout: [...lines, summary].join('\n') + '\n', stderr: '' };
}
