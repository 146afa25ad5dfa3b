/**
 * One publication from one data file: load and check, compose, check glyphs, render.
 * Used by `render` for a single file and by each batch worker; writes nothing itself.
 */
import { hasErrors, type Finding } from '../budget/findings.js';
import { loadBudget } from '../budget/load.js';
import type { Budget } from '../budget/model.js';
import { unshownInFormat } from '../layout/format-coverage.js';
import { textIdsOfFormat, type TemplateSet } from '../layout/template-set.js';
import { fontsReadAhead } from '../pdf/font-prefetch.js';
import type { FontSet } from '../pdf/fonts.js';
import { renderPdf } from '../pdf/render.js';
import { composeForPrint } from './compose-for-print.js';
import { SOURCE_DATE_EPOCH, sourceDateEpochDate } from './source-date-epoch.js';
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
  // The commands refuse a SOURCE_DATE_EPOCH that is no valid date; such a value is not used here either.
  const epoch = env[SOURCE_DATE_EPOCH];
  return (epoch && sourceDateEpochDate(epoch)) || new Date(Date.UTC(budget.year, 0, 1));
}

export async function renderDocument(file: string, options: RenderDocumentOptions = {}): Promise<RenderedDocument> {
  // A format that cannot load is reported below, where its templates are loaded for rendering.
  const loaded = loadBudget(file, { textIds: textIdsOfFormat() });
  if (!loaded.budget) return { file, findings: loaded.findings, status: loaded.unreadable ? 2 : 1 };
  const budget = loaded.budget;
  if (hasErrors(loaded.findings) && !options.draft) return { file, findings: loaded.findings, status: 1, budget };

  // A single render's fonts may still be arriving from another thread (font-prefetch.ts).
  await fontsReadAhead();
  const prepared = composeForPrint(budget, file, options.fontConfig);
  const unshown = prepared.template ? unshownInFormat(budget, prepared.template, loaded.locate('format')) : [];
  const findings = [...loaded.findings, ...unshown, ...prepared.findings];
  if (prepared.status !== 0) return { file, findings, status: prepared.status, budget, template: prepared.template, fonts: prepared.fonts };
  const { template, fonts, composed } = prepared;

  const pdf = await renderPdf(composed.definition, {
    fonts,
    metadata: { ...composed.metadata, creator: `budget-pdf ${VERSION}` },
    creationDate: creationDate(budget),
    draft: options.draft,
    tableLayouts: composed.tableLayouts,
  });
  return { file, findings, status: 0, pdf, budget, template, fonts, tableOrientations: composed.tableOrientations };
}
