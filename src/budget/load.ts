/**
 * Loading a unit's data file: read, parse, check the shape, build the model, then run
 * the consistency rules. Never throws for bad input; everything wrong becomes a Finding.
 */
import { hasErrors, type Finding } from './findings.js';
import { loadYamlWithSchema } from './schema.js';
import { budgetFileSchema, toBudget } from './budget-schema.js';
import { checkBudget, type Locate } from './checks.js';
import type { Budget } from './model.js';

export interface LoadedBudget {
  file: string;
  /** Present when the file has the right shape (it may still have consistency errors). */
  budget?: Budget;
  findings: Finding[];
  locate: Locate;
  /** The file could not be read or parsed at all (exit code 2 in `check`). */
  unreadable: boolean;
}

export interface LoadBudgetOptions {
  /**
   * The ids `texts:` may override in a format (the template set knows them, this module does not);
   * undefined when the format cannot be loaded, and the keys then go unchecked.
   */
  textIds?: (format: string) => readonly string[] | undefined;
}

export function loadBudget(file: string, options: LoadBudgetOptions = {}): LoadedBudget {
  const read = loadYamlWithSchema(file, budgetFileSchema);
  if (!read.value || hasErrors(read.findings)) {
    return { file, findings: read.findings, locate: read.locate, unreadable: read.unreadable };
  }
  const budget = toBudget(file, read.value);
  const checked = checkBudget(budget, read.locate, { textIds: options.textIds?.(budget.format), isBlank: read.isBlank });
  return { file, budget, findings: [...read.findings, ...checked], locate: read.locate, unreadable: false };
}
