/** `budget-pdf check FILE...`: findings as `file:line:col  rule  message`, or JSON for CI. */
import { findingText } from '../budget/findings.js';
import { loadBudget, type LoadedBudget } from '../budget/load.js';
import type { TemplateError } from '../layout/report-outline.js';
import { textIdsOfFormat } from '../layout/template-set.js';

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
function checkFile(file: string): LoadedBudget {
  let unusable: TemplateError | undefined;
  const loaded = loadBudget(file, { textIds: textIdsOfFormat((error) => (unusable = error)) });
  if (!unusable) return loaded;
  const at = loaded.locate('format');
  return { ...loaded, findings: [...loaded.findings, ...unusable.findings.map((f) => (f.loc ? f : { ...f, ...(at ? { loc: at } : {}) }))] };
}

/** Exit 0 without errors, 1 with consistency or schema errors, 2 when a file cannot be read or parsed. */
export function runCheck(files: string[], options: CheckOptions): CommandResult {
  const results = files.map(checkFile);
  const all = results.flatMap((r) => r.findings.map((f) => ({ ...f, file: r.file })));
  const errors = all.filter((f) => f.severity === 'error').length;
  const warnings = all.length - errors;
  const exitCode = results.some((r) => r.unreadable) ? 2 : errors > 0 ? 1 : 0;
  if (options.format === 'json') {
    const json = {
      files: results.map((r) => ({ file: r.file, readable: !r.unreadable, findings: r.findings })),
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
