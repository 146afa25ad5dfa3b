/**
 * One render as a task with a plain-data result: the PDF bytes, optionally its page texts,
 * and the fingerprints of the inputs it was made from. The result crosses worker-thread
 * boundaries (structured clone), so it holds no Budget, template or font objects.
 * Nothing is written here; the caller decides where the artifacts go.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from '../budget/findings.js';
import type { TemplateSet } from '../layout/template-set.js';
import type { FontSet } from '../pdf/fonts.js';
import { providedFontBytes, providedFontHash } from '../pdf/shared-font-bytes.js';
import { hashFolder, sha256Hex, sha256TextFile } from '../review/input-hashes.js';
import { renderedPageTexts } from '../review/own-pdf-text.js';
import { VERSION } from '../version.js';
import { SOURCE_DATE_EPOCH } from './source-date-epoch.js';
import type { RenderedDocument, RenderDocumentOptions } from './render-document.js';

export interface RenderTask {
  /** The data file, as the user named it (findings show this path). */
  file: string;
  draft: boolean;
  /** SOURCE_DATE_EPOCH for this render; null renders without it. */
  sourceDateEpoch: string | null;
  /** Read the page texts back from the PDF (for the .txt artifact); verify does not need them. */
  pageTexts: boolean;
  /** Absolute path of the fonts.yaml to render with (verify: the one the manifest recorded); absent: the process's. */
  fontConfig?: string;
}

export interface InputFingerprint {
  /** Absolute path. */
  file: string;
  sha256: string;
}

export interface RenderInputs {
  data: InputFingerprint;
  templates: InputFingerprint;
  fontConfig: InputFingerprint;
  fonts: InputFingerprint[];
  version: string;
}

export interface RenderOutcome {
  file: string;
  /** As renderDocument: 0 rendered, 1 data errors, 2 unreadable input or unusable templates/fonts. */
  status: 0 | 1 | 2;
  findings: Finding[];
  pdf?: Uint8Array;
  sha256?: string;
  /** The text of each page, when the task asked for it. */
  pageTexts?: string[];
  inputs?: RenderInputs;
  milliseconds: number;
}

export type RenderFunction = (file: string, options: RenderDocumentOptions) => Promise<RenderedDocument>;


/**
 * renderDocument, imported when the first document is rendered: a batch's main thread only hands
 * tasks to its workers and writes what they return, so it never loads pdfmake, fontkit and the rest
 * (half a second of CPU at the moment the workers start and need both cores).
 */
const renderDocumentOnFirstUse: RenderFunction = async (file, options) => (await import('./render-document.js')).renderDocument(file, options);

/** Never throws: a crash while rendering one document becomes that document's failure, so a batch goes on. */
export async function renderArtifact(task: RenderTask, render: RenderFunction = renderDocumentOnFirstUse): Promise<RenderOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const rendered = await withSourceDateEpoch(task.sourceDateEpoch, () => render(task.file, { draft: task.draft, fontConfig: task.fontConfig }));
    if (!rendered.pdf || rendered.status !== 0 || !rendered.template || !rendered.fonts) {
      return { file: task.file, status: rendered.status === 0 ? 2 : rendered.status, findings: rendered.findings, milliseconds: elapsed() };
    }
    const pdf = new Uint8Array(rendered.pdf.buffer, rendered.pdf.byteOffset, rendered.pdf.byteLength);
    // Read back without pdf.js when the PDF allows (it always does for ours): the same texts, a fraction of the time.
    const pageTexts = task.pageTexts ? await renderedPageTexts(pdf, task.file) : undefined;
    return {
      file: task.file,
      status: 0,
      findings: rendered.findings,
      pdf,
      sha256: sha256Hex(pdf),
      pageTexts,
      inputs: fingerprintInputs(task.file, rendered.template, rendered.fonts),
      milliseconds: elapsed(),
    };
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      file: task.file,
      status: 2,
      findings: [{ rule: 'render.internal-error', severity: 'error', message: `生成 ${task.file} 时程序出错（请报告此问题）：${detail}` }],
      milliseconds: elapsed(),
    };
  }
}

/**
 * Run `fn` with SOURCE_DATE_EPOCH set to `value` (or unset), then put the variable back.
 * Renders in one thread run one at a time, so the variable is never shared by two renders.
 */
async function withSourceDateEpoch<T>(value: string | null, fn: () => Promise<T>): Promise<T> {
  const previous = process.env[SOURCE_DATE_EPOCH];
  if (value === null) delete process.env[SOURCE_DATE_EPOCH];
  else process.env[SOURCE_DATE_EPOCH] = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env[SOURCE_DATE_EPOCH];
    else process.env[SOURCE_DATE_EPOCH] = previous;
  }
}

// Font files are megabytes each and loaded once per process; hash each once too.
const fontHashes = new Map<string, string>();
// Template sets are loaded once per process; hash each folder once, matching what was loaded.
const folderHashes = new Map<string, string>();

function fingerprintInputs(dataFile: string, template: TemplateSet, fonts: FontSet): RenderInputs {
  const fontFiles = fonts.files.map((file) => {
    let sha256 = fontHashes.get(file);
    if (!sha256) {
      const loaded = Object.values(fonts.byRole).find((f) => f.file === file);
      // Bytes read ahead (font-prefetch, a batch's shared fonts) were hashed by the thread that read them.
      const readAhead = loaded && loaded.data === providedFontBytes(file) ? providedFontHash(file) : undefined;
      sha256 = readAhead ?? sha256Hex(loaded ? loaded.data : readFileSync(file));
      fontHashes.set(file, sha256);
    }
    return { file, sha256 };
  });
  let templateHash = folderHashes.get(template.dir);
  if (!templateHash) {
    templateHash = hashFolder(template.dir);
    folderHashes.set(template.dir, templateHash);
  }
  return {
    // Text as LF (a CRLF checkout is the same input); the fonts above as bytes.
    data: { file: resolve(dataFile), sha256: sha256TextFile(dataFile) },
    templates: { file: template.dir, sha256: templateHash },
    fontConfig: { file: fonts.configFile, sha256: sha256TextFile(fonts.configFile) },
    fonts: fontFiles,
    version: VERSION,
  };
}
