/**
 * report.yaml: the outline of one publication format — page setup, text styles,
 * metadata, the parts and their sections, and the attached tables in order.
 * Read with the same schema DSL as the data, so mistakes name file and line.
 */
import { s, type Infer, loadYamlWithSchema } from '../budget/schema.js';
import { hasErrors, type Finding, type SourceLoc } from '../budget/findings.js';
import { FONT_ROLES } from '../pdf/font-roles.js';
import type { NarrativeTemplates } from './narrative.js';

const style = s.object({
  role: s.enum(FONT_ROLES as unknown as readonly ['title', 'heading', 'subheading', 'body', 'table', 'tableHeader']),
  size: s.amount(),
  lineHeight: s.optional(s.amount()),
});

const textBlock = s.object({
  heading: s.string({ nonEmpty: true }),
  text: s.string({ nonEmpty: true }),
});

const section = s.object({
  // The 目录 lists a section only when it has a toc line (the reference lists 第一部分 sections only).
  toc: s.optional(s.string({ nonEmpty: true })),
  heading: s.string({ nonEmpty: true }),
  text: s.optional(s.string({ nonEmpty: true })),
  subsections: s.optional(s.list(textBlock), []),
});

const margins = s.list(s.int({ min: 0, max: 200 }), { minItems: 4 });

export const reportOutlineSchema = s.object({
  name: s.string({ nonEmpty: true }),
  page: s.object({
    size: s.enum(['A4'] as const),
    margins,
    landscapeMargins: margins,
    // {page} is the only placeholder: any other would print as written on every page.
    pageNumber: s.refine(s.string({ nonEmpty: true }), 'template.page-number', (text) => {
      const unknown = [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((name) => name !== 'page');
      if (unknown.length > 0) return `页码格式只认 {page}，没有 ${unknown.map((n) => `{${n}}`).join('、')}；例如 "— {page} —" 或 "第 {page} 页"`;
      if (!text.includes('{page}')) return `页码格式“${text}”里没有 {page}，每页会印同样的字；例如 "— {page} —" 或 "第 {page} 页"`;
      return undefined;
    }),
    /** The title on a page of its own, without a page number, and the 目录 from the next page; else both on page 1. */
    cover: s.optional(s.boolean(), false),
  }),
  styles: s.object({
    title: style,
    tocTitle: style,
    toc: style,
    partLabel: style,
    partTitle: style,
    heading: style,
    subheading: style,
    body: style,
    tableTitle: style,
    tableMeta: style,
    pageNumber: style,
  }),
  metadata: s.object({ title: s.string(), subject: s.string(), keywords: s.string() }),
  title: s.string({ nonEmpty: true }),
  toc: s.object({ title: s.string({ nonEmpty: true }) }),
  parts: s.list(
    s.object({
      id: s.string({ nonEmpty: true }),
      label: s.string({ nonEmpty: true }),
      title: s.string({ nonEmpty: true }),
      text: s.optional(s.string({ nonEmpty: true })),
      sections: s.optional(s.list(section), []),
    }),
    { minItems: 1 },
  ),
  attachments: s.object({
    toc: s.string({ nonEmpty: true }),
    heading: s.string({ nonEmpty: true }),
    tables: s.list(s.object({ id: s.string({ nonEmpty: true }), toc: s.string({ nonEmpty: true }) }), { minItems: 1 }),
    /** What the format publishes in no table on purpose (format-coverage.ts): no warning for a unit that has it. */
    leavesOut: s.optional(s.list(s.enum(['government_fund', 'state_capital', 'three_public', 'projects'] as const)), []),
  }),
});

export type ReportOutline = Infer<typeof reportOutlineSchema>;
export type TextStyleSpec = ReportOutline['styles']['body'];

/** A template set that cannot be used; carries findings that name the file and line. */
export class TemplateError extends Error {
  /**
   * The format's texts, when they loaded though another part did not: check still fills them in,
   * so a text's mistakes are not held back until the tables are fixed.
   */
  narrative?: NarrativeTemplates;

  constructor(readonly findings: Finding[]) {
    super(findings.map((f) => `${f.loc ? `${f.loc.file}:${f.loc.line}:${f.loc.col} ` : ''}${f.message}`).join('\n'));
    this.name = 'TemplateError';
  }
}

export function loadReportOutline(file: string): ReportOutline {
  return readReportOutline(file).outline;
}

/** report.yaml and where each of its values is (`attachments.tables[3].id` → file:line:col). */
export function readReportOutline(file: string): { outline: ReportOutline; locate: (path: string) => SourceLoc | undefined } {
  const read = loadYamlWithSchema(file, reportOutlineSchema);
  if (!read.value || hasErrors(read.findings)) throw new TemplateError(read.findings);
  return { outline: read.value, locate: read.locate };
}
