/**
 * The words of a publication as data to compare: the sentences of each section's narrative
 * (by section, in report.yaml order) and the headings and table titles, rendered from the
 * template set exactly as the composer renders them.
 */
import type { Budget } from '../budget/model.js';
import type { Views } from '../budget/views.js';
import type { NarrativeContext } from '../layout/narrative.js';
import type { TemplateSet } from '../layout/template-set.js';
import { fillPlaceholders, tablePlaceholders } from './table-entries.js';

export interface SectionEntry {
  /** Identity across versions: part id and the heading as written in report.yaml (not rendered, so a renamed unit keeps it). */
  key: string;
  /** Part label and rendered headings, e.g. ["第二部分", "一、收入支出预算总体情况说明"]. */
  path: string[];
  sentences: string[];
}

/** Every part and section that has text, with the sentences of its paragraphs. */
export function sectionEntries(template: TemplateSet, ctx: NarrativeContext): SectionEntry[] {
  const { narrative } = template;
  const sentencesOf = (textId: string) => narrative.paragraphs(textId, ctx).flatMap(splitSentences);
  const entries: SectionEntry[] = [];
  for (const part of template.outline.parts) {
    if (part.text) entries.push({ key: part.id, path: [part.label, narrative.line(part.title, ctx)], sentences: sentencesOf(part.text) });
    for (const section of part.sections) {
      const key = `${part.id}/${section.heading}`;
      const path = [part.label, narrative.line(section.heading, ctx)];
      if (section.text) entries.push({ key, path, sentences: sentencesOf(section.text) });
      for (const sub of section.subsections) {
        entries.push({ key: `${key}/${sub.heading}`, path: [...path, narrative.line(sub.heading, ctx)], sentences: sentencesOf(sub.text) });
      }
    }
  }
  return entries;
}

/**
 * The publication's own lines outside the narrative: title, part and section headings,
 * the attachments heading, and each table's title and unit line — where a new year or a
 * renamed unit shows. A line the tables repeat (单位名称：… 单位：万元) is listed once.
 */
export function headingLines(budget: Budget, views: Views, template: TemplateSet, ctx: NarrativeContext): string[] {
  const { outline, narrative } = template;
  const lines = [narrative.line(outline.title, ctx)];
  for (const part of outline.parts) {
    lines.push(`${part.label} ${narrative.line(part.title, ctx)}`);
    for (const section of part.sections) {
      lines.push(narrative.line(section.heading, ctx));
      for (const sub of section.subsections) lines.push(narrative.line(sub.heading, ctx));
    }
  }
  lines.push(narrative.line(outline.attachments.heading, ctx));
  const placeholders = tablePlaceholders(budget, views);
  for (const ref of outline.attachments.tables) {
    const layout = template.tables.get(ref.id);
    if (!layout) continue;
    lines.push(fillPlaceholders(layout.title, placeholders));
    const unitLine = layout.unitLineLabel !== null ? `${layout.unitLineLabel}：${views.unitLine}` : '';
    const amountUnit = layout.amountUnitLine ? `单位：${views.amountUnit}` : '';
    if (unitLine || amountUnit) lines.push([unitLine, amountUnit].filter(Boolean).join(' '));
  }
  return [...new Set(lines)];
}

/**
 * Sentences of a paragraph, each with its closing mark: split after 。！？ and after ；,
 * since the publication strings long lists of figures together with ；. A closing quote
 * or bracket stays with the sentence it closes.
 */
export function splitSentences(paragraph: string): string[] {
  const sentences = paragraph.match(/[^。！？；]+(?:[。！？；]+[”’）」』]*)?|[。！？；]+[”’）」』]*/g) ?? [];
  return sentences.map((s) => s.trim()).filter((s) => s.length > 0);
}
