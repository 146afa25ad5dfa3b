/**
 * `budget-pdf fields FILE`: what a template author can use, with this unit's values. Everything a
 * text may quote ({{f.basic}}, {{unit.name}}), the helpers, the figures a two-sided table's rows
 * bind to (figures:) and the lists a table's columns bind to (list:, columns[].key), each listed
 * from the very objects the renderer uses, so the list is always complete and never out of date.
 */
import { Decimal } from 'decimal.js';
import stringWidth from 'string-width';
import { plain } from '../budget/decimal.js';
import { findingText } from '../budget/findings.js';
import { loadBudget } from '../budget/load.js';
import { buildViews, LIST_CELL_KEYS, LIST_NAMES, rowsOf } from '../budget/views.js';
import { narrativeContext } from '../layout/narrative.js';
import { TEXT_HELPERS } from '../layout/text-helpers.js';
import type { CommandResult } from './check.js';

/** Characters of a text value shown before it is cut short. */
const TEXT_SHOWN = 24;
/** Elements of a list shown, with their fields, before the rest is summarised. */
const ELEMENTS_SHOWN = 2;

function shown(value: unknown): string {
  if (value === null || value === undefined) return '（空）';
  if (value instanceof Decimal) return plain(value);
  if (typeof value === 'string') return value.length > TEXT_SHOWN ? `“${value.slice(0, TEXT_SHOWN)}…”` : `“${value}”`;
  return String(value);
}

/** Every path of a text template's context down to its values: `f.basic  245.23`. */
function contextLines(value: unknown, path: string, out: Array<[string, string]>): void {
  if (Array.isArray(value)) {
    out.push([path, `列表，${value.length} 项（{{#each ${path}}}…{{/each}}）`], [`${path}.length`, String(value.length)]);
    value.slice(0, ELEMENTS_SHOWN).forEach((element, i) => contextLines(element, `${path}.[${i}]`, out));
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Decimal)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push([path, '（无）']);
    for (const [key, child] of entries) contextLines(child, path ? `${path}.${key}` : key, out);
    return;
  }
  out.push([path, shown(value)]);
}

/** Two columns, the first padded to its widest entry as a terminal shows it (a CJK character is two columns). */
function aligned(rows: Array<[string, string]>, indent = '  '): string[] {
  const widest = Math.min(48, Math.max(...rows.map(([name]) => stringWidth(name))));
  return rows.map(([name, value]) => `${indent}${name}${' '.repeat(Math.max(1, widest - stringWidth(name) + 2))}${value}`);
}

export function runFields(file: string): CommandResult {
  const loaded = loadBudget(file);
  if (!loaded.budget) {
    const findings = loaded.findings.map((f) => findingText(f, file));
    return { exitCode: loaded.unreadable ? 2 : 1, stdout: '', stderr: `${findings.join('\n')}\n${file}：数据不完整，无法列出字段\n` };
  }
  const budget = loaded.budget;
  const views = buildViews(budget);
  const context: Array<[string, string]> = [];
  const { texts: _overrides, ...quotable } = narrativeContext(budget);
  contextLines(quotable, '', context);

  const lines = [
    `${file} 的模板可用字段（格式 ${budget.format}），值为本单位的数据`,
    '',
    '文字模板（text/*.hbs，以及 report.yaml 中的标题）可以引用：',
    ...aligned(context),
    '',
    'helper：',
    ...aligned(Object.entries(TEXT_HELPERS)),
    '',
    '两栏表（如收支总表）每行的 figures: 可绑定的数字：',
    ...aligned(Object.entries(views.figures).map(([name, value]) => [name, shown(value)])),
    '',
    '列表（表格布局的 list:）与每行的列（columns[].key）：',
    ...LIST_NAMES.flatMap((list) => [`  ${list}（本单位 ${rowsOf(views, list).length} 行）`, `    ${LIST_CELL_KEYS[list].join('、')}`]),
  ];
  return { exitCode: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}
