/**
 * Table grids drawn as long lines instead of one short segment per cell side.
 *
 * Why: pdfmake 0.3 strokes every cell border on its own: each row adds one horizontal segment
 * per column and one vertical segment per column boundary, and each segment costs nine PDF
 * operators (width, dash, join, cap, move, line, colour, opacity, stroke). The reference's twelve
 * tables made 4,700 segments: two thirds of the page content, a sixth of the file, and most of
 * the time spent writing, compressing and reading the pages back.
 *
 * How: after pdfmake has laid the pages out and before it renders them, consecutive segments on
 * one page that lie on the same horizontal or vertical line, with the same width, colour,
 * opacity, caps and joins and no dash, and touch or overlap, become one line spanning them all.
 * The page looks the same (butt-capped segments that meet cover exactly what one line covers).
 * A merge never crosses anything that could paint over a line or clip it (a filled shape, an
 * image, a clip), so the stacking of lines and other graphics is kept.
 */
import { pdfmakeClass } from './pdfmake-internals.js';

/** A pdfmake page item: `{ type: 'vector', item: { type: 'line', x1, … } }`, `{ type: 'line', item: Line }`, … */
export interface PageItem {
  type: string;
  item: Record<string, unknown>;
}

interface LineVector {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  lineWidth?: number;
  lineColor?: unknown;
  strokeOpacity?: number;
  lineCap?: string;
  lineJoin?: string;
  dash?: unknown;
  color?: unknown;
  linearGradient?: unknown;
}

/** Coordinates closer than this (pt) count as touching; pdfmake's own sums differ by far less. */
const TOUCH = 1e-6;

/** The merge key of a plain axis-aligned stroke, or null for anything else. */
function strokeKey(vector: LineVector): string | null {
  if (vector.dash || vector.color || vector.linearGradient) return null;
  const style = `${vector.lineWidth ?? 1}|${String(vector.lineColor ?? 'black')}|${vector.strokeOpacity ?? 1}|${vector.lineCap ?? 'butt'}|${vector.lineJoin ?? 'miter'}`;
  if (vector.y1 === vector.y2 && vector.x1 !== vector.x2) return `h|${vector.y1}|${style}`;
  if (vector.x1 === vector.x2 && vector.y1 !== vector.y2) return `v|${vector.x1}|${style}`;
  return null;
}

/** Text lines paint glyphs only, unless they have a background or a decoration (underline, strike). */
function paintsOnlyGlyphs(entry: PageItem): boolean {
  if (entry.type !== 'line') return false;
  const inlines = (entry.item.inlines ?? []) as Array<{ background?: unknown; decoration?: unknown }>;
  return inlines.every((inline) => !inline.background && !inline.decoration);
}

/**
 * The page's items with collinear, touching stroke segments merged into the first of them.
 * Returns a new array; merged line vectors are new objects, everything else is passed through.
 */
export function mergeGridLines(items: readonly PageItem[]): PageItem[] {
  const out: PageItem[] = [];
  /** Merged line per key: the one later segments may still join. */
  const open = new Map<string, LineVector>();
  for (const entry of items) {
    const vector = entry.type === 'vector' && entry.item.type === 'line' ? (entry.item as unknown as LineVector) : null;
    const key = vector ? strokeKey(vector) : null;
    if (!vector || key === null) {
      if (!paintsOnlyGlyphs(entry)) open.clear();
      out.push(entry);
      continue;
    }
    const horizontal = key.startsWith('h');
    const start = horizontal ? Math.min(vector.x1, vector.x2) : Math.min(vector.y1, vector.y2);
    const end = horizontal ? Math.max(vector.x1, vector.x2) : Math.max(vector.y1, vector.y2);
    const merged = open.get(key);
    if (merged) {
      const mergedStart = horizontal ? merged.x1 : merged.y1;
      const mergedEnd = horizontal ? merged.x2 : merged.y2;
      if (start <= mergedEnd + TOUCH && end >= mergedStart - TOUCH) {
        if (horizontal) {
          merged.x1 = Math.min(mergedStart, start);
          merged.x2 = Math.max(mergedEnd, end);
        } else {
          merged.y1 = Math.min(mergedStart, start);
          merged.y2 = Math.max(mergedEnd, end);
        }
        continue;
      }
    }
    // Drawn left to right, top to bottom, like pdfmake's own segments.
    const line: LineVector = horizontal ? { ...vector, x1: start, x2: end } : { ...vector, y1: start, y2: end };
    open.set(key, line);
    out.push({ type: 'vector', item: line as unknown as Record<string, unknown> });
  }
  return out;
}

interface RendererPrototype {
  renderPages(pages: Array<{ items: PageItem[] }>): void;
}

let installed = false;

/** Once per process: pdfmake's renderer merges each page's grid segments before drawing them. */
export function installGridLineMerging(): void {
  if (installed) return;
  const Renderer = pdfmakeClass<{ prototype: RendererPrototype }>('./Renderer.js');
  const renderPages = Renderer.prototype.renderPages;
  Renderer.prototype.renderPages = function (this: RendererPrototype, pages) {
    for (const page of pages) page.items = mergeGridLines(page.items);
    return renderPages.call(this, pages);
  };
  installed = true;
}
