/**
 * Measuring text the way pdfkit measures it: fontkit advances of the very Font object pdfkit
 * draws with, laid out in the chunks pdfkit lays out, remembered per font.
 *
 * Why a module of its own: every other part of the typography (units and groups, line breaking,
 * balanced titles, the pdfmake nodes) stands on these widths, and pdfmake puts each line exactly
 * where it was computed only because they are pdfkit's own. It knows nothing of line breaking.
 */
import type * as fontkit from 'fontkit';
import { RecentCache } from '../pdf/recent-cache.js';

interface Advance {
  /** Sum of glyph advances in font units. */
  units: number;
  glyphs: number;
}

/**
 * Words are mostly amounts, unique per publication; a publication measures about a thousand.
 * Per generation of a RecentCache, so a batch worker keeps the last few documents' words.
 */
const RUN_CACHE_LIMIT = 2_000;

/**
 * Per-font measuring caches. pdfkit's EmbeddedFont.widthOfString lays text out with fontkit in
 * chunks that end after each space or tab and sums the runs' advances; `layoutLikePdfkit` does
 * the same with the same Font object.
 */
export class FontMeasure {
  private readonly charAdvance = new Map<string, number>();
  private readonly runAdvance = new RecentCache<string, Advance>(RUN_CACHE_LIMIT);
  readonly unitsPerEm: number;
  /** Ascent less descent, font units: fontkit's getters read the tables anew each time. */
  readonly height: number;

  constructor(private readonly font: fontkit.Font) {
    this.unitsPerEm = font.unitsPerEm;
    this.height = font.ascent - font.descent;
  }

  /** Advance of one character on its own, font units. */
  char(ch: string): number {
    let units = this.charAdvance.get(ch);
    if (units === undefined) {
      units = this.font.layout(ch).advanceWidth;
      this.charAdvance.set(ch, units);
    }
    return units;
  }

  /** A run without spaces laid out as a whole (kerning, ligatures), font units. */
  run(text: string): Advance {
    let advance = this.runAdvance.get(text);
    if (!advance) {
      const laid = this.font.layout(text);
      advance = { units: laid.advanceWidth, glyphs: laid.glyphs.length };
      this.runAdvance.set(text, advance);
    }
    return advance;
  }

  /** Exact advance of a line as pdfkit computes it (the same chunks, each remembered like a run). */
  layoutLikePdfkit(text: string): Advance {
    let units = 0;
    let glyphs = 0;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length ? start < i : text[i] === ' ' || text[i] === '\t') {
        const chunk = this.run(text.slice(start, i + 1));
        units += chunk.units;
        glyphs += chunk.glyphs;
        start = i + 1;
      }
    }
    return { units, glyphs };
  }
}

const measures = new WeakMap<fontkit.Font, FontMeasure>();

export function measureFor(font: fontkit.Font): FontMeasure {
  let measure = measures.get(font);
  if (!measure) {
    measure = new FontMeasure(font);
    measures.set(font, measure);
  }
  return measure;
}

export interface TextStyle {
  font: fontkit.Font;
  /** Font size in pt. */
  size: number;
  /** Extra space after every glyph in pt (pdfmake/pdfkit `characterSpacing`). */
  characterSpacing?: number;
}

/** Width in pt of `text` on one line, exactly as pdfmake/pdfkit measure it. */
export function textWidth(text: string, style: TextStyle): number {
  const measure = measureFor(style.font);
  const expanded = text.replace(/\t/g, '    '); // as pdfmake's preprocessor does
  const { units } = measure.layoutLikePdfkit(expanded);
  return (units * style.size) / measure.unitsPerEm + (style.characterSpacing ?? 0) * Math.max(0, expanded.length - 1);
}
