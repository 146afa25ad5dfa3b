/**
 * Share the fonts parsed by fonts.ts with every PDF document pdfkit builds in this process.
 *
 * Why: pdfmake hands pdfkit a font *file* per document, and pdfkit's PDFFontFactory.open
 * calls fontkit.create(bytes) on it, so every document re-reads a 10–15 MB CJK font and
 * fontkit re-parses its tables (hmtx, cmap, GSUB/GPOS): ~40 ms per font per document.
 *
 * How (the only patch, kept here): fontkit's public `registerFormat()` adds a "font format"
 * whose probe recognises a small token and whose constructor returns the fontkit Font that
 * fonts.ts parsed once. The token is stored in pdfmake's virtual file system under the
 * font's real path, so the dictionary from `pdfmakeFontDictionary()` works unchanged and no
 * font is ever read from disk by pdfmake. pdfkit still creates one EmbeddedFont per font per
 * document, so subsetting stays per document.
 *
 * The glyph runs an EmbeddedFont lays out are the font's, not the document's (glyphs and scaled
 * positions, only read afterwards), so they are shared too: `layoutCached` looks a text up in a
 * cache of the fontkit Font instead of one of its own that starts empty in every document. The
 * cache is bounded, as amounts differ from document to document.
 */
import type * as fontkit from 'fontkit';
import { FONT_ROLES, type FontSet } from './fonts.js';
import { RecentCachePerOwner } from './recent-cache.js';
import { fontkit as pdfkitsFontkit } from './fontkit-module.js';
import { requirePdfmakeModule } from './pdfmake-internals.js';

/** pdfmake's virtual file system (server build): checked before the disk when opening a font. */
export interface PdfmakeVirtualFs {
  existsSync(file: string): boolean;
  writeFileSync(file: string, content: Buffer): void;
}

/** A token never matches the magic numbers of TTF/OTF/WOFF/WOFF2/TTC, and is too short for a DFont header. */
const TOKEN_MAGIC = Buffer.from('budget-pdf:shared-font\0', 'latin1');

const sharedFonts = new Map<string, fontkit.Font>();
const registeredSets = new WeakSet<FontSet>();
let formatRegistered = false;
let layoutsShared = false;

/** Texts whose glyph runs are kept per font, per generation of a RecentCache. */
const RUN_CACHE_LIMIT = 4_000;

interface EmbeddedFont {
  font: fontkit.Font;
  layoutCache?: unknown;
  layoutRun(text: string): unknown;
  layoutCached(text: string): unknown;
}

const runsByFont = new RecentCachePerOwner<fontkit.Font, string, unknown>(RUN_CACHE_LIMIT);

/** pdfkit's EmbeddedFont.layoutCached, with the cache kept by the fontkit Font across documents. */
function layoutCachedAcrossDocuments(this: EmbeddedFont, text: string): unknown {
  if (!this.layoutCache) return this.layoutRun(text); // the document turned the cache off
  const runs = runsByFont.for(this.font);
  let run = runs.get(text);
  if (!run) {
    run = this.layoutRun(text);
    runs.set(text, run);
  }
  return run;
}

/** pdfkit keeps its EmbeddedFont class to itself: reach its prototype through a font opened from a token. */
function shareLayouts(file: string): void {
  if (layoutsShared) return;
  const PDFDocument = requirePdfmakeModule<new (options: Record<string, unknown>) => { font(src: Buffer): { _font: EmbeddedFont } }>('pdfkit');
  const proto = Object.getPrototypeOf(new PDFDocument({ autoFirstPage: false }).font(fontToken(file))._font) as EmbeddedFont;
  proto.layoutCached = layoutCachedAcrossDocuments;
  layoutsShared = true;
}

function isToken(bytes: Uint8Array): boolean {
  return bytes.length > TOKEN_MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, TOKEN_MAGIC.length).equals(TOKEN_MAGIC);
}

export function fontToken(file: string): Buffer {
  return Buffer.concat([TOKEN_MAGIC, Buffer.from(file, 'utf8')]);
}

/** Called by fontkit.create() with `new`; returning an object from a constructor hands back that object. */
function SharedFontFormat(stream: { buffer: Uint8Array }): fontkit.Font {
  const bytes = stream.buffer;
  const file = Buffer.from(bytes.buffer, bytes.byteOffset + TOKEN_MAGIC.length, bytes.length - TOKEN_MAGIC.length).toString('utf8');
  const font = sharedFonts.get(file);
  if (!font) throw new Error(`budget-pdf: no parsed font registered for ${file}`);
  return font;
}
SharedFontFormat.probe = isToken;

/**
 * Make every font of `set` available to pdfmake/pdfkit as the already parsed fontkit Font.
 * Idempotent and cheap after the first call for a set.
 */
export function shareParsedFonts(vfs: PdfmakeVirtualFs, set: FontSet): void {
  if (registeredSets.has(set)) return;
  if (!formatRegistered) {
    pdfkitsFontkit.registerFormat(SharedFontFormat);
    formatRegistered = true;
  }
  for (const role of FONT_ROLES) {
    const { file, font } = set.byRole[role];
    sharedFonts.set(file, font);
    vfs.writeFileSync(file, fontToken(file));
  }
  shareLayouts(set.byRole[FONT_ROLES[0]].file);
  registeredSets.add(set);
}
