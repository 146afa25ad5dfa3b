/**
 * `budget-pdf diff OLD.yaml NEW.yaml`: load both data files, build what each publication
 * would show (no PDF is rendered) and report the differences. Returns the exit code and
 * output instead of printing, like runPdfDiff.
 */
import { loadBudget, type LoadedBudget } from '../budget/load.js';
import type { Budget } from '../budget/model.js';
import { TemplateError } from '../layout/report-outline.js';
import { loadTemplateSet, type TemplateSet } from '../layout/template-set.js';
import { comparablePublication, diffPublications } from './data-diff.js';
import type { CommandResult, DiffOptions } from './diff-command.js';
import { DIFF_SCHEMA, summarize, type DiffReport } from './diff-report.js';
import { formatDiffJson, formatDiffText } from './format.js';
import { inputFailure, type InputProblem } from './input-failure.js';

export async function runDataDiff(oldPath: string, newPath: string, options: DiffOptions): Promise<CommandResult> {
  const loaded = [loadBudget(oldPath), loadBudget(newPath)];
  // Report every file that cannot be compared, not just the first.
  const problems = loaded.flatMap(cannotCompare);
  if (problems.length > 0) return inputFailure(problems, options);

  const [before, after] = loaded.map((l) => l.budget!) as [Budget, Budget];
  const templates: TemplateSet[] = [];
  for (const budget of [before, after]) {
    try {
      templates.push(loadTemplateSet(budget.format));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const message = `无法比较 ${budget.file}：公开格式“${budget.format}”不能使用。`;
      return inputFailure([{ rule: 'review.unknown-format', file: budget.file, message, details: error.findings }], options);
    }
  }

  const diff = diffPublications(comparablePublication(before, templates[0]!), comparablePublication(after, templates[1]!));
  const report: DiffReport = {
    schema: DIFF_SCHEMA,
    kind: 'data',
    old: { file: oldPath },
    new: { file: newPath },
    same: diff.changes.length === 0,
    summary: summarize(diff.changes, diff.unchanged),
    changes: diff.changes,
    affected: diff.affected,
  };
  const stdout = options.format === 'json' ? formatDiffJson(report) : formatDiffText(report, { color: options.color });
  // A file that loads but breaks consistency rules is still compared; say so beside the output.
  const stderr = loaded.map(ruleErrorNote).join('');
  return { exitCode: report.same ? 0 : 1, stdout, stderr };
}

/** Why a data file cannot be compared (unreadable, or errors that stop it loading); [] when it can. */
function cannotCompare(loaded: LoadedBudget): InputProblem[] {
  if (loaded.budget) return [];
  const errors = loaded.findings.filter((f) => f.severity === 'error');
  const why = loaded.unreadable ? '文件无法读取或解析' : `数据有 ${errors.length} 个错误，无法载入`;
  return [{ rule: 'review.unloadable-data', file: loaded.file, message: `无法比较 ${loaded.file}：${why}。`, details: errors }];
}

function ruleErrorNote(loaded: LoadedBudget): string {
  const errors = loaded.findings.filter((f) => f.severity === 'error').length;
  if (errors === 0) return '';
  return `注意：${loaded.file} 有 ${errors} 个数据错误（运行 budget-pdf check ${loaded.file} 查看），仍按其数据比较。\n`;
}
