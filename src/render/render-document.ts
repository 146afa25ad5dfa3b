/**
 * One publication from one data file: load and check, compose, check glyphs, render.
 * Used by `render` for a single file and by each batch worker; writes nothing itself.
 */
import { hasErrors, type Finding } from '../budget/findings.js';
import { loadBudget } from '../budget/load.js';
import type { Budget } from '../budget/model.js';
import { composeDocument } from '../layout/compose.js';
import { unshownInFormat } from '../layout/format-coverage.js';
import { TemplateError } from '../layout/report-outline.js';
import { loadTemplateSet, textIdsOfFormat, type TemplateSet } from '../layout/template-set.js';
import { FontConfigError } from '../pdf/font-config.js';
import { fontsReadAhead } from '../pdf/font-prefetch.js';
import { loadFontSet, type FontSet } from '../pdf/fonts.js';
import { renderPdf } from '../pdf/render.js';
import { checkDocumentGlyphs } from './glyph-usage.js';
import { VERSION } from '../version.js';

export interface RenderDocumentOptions {
  /** Render despite consistency errors, with a 草稿 watermark. */
  draft?: boolean;
  /** The fonts.yaml to render with; absent: BUDGET_PDF_FONTS, else fonts/fonts.yaml. */
  fontConfig?: string;
}

export interface RenderedDocument {
  file: string;
  findings: Finding[];
  /** Exit status class: 0 rendered, 1 data errors, 2 unreadable input or unusable templates/fonts. */
  status: 0 | 1 | 2;
  pdf?: Buffer;
  budget?: Budget;
  template?: TemplateSet;
  fonts?: FontSet;
  tableOrientations?: Record<string, 'portrait' | 'landscape'>;
}

/**
 * CreationDate: the publication date in the data, else SOURCE_DATE_EPOCH, else 1 January
 * of the budget year. Never the wall clock, so the same inputs give the same bytes.
 */
export function creationDate(budget: Budget, env: NodeJS.ProcessEnv = process.env): Date {
  if (budget.published) return new Date(`${budget.published}T00:00:00Z`);
  // The commands refuse a SOURCE_DATE_EPOCH that is no valid date (source-date-epoch.ts); beyond
  // year 9999 pdfkit could not write it, so such a value is not used here either.
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch) && Number(epoch) <= 253_402_300_799) return new Date(Number(epoch) * 1000);
  return new Date(Date.UTC(budget.year, 0, 1));
}

function configFailure(file: string, error: unknown): RenderedDocument | undefined {
  if (error instanceof TemplateError) return { file, findings: error.findings, status: 2 };
  if (error instanceof FontConfigError) return { file, findings: [error.finding], status: 2 };
  return undefined;
}

export async function renderDocument(file: string, options: RenderDocumentOptions = {}): Promise<RenderedDocument> {
  // A format that cannot load is reported below, where its templates are loaded for rendering.
  const loaded = loadBudget(file, { textIds: textIdsOfFormat() });
  if (!loaded.budget) return { file, findings: loaded.findings, status: loaded.unreadable ? 2 : 1 };
  const budget = loaded.budget;
  if (hasErrors(loaded.findings) && !options.draft) return { file, findings: loaded.findings, status: 1, budget };

  let template: TemplateSet;
  let fonts: FontSet;
  let composed: ReturnType<typeof composeDocument>;
  // A single render's fonts may still be arriving from another thread (font-prefetch.ts).
  await fontsReadAhead();
  try {
    template = loadTemplateSet(budget.format);
    fonts = loadFontSet(options.fontConfig);
    // Composing binds the layouts to the data: an unknown figure or placeholder is a template error too.
    composed = composeDocument(budget, template, fonts);
  } catch (error) {
    const failure = configFailure(file, error);
    if (failure) return { ...failure, findings: [...loaded.findings, ...failure.findings] };
    throw error;
  }

  const glyphFindings = checkDocumentGlyphs(fonts, composed.definition, 'body', file);
  const findings = [...loaded.findings, ...unshownInFormat(budget, template, loaded.locate('format')), ...glyphFindings];
  if (glyphFindings.length > 0) return { file, findings, status: 1, budget, template, fonts };

  const pdf = await renderPdf(composed.definition, {
    fonts,
    metadata: { ...composed.metadata, creator: `budget-pdf ${VERSION}` },
    creationDate: creationDate(budget),
    draft: options.draft,
    tableLayouts: composed.tableLayouts,
  });
  return { file, findings, status: 0, pdf, budget, template, fonts, tableOrientations: composed.tableOrientations };
}
