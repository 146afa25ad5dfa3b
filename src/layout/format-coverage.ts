/**
 * What a unit has that its publication format would print in no table. A format may leave a
 * table out (a region whose units have no 国有资本经营 spending), but a unit that has such spending
 * would then publish a budget that hides it. Warnings, not errors: the format is the bureau's
 * decision, yet the officer publishing should hear of it before the PDF goes out.
 */
import { fixed2, isZero } from '../budget/decimal.js';
import { deriveFigures, type BudgetFigures } from '../budget/derive.js';
import type { Finding, SourceLoc } from '../budget/findings.js';
import type { Amount, Budget } from '../budget/model.js';
import type { TemplateSet } from './template-set.js';

/** The lists the format's tables print, and the figures its two-sided tables print. */
interface Shown {
  lists: Set<string>;
  figures: Set<string>;
}

function shownBy(template: TemplateSet): Shown {
  const shown: Shown = { lists: new Set(), figures: new Set() };
  const listed = new Set(template.outline.attachments.tables.map((ref) => ref.id));
  for (const layout of template.tables.values()) {
    if (!listed.has(layout.id)) continue;
    if (layout.body.kind === 'list') {
      shown.lists.add(layout.body.list);
      continue;
    }
    for (const side of layout.body.sides) {
      for (const row of [...side.rows, ...side.totalRows]) {
        for (const ref of row.figures) if (ref) shown.figures.add(ref.key);
      }
    }
  }
  return shown;
}

interface CoverageRule {
  /** How report.yaml's attachments.leavesOut names it. */
  id: 'government_fund' | 'state_capital' | 'three_public' | 'projects';
  /** What the unit has, as the publication names it. */
  what: string;
  amount: (figures: BudgetFigures) => Amount;
  /** Whether the format prints it somewhere. */
  printed: (shown: Shown) => boolean;
  /** What the format lacks, when not 列出它的表格. */
  missing?: string;
  /** How a format would print it, for the message. */
  how: string;
}

const anyFigure = (shown: Shown, test: (name: string) => boolean): boolean => [...shown.figures].some(test);

const RULES: readonly CoverageRule[] = [
  ...(['government_fund', 'state_capital'] as const).map((fund): CoverageRule => ({
    id: fund,
    what: fund === 'government_fund' ? '政府性基金预算支出' : '国有资本经营预算支出',
    amount: (figures) => figures.expenseByFund[fund],
    printed: (shown) =>
      shown.lists.has(`function-lines.${fund}`) ||
      anyFigure(shown, (name) => name === `expense.fund.${fund}` || (name.startsWith('expense.class.') && name.endsWith(`.${fund}`))),
    how: `list: function-lines.${fund} 的表格，或收支表中 expense.fund.${fund}、expense.class.<类>.${fund} 一类的数字`,
  })),
  {
    id: 'three_public',
    what: '“三公”经费',
    amount: (figures) => figures.threePublicTotal,
    printed: (shown) => shown.lists.has('three-public') || anyFigure(shown, (name) => name.startsWith('three_public.')),
    how: 'list: three-public 的表格',
  },
  {
    id: 'projects',
    what: '项目支出',
    // Its total may be in other tables; what goes unpublished is the list of projects.
    missing: '列出各个项目的表格',
    amount: (figures) => figures.project,
    printed: (shown) => shown.lists.has('projects') || shown.lists.has('performance'),
    how: 'list: projects 的表格',
  },
];

/** One warning per thing the unit has that no table of its format prints, at `at` (the data's format: line). */
export function unshownInFormat(budget: Budget, template: TemplateSet, at?: SourceLoc): Finding[] {
  const shown = shownBy(template);
  const figures = deriveFigures(budget);
  const leavesOut = template.outline.attachments.leavesOut;
  // A leavesOut entry for what the format does print: stale, and it would hide nothing.
  const stale = RULES.filter((rule) => leavesOut.includes(rule.id) && rule.printed(shown)).map((rule): Finding => ({
    rule: 'format.data-not-shown',
    severity: 'warning',
    message: `公开格式“${template.format}”的 attachments.leavesOut 写了 ${rule.id}，但格式有印出${rule.what}的表格；请从 leavesOut 中删去它。`,
    ...(at ? { loc: at } : {}),
  }));
  return [...stale, ...RULES.flatMap((rule): Finding[] => {
    const amount = rule.amount(figures);
    if (amount === null || isZero(amount) || rule.printed(shown) || leavesOut.includes(rule.id)) return [];
    return [{
      rule: 'format.data-not-shown',
      severity: 'warning',
      message:
        `本单位有${rule.what} ${fixed2(amount)} ${budget.amountUnit}，公开格式“${template.format}”却没有${rule.missing ?? '列出它的表格'}` +
        `（需要 ${rule.how}）：按此格式公开会漏掉这些数字。格式有意不列时，在 report.yaml 的 attachments.leavesOut 中写 ${rule.id}。`,
      ...(at ? { loc: at } : {}),
    }];
  })];
}
