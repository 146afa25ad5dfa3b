/**
 * Render a pdfmake document definition to PDF bytes: fonts from the FontSet (parsed once
 * per process, embedded and subset per document), fixed metadata, language zh-CN, an
 * optional 草稿 watermark, and the same bytes for the same inputs.
 */
import { createHash } from 'node:crypto';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions, Watermark } from 'pdfmake/interfaces.js';
import { pdfmakeFontDictionary, type FontRole, type FontSet } from './fonts.js';
import { shareParsedFonts, type PdfmakeVirtualFs } from './pdfkit-font-sharing.js';
import { fixBookmarkDestinations } from './pdfkit-outline-fix.js';
import { installGridLineMerging } from './pdfmake-grid-lines.js';
import { installLineMeasuring } from './pdfmake-measure-lines.js';
import { installStyleLookup } from './pdfmake-style-lookup.js';
import { installTextLineRendering } from './pdfmake-text-lines.js';
import { installStreamText } from './pdfkit-stream-text.js';

export interface PdfMetadata {
  title: string;
  /** The unit that publishes the document. */
  author: string;
  subject: string;
  keywords: string;
  /** e.g. `budget-pdf 0.1.0`. */
  creator: string;
}

export interface RenderOptions {
  fonts: FontSet;
  metadata: PdfMetadata;
  /** CreationDate and ModDate; from the data or SOURCE_DATE_EPOCH, never the wall clock. */
  creationDate: Date;
  /** Put a 草稿 watermark on every page. */
  draft?: boolean;
  /** Named table layouts (grid lines, padding) the definition refers to by name. */
  tableLayouts?: Record<string, unknown>;
}

export const DOCUMENT_LANGUAGE = 'zh-CN';
export const DRAFT_WATERMARK_TEXT = '草稿';
/** The watermark is set in the heading (黑体) face. */
export const DRAFT_WATERMARK_ROLE: FontRole = 'heading';
const DEFAULT_ROLE: FontRole = 'body';
/** PDF 1.7: /Lang and XMP metadata are part of the format from 1.4 on. */
const PDF_VERSION = '1.7';

let pdfmakeConfigured = false;

/** Once per process: no network and no disk access from document definitions (fonts come from the virtual FS). */
function configurePdfmake(): void {
  if (pdfmakeConfigured) return;
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  fixBookmarkDestinations();
  installGridLineMerging();
  installStyleLookup();
  installLineMeasuring();
  installTextLineRendering();
  installStreamText();
  pdfmakeConfigured = true;
}

const fontDictionaries = new WeakMap<FontSet, ReturnType<typeof pdfmakeFontDictionary>>();

function fontDictionaryFor(set: FontSet): ReturnType<typeof pdfmakeFontDictionary> {
  let dictionary = fontDictionaries.get(set);
  if (!dictionary) {
    shareParsedFonts((pdfmake as unknown as { virtualfs: PdfmakeVirtualFs }).virtualfs, set);
    dictionary = pdfmakeFontDictionary(set);
    fontDictionaries.set(set, dictionary);
  }
  return dictionary;
}

export async function renderPdf(doc: TDocumentDefinitions, opts: RenderOptions): Promise<Buffer> {
  configurePdfmake();
  const { metadata } = opts;
  const definition: TDocumentDefinitions = {
    // pdfmake writes layout state into the nodes it is given; a copy keeps the caller's definition
    // reusable. It is also faster than rendering the definition itself (measured: some 40 ms a
    // publication): pdfmake adds its state to fresh objects of few shapes, not to composed ones.
    ...cloneDefinition(doc),
    // pdfmake's default family is Roboto, which is not registered: text without a font is body text.
    defaultStyle: { font: DEFAULT_ROLE, ...cloneDefinition(doc.defaultStyle) },
    version: PDF_VERSION,
    language: DOCUMENT_LANGUAGE,
    compress: true,
    info: {
      title: xmpSafe(metadata.title),
      author: xmpSafe(metadata.author),
      subject: xmpSafe(metadata.subject),
      keywords: xmpSafe(metadata.keywords),
      creator: xmpSafe(metadata.creator),
      producer: 'pdfmake',
      creationDate: opts.creationDate,
      modDate: opts.creationDate,
    },
    watermark: opts.draft ? draftWatermark() : undefined,
  };
  // The dictionary is read synchronously by createPdf, so concurrent renders with other font sets are safe.
  pdfmake.setFonts(fontDictionaryFor(opts.fonts));
  if (opts.tableLayouts) pdfmake.addTableLayouts(opts.tableLayouts as Parameters<typeof pdfmake.addTableLayouts>[0]);
  const bytes = await pdfmake.createPdf(definition).getBuffer();
  return stampContentIdentity(bytes);
}

function draftWatermark(): Watermark {
  return { text: DRAFT_WATERMARK_TEXT, font: DRAFT_WATERMARK_ROLE, color: '#b00000', opacity: 0.12, bold: false, italics: false };
}

/**
 * pdfkit copies metadata into the XMP packet without XML escaping; a value with & < > would
 * make the packet malformed. Their full-width forms read the same and keep it valid.
 */
function xmpSafe(value: string): string {
  return value.replace(/[&<>]/g, (c) => ({ '&': '＆', '<': '＜', '>': '＞' })[c]!);
}

/** Deep copy of plain objects and arrays; functions (headers, footers, table layouts) and other objects are shared. */
function cloneDefinition<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDefinition) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cloneDefinition(item);
    return copy as T;
  }
  return value;
}

const TRAILER = Buffer.from('\ntrailer\n', 'latin1');
const SUBSET_NAME = /(\/(?:BaseFont|FontName) \/)([A-Z]{6})\+([\x21-\x7e]+)/g;
const TRAILER_ID = /\/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]/;

/**
 * pdfkit's trailer /ID is a hash of the metadata only, and its subset tags follow the font's
 * resource number (BZZZZZ, CZZZZZ, …), so unrelated documents share both. Derive them from the
 * document's content instead. Replacements keep every byte length, so the xref stays valid.
 */
export function stampContentIdentity(pdf: Buffer): Buffer {
  const trailerAt = pdf.lastIndexOf(TRAILER);
  if (trailerAt < 0) throw new Error('budget-pdf: rendered PDF has no trailer');
  const out = Buffer.from(pdf);
  const bodyDigest = createHash('sha256').update(out.subarray(0, trailerAt)).digest();

  // Font dictionaries are never inside compressed streams; latin1 maps bytes 1:1 to string offsets.
  const body = out.toString('latin1', 0, trailerAt);
  for (const match of body.matchAll(SUBSET_NAME)) {
    const tagAt = match.index + match[1]!.length;
    const tag = subsetTag(bodyDigest, match[2]!, match[3]!);
    out.write(tag, tagAt, 'latin1');
  }

  const contentId = createHash('sha256').update(out.subarray(0, trailerAt)).digest('hex').slice(0, 32);
  const trailer = out.toString('latin1', trailerAt);
  const id = TRAILER_ID.exec(trailer);
  if (!id) throw new Error('budget-pdf: rendered PDF has no trailer /ID');
  out.write(`/ID [<${contentId}> <${contentId}>]`, trailerAt + id.index, 'latin1');
  return out;
}

/** Six letters A–Z from a hash of the document and the font's own tag and name. */
function subsetTag(documentDigest: Buffer, pdfkitTag: string, postscriptName: string): string {
  const digest = createHash('sha256').update(documentDigest).update(`${pdfkitTag}+${postscriptName}`).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i]! % 26));
  return tag;
}
