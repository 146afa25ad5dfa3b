/**
 * A template set (templates/<format>/): the outline, the compiled text templates and
 * the table layouts. Loaded and compiled once per process per format, then shared by
 * every document rendered in that format.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NarrativeTemplates } from './narrative.js';
import { loadReportOutline, TemplateError, type ReportOutline } from './report-outline.js';
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
  const dir = format.includes('/') || format.includes('\\') ? resolve(format) : join(TEMPLATES_ROOT, format);
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
  const set: TemplateSet = {
    format,
    dir,
    outline: loadReportOutline(join(dir, 'report.yaml')),
    narrative: new NarrativeTemplates(join(dir, 'text')),
    tables: loadTableLayouts(join(dir, 'tables')),
  };
  cache.set(dir, set);
  return set;
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
