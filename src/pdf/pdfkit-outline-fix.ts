/**
 * pdfkit 0.19 builds a bookmark's destination as [page, /XYZ, pageWidth − left, pageHeight − top, zoom];
 * pdfmake passes no `left`, so every bookmark points at the page's RIGHT edge and some viewers scroll
 * there. Until pdfkit takes a proper left offset, each new bookmark asks for left = page width, which
 * lands on x = 0 at the top of the page.
 */
import { requirePdfmakeModule } from './pdfmake-internals.js';

interface OutlineLike {
  document: { page?: { width: number } };
  addItem(title: string, options?: Record<string, unknown>): unknown;
}

let patched = false;

export function fixBookmarkDestinations(): void {
  if (patched) return;
  // The pdfkit instance pdfmake itself loads.
  const PDFDocument = requirePdfmakeModule('pdfkit') as new (options: Record<string, unknown>) => { outline: OutlineLike };
  const proto = Object.getPrototypeOf(new PDFDocument({ autoFirstPage: false }).outline) as OutlineLike;
  const addItem = proto.addItem;
  proto.addItem = function (this: OutlineLike, title: string, options: Record<string, unknown> = {}) {
    return addItem.call(this, title, { ...options, left: this.document.page?.width ?? 0, top: 0, zoom: 0 });
  };
  patched = true;
}
