/**
 * A template set (templates/<format>/): the outline, the compiled text templates and
 * the table layouts. Loaded and compiled once per process per format, then shared by
 * every document rendered in that format.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NarrativeTemplates } from './narrative.js';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { isFormatPath } from '../budget/model.js';
import { nearest } from '../budget/schema.js';
import { readReportOutline, TemplateError, type ReportOutline } from './report-outline.js';
import { loadTableLayouts, noteTextId, TABLE_NOTE_FIELDS, type TableLayout } from './table-layout.js';

export interface TemplateSet {
  format: string;
  dir: string;
  outline: ReportOutline;
  narrative: NarrativeTemplates;
  tables: Map<string, TableLayout>;
}

/** templates/ of this installation, found from this module's place, not from the working directory. */
export const TEMPLATES_ROOT = resolve(fileURLToPath(new URL('../../templates', import.meta.url)));

const cache = new Map<string, TemplateSet>();

/** The template set for `format` (a folder name under templates/, or a path to a folder). */
export function loadTemplateSet(format: string): TemplateSet {
  const dir = isFormatPath(format) ? resolve(format) : join(TEMPLATES_ROOT, format);
  const cached = cache.get(dir);
  if (cached) return cached;
  if (!existsSync(join(dir, 'report.yaml'))) {
    const known = existsSync(TEMPLATES_ROOT) ? readdirSync(TEMPLATES_ROOT).filter((d) => existsSync(join(TEMPLATES_ROOT, d, 'report.yaml'))) : [];
    throw new TemplateError([{
      rule: 'template.missing',
      severity: 'error',
      message: `找不到公开格式“${format}”：${dir}/report.yaml 不存在；可用的格式：${known.join('、') || '（无）'}（数据文件中的 format 字段）`,
    }]);
  }
  // Every part is loaded, so one run names the mistakes of all files, not only the first.
  const findings: Finding[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      findings.push(...error.findings);
      return undefined;
    }
  };
  const reportFile = join(dir, 'report.yaml');
  const report = attempt(() => readReportOutline(reportFile));
  const narrative = attempt(() => new NarrativeTemplates(join(dir, 'text')));
  if (narrative) findings.push(...narrative.loadFindings);
  const tables = attempt(() => loadTableLayouts(join(dir, 'tables')));
  // Checked as far as the parts that loaded allow, so a broken table file does not hide a misnamed text.
  if (report) findings.push(...crossReferences(report.outline, (p) => report.locate(p) ?? { file: reportFile, line: 1, col: 1 }, narrative, tables ?? tableIdsOnDisk(join(dir, 'tables'))));
  if (findings.length > 0 || !report || !narrative || !tables) {
    const error = new TemplateError(findings);
    // The texts that compiled can still be filled in by check, so their mistakes come in this run too.
    if (narrative && report) error.narrative = narrative;
    throw error;
  }
  const set: TemplateSet = { format, dir, outline: report.outline, narrative, tables };
  cache.set(dir, set);
  return set;
}

/**
 * What report.yaml names must exist: each text/<id>.hbs and tables/<id>.yaml, and its inline
 * texts (title, headings, 目录 entries, metadata) must compile. Checked when the format is loaded,
 * so a template author's mistake is a finding at its line, before any document is composed.
 */
function crossReferences(
  outline: ReportOutline,
  locate: (path: string) => SourceLoc,
  narrative: NarrativeTemplates | undefined,
  tables: Map<string, TableLayout> | Set<string>,
): Finding[] {
  const findings: Finding[] = [];
  const textIds = narrative?.ids() ?? [];
  const text = (id: string | null, at: string): void => {
    if (id === null || !narrative || narrative.has(id)) return;
    const suggestion = nearest(id, textIds);
    findings.push({
      rule: 'template.unknown-text', severity: 'error', loc: locate(at), path: at,
      message: `report.yaml 引用的文字模板“${id}”不存在（text/${id}.hbs）；${suggestion ? `是否应为“${suggestion}”？` : ''}${textIds.length > 0 ? `现有：${textIds.join('、')}。` : 'text/ 中还没有 .hbs 文件。'}`,
    });
  };
  const inline = (source: string | null, at: string): void => {
    if (source === null || !narrative) return;
    const finding = narrative.checkLine(source, locate(at));
    if (finding) findings.push({ ...finding, path: at });
  };
  inline(outline.title, 'title');
  for (const field of ['title', 'subject', 'keywords'] as const) inline(outline.metadata[field], `metadata.${field}`);
  outline.parts.forEach((part, p) => {
    const at = `parts[${p}]`;
    inline(part.title, `${at}.title`);
    text(part.text, `${at}.text`);
    part.sections.forEach((section, i) => {
      const sat = `${at}.sections[${i}]`;
      inline(section.toc, `${sat}.toc`);
      inline(section.heading, `${sat}.heading`);
      text(section.text, `${sat}.text`);
      section.subsections.forEach((sub, j) => {
        inline(sub.heading, `${sat}.subsections[${j}].heading`);
        text(sub.text, `${sat}.subsections[${j}].text`);
      });
    });
  });
  inline(outline.attachments.toc, 'attachments.toc');
  inline(outline.attachments.heading, 'attachments.heading');
  const tableIds = [...tables.keys()].sort();
  const seen = new Set<string>();
  outline.attachments.tables.forEach((ref, i) => {
    const at = `attachments.tables[${i}]`;
    inline(ref.toc, `${at}.toc`);
    if (seen.has(ref.id)) {
      findings.push({ rule: 'template.duplicate-table', severity: 'error', loc: locate(`${at}.id`), path: `${at}.id`, message: `表格“${ref.id}”在 attachments.tables 中出现了两次。` });
    }
    seen.add(ref.id);
    if (tables.has(ref.id)) return;
    const suggestion = nearest(ref.id, tableIds);
    findings.push({
      rule: 'template.unknown-table', severity: 'error', loc: locate(`${at}.id`), path: `${at}.id`,
      message: `report.yaml 引用的表格“${ref.id}”没有布局文件（tables/${ref.id}.yaml）；${suggestion ? `是否应为“${suggestion}”？` : ''}${tableIds.length > 0 ? `现有：${tableIds.join('、')}。` : 'tables/ 中还没有布局文件。'}`,
    });
  });
  return findings;
}

/** The table ids a format's tables/ folder has files for, when some of them do not load. */
function tableIdsOnDisk(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir).filter((name) => /\.ya?ml$/i.test(name)).map((name) => name.replace(/\.ya?ml$/i, '')));
  } catch {
    return new Set();
  }
}

/**
 * The standard texts of a template set that a unit's data can replace with `texts: { <id>: … }`:
 * the narrative texts by template name (glossary, …) and the notes its tables have
 * (08-three-public.footnote, 09-government-fund.emptyNote, …).
 */
export function overridableTextIds(set: TemplateSet): string[] {
  const notes = [...set.tables.values()].flatMap((layout) =>
    TABLE_NOTE_FIELDS.filter((field) => layout[field] !== null).map((field) => noteTextId(layout.id, field)));
  return [...set.narrative.ids(), ...notes.sort()];
}

/**
 * `loadBudget`'s textIds option for a unit whose format may not load: the format's overridable
 * text ids, or undefined (and the format's TemplateError handed to `onUnusable`, if given).
 */
export function textIdsOfFormat(onUnusable?: (error: TemplateError) => void): (format: string) => readonly string[] | undefined {
  return (format) => {
    try {
      return overridableTextIds(loadTemplateSet(format));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      onUnusable?.(error);
      return undefined;
    }
  };
}
