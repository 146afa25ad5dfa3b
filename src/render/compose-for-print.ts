/**
 * The steps between consistent data and drawing it: the format's templates and the fonts loaded,
 * the document composed (every text filled in, every table laid out) and each character checked
 * against its role's font. Shared by `render`, which then draws the PDF, and by `check`, so that
 * what check passes, render does not refuse. Loads no PDF code (pdfmake stays out of check).
 */
import type { Finding } from '../budget/findings.js';
import type { Budget } from '../budget/model.js';
import { composeDocument, type ComposedDocument } from '../layout/compose.js';
import { TemplateError } from '../layout/report-outline.js';
import { loadTemplateSet, type TemplateSet } from '../layout/template-set.js';
import { FontConfigError } from '../pdf/font-config.js';
import { loadFontSet, type FontSet } from '../pdf/fonts.js';
import { checkDocumentGlyphs } from './glyph-usage.js';

export type ComposeOutcome =
  /** Composed, every glyph present. */
  | { status: 0; findings: Finding[]; template: TemplateSet; fonts: FontSet; composed: ComposedDocument }
  /** Characters the fonts cannot draw: a data (or wording) error, at the lines that hold them. */
  | { status: 1; findings: Finding[]; template: TemplateSet; fonts: FontSet }
  /** The templates or fonts cannot be used (or the data names a format that does not exist). */
  | { status: 1 | 2; findings: Finding[]; template?: undefined; fonts?: undefined };

/** Never throws for a template or font configuration mistake: those come back as findings. */
export function composeForPrint(budget: Budget, file: string, fontConfig?: string): ComposeOutcome {
  let template: TemplateSet;
  let fonts: FontSet;
  let composed: ComposedDocument;
  try {
    template = loadTemplateSet(budget.format);
    fonts = loadFontSet(fontConfig);
    // Composing binds the layouts to the data: an unknown figure or placeholder is a template error too.
    composed = composeDocument(budget, template, fonts);
  } catch (error) {
    if (error instanceof TemplateError) {
      // A format that does not exist is the data's mistake (its `format:`), as check has always said.
      const onlyMissing = error.findings.every((f) => f.rule === 'template.missing');
      return { status: onlyMissing ? 1 : 2, findings: error.findings };
    }
    if (error instanceof FontConfigError) return { status: 2, findings: [error.finding] };
    throw error;
  }
  const glyphFindings = checkDocumentGlyphs(fonts, composed.definition, 'body', file, template.dir);
  if (glyphFindings.length > 0) return { status: 1, findings: glyphFindings, template, fonts };
  return { status: 0, findings: [], template, fonts, composed };
}
