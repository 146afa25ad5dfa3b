/**
 * Glyph outlines decoded once per process, not once per document.
 *
 * Why: to subset a font, pdfkit's fontkit decodes every glyph the document uses (all its points)
 * only to learn whether it is a composite glyph, and it does so again in every document. With
 * CJK fonts that is hundreds of glyphs per document: a tenth of the time spent writing the PDF,
 * and as much garbage as all of the line breaking.
 *
 * How: the glyph objects of a fontkit font live as long as the font (fontkit caches them), so the
 * decoded outline is kept on the glyph the first time it is asked for. Only static fonts: for a
 * variable font fontkit adjusts the decoded points in place, so each decoding must stay fresh.
 * The subset is built from the same bytes either way, so the PDF does not change.
 */
import type * as Fontkit from 'fontkit';

interface TrueTypeGlyph {
  _font: { _variationProcessor?: unknown };
  _decode(): unknown;
  _decodedOutline?: unknown;
}

const patched = new WeakSet<object>();

/** Make the TrueType glyphs of `font` (and of every font of the same fontkit build) keep their decoded outline. */
export function cacheGlyphOutlines(font: Fontkit.Font): void {
  if (!(font as unknown as { directory: { tables: Record<string, unknown> } }).directory.tables.glyf) return; // TrueType outlines only
  const proto = Object.getPrototypeOf(font.getGlyph(0)) as TrueTypeGlyph | null;
  if (!proto || typeof proto._decode !== 'function' || patched.has(proto)) return;
  const decode = proto._decode;
  proto._decode = function (this: TrueTypeGlyph) {
    if (this._font._variationProcessor) return decode.call(this);
    if (this._decodedOutline === undefined) this._decodedOutline = decode.call(this);
    return this._decodedOutline;
  };
  patched.add(proto);
}
