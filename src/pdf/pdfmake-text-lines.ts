/**
 * pdfmake's drawing of a text line, with the graphics state set once per run of text.
 *
 * Why: for every inline, pdfmake 0.3 sets the opacity and the fill colour (and fills an empty
 * path: a stray `f`), and pdfkit wraps the glyphs in a save, a flip of the coordinate system and a
 * restore: twelve operators for one line of text, a thousand of them for empty table cells that
 * draw nothing. Writing, compressing and reading back those operators was a fifth of a render.
 *
 * How: `Renderer.renderLine` as pdfmake 0.3.11 has it (outlines, page references, backgrounds,
 * links, destinations, decorations unchanged), but each inline's text is written as pdfkit's
 * `_fragment` would write it for plain left-aligned text (the same glyph encoding, subset and
 * advance adjustments) in one BT…ET in the page's own coordinate system, the text matrix flipped
 * back instead of the whole graphics state. Colour, opacity, character spacing and font are
 * written only when they differ from what this code last wrote on the page, and written again
 * whenever anything else has drawn in between. Text that needs more of pdfkit (font features,
 * a newline, a transformed page) goes through pdfkit's own `text()`.
 */
import { pdfmakeClass } from './pdfmake-internals.js';

interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

interface EmbeddedFont {
  id: string;
  ascender: number;
  lineHeight(size: number, includeGap?: boolean): number;
  encode(text: string, features?: unknown): [string[], Position[]];
  ref(): unknown;
}

interface PdfPage {
  height: number;
  fonts: Record<string, unknown>;
  content: { uncompressedLength: number };
}

interface PdfDocument {
  page: PdfPage;
  _font: EmbeddedFont;
  _fontSize: number;
  _ctm: number[];
  x: number;
  y: number;
  outline: { addItem(title: string, options?: Record<string, unknown>): unknown };
  addContent(data: string): PdfDocument;
  fontSize(size: number): PdfDocument;
  opacity(opacity: number): PdfDocument;
  fill(color: unknown): PdfDocument;
  fillColor(color: unknown): PdfDocument;
  resolveColor(color: unknown, defaultColor: unknown): unknown;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfDocument;
  link(x: number, y: number, w: number, h: number, url: unknown, options?: Record<string, unknown>): PdfDocument;
  goTo(x: number, y: number, w: number, h: number, name: unknown): PdfDocument;
  addNamedDestination(name: unknown, ...args: unknown[]): PdfDocument;
  annotate(x: number, y: number, w: number, h: number, options: Record<string, unknown>): PdfDocument;
  ref(data: Record<string, unknown>): { end(): void };
}

interface Inline {
  text: string;
  x: number;
  width: number;
  height: number;
  font: EmbeddedFont;
  fontSize: number;
  fontFeatures?: unknown;
  characterSpacing?: number;
  color?: unknown;
  opacity?: unknown;
  link?: unknown;
  linkToPage?: number;
  linkToDestination?: unknown;
  sup?: boolean;
  sub?: boolean;
  _pageNodeRef?: PageNodeRef;
}

interface PageNodeRef {
  positions?: Array<{ pageNumber: number }>;
}

interface Line {
  inlines: Inline[];
  id?: unknown;
  _outline?: { text: string; expanded?: boolean; id?: string; parentId?: string };
  _pageNodeRef?: PageNodeRef;
  getHeight(): number;
  getAscenderHeight(): number;
}

interface Renderer {
  pdfDocument: PdfDocument;
  outlineMap: Record<string, unknown>;
  renderLine(line: Line, x: number, y: number): void;
}

type TextDecoratorClass = new (doc: PdfDocument) => { drawBackground(line: Line, x: number, y: number): void; drawDecorations(line: Line, x: number, y: number): void };
type TextInlinesClass = new (doc: null) => { widthOfText(text: string, inline: Inline): number };

/** pdfkit's PDFObject.number: numbers in content streams have at most six decimals. */
function number(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

function isNumber(value: unknown): value is number {
  return (typeof value === 'number' || value instanceof Number) && !Number.isNaN(value);
}

/** What this code last wrote on a page, and how long the page's content was right after. */
interface WrittenState {
  contentLength: number;
  color: unknown;
  opacity: number;
  characterSpacing: number;
  font: EmbeddedFont;
  fontSize: number;
}

const written = new WeakMap<PdfPage, WrittenState>();

/** The state this code wrote on the page, if nothing else has been written since. */
function currentState(doc: PdfDocument): WrittenState | undefined {
  const state = written.get(doc.page);
  return state && state.contentLength === doc.page.content.uncompressedLength ? state : undefined;
}

/** Is the page in pdfkit's own coordinate system (y down from the top), untransformed? */
function isPageSpace(doc: PdfDocument): boolean {
  const m = doc._ctm;
  return m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === -1 && m[4] === 0 && m[5] === doc.page.height;
}

interface FragmentOptions {
  textWidth: number;
  characterSpacing: number;
  link?: unknown;
  goTo?: unknown;
  destination?: unknown;
}

/**
 * One inline's text at (x, y), top-left of its line box in page space, as pdfkit's `_fragment`
 * writes plain left-aligned text without word spacing: links and destinations first, then the
 * glyphs with their advance adjustments and offsets; the text matrix flips y back.
 */
function writeFragment(doc: PdfDocument, text: string, x: number, y: number, options: FragmentOptions, color: unknown, opacity: number): void {
  if (text.length === 0) return;
  const font = doc._font;
  const size = doc._fontSize;
  const characterSpacing = options.characterSpacing || 0;
  const dy = (font.ascender / 1000) * size;
  const renderedWidth = options.textWidth + characterSpacing * (text.length - 1);
  if (options.link != null) doc.link(x, y, renderedWidth, font.lineHeight(size), options.link, {});
  if (options.goTo != null) doc.goTo(x, y, renderedWidth, font.lineHeight(size), options.goTo);
  if (options.destination != null) doc.addNamedDestination(options.destination, 'XYZ', x, y, null);

  const state = currentState(doc);
  if (!state || state.opacity !== opacity) doc.opacity(opacity);
  if (!state || state.color !== color) doc.fillColor(color);
  if (doc.page.fonts[font.id] == null) doc.page.fonts[font.id] = font.ref();

  // In page space y runs down: the text matrix's −1 turns the glyphs upright again.
  const baseline = y + dy;
  doc.addContent('BT');
  doc.addContent(`1 0 0 -1 ${number(x)} ${number(baseline)} Tm`);
  if (!state || state.font !== font || state.fontSize !== size) doc.addContent(`/${font.id} ${number(size)} Tf`);
  if (!state || state.characterSpacing !== characterSpacing) doc.addContent(`${number(characterSpacing)} Tc`);

  const [encoded, positions] = font.encode(text);
  const scale = size / 1000;
  const commands: string[] = [];
  let last = 0;
  let hadOffset = false;
  let penX = x;
  const addSegment = (cur: number): void => {
    if (last < cur) {
      const hex = encoded.slice(last, cur).join('');
      const advance = positions[cur - 1]!.xAdvance - positions[cur - 1]!.advanceWidth;
      commands.push(`<${hex}> ${number(-advance)}`);
    }
    last = cur;
  };
  const flush = (i: number): void => {
    addSegment(i);
    if (commands.length > 0) {
      doc.addContent(`[${commands.join(' ')}] TJ`);
      commands.length = 0;
    }
  };
  let i: number;
  for (i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    if (pos.xOffset || pos.yOffset) {
      flush(i);
      doc.addContent(`1 0 0 -1 ${number(penX + pos.xOffset * scale)} ${number(baseline - pos.yOffset * scale)} Tm`);
      flush(i + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        doc.addContent(`1 0 0 -1 ${number(penX)} ${number(baseline)} Tm`);
        hadOffset = false;
      }
      if (pos.xAdvance - pos.advanceWidth !== 0) addSegment(i + 1);
    }
    penX += pos.xAdvance * scale;
  }
  flush(i);
  doc.addContent('ET');
  written.set(doc.page, { contentLength: doc.page.content.uncompressedLength, color, opacity, characterSpacing, font, fontSize: size });
}

/** pdfmake's offsetText: superscript up, subscript down. */
function offsetText(y: number, inline: Inline): number {
  if (inline.sup) return y - inline.fontSize * 0.75;
  if (inline.sub) return y + inline.fontSize * 0.35;
  return y;
}

let installed = false;

/** Once per process: pdfmake's renderer writes text lines as above. */
export function installTextLineRendering(): void {
  if (installed) return;
  const Renderer = pdfmakeClass<{ prototype: Renderer }>('./Renderer.js');
  const TextDecorator = pdfmakeClass<TextDecoratorClass>('./TextDecorator.js');
  const TextInlines = pdfmakeClass<TextInlinesClass>('./TextInlines.js');

  /** pdfmake's preparePageNodeRefLine: a page reference shows the page number it points at. */
  const preparePageNodeRefLine = (ref: PageNodeRef, inline: Inline): void => {
    if (ref.positions === undefined) throw new Error('Page reference id not found');
    inline.text = ref.positions[0]!.pageNumber.toString();
    const newWidth = new TextInlines(null).widthOfText(inline.text, inline);
    const diffWidth = inline.width - newWidth;
    inline.width = newWidth;
    const alignment = (inline as unknown as { alignment?: string }).alignment;
    if (alignment === 'right') inline.x += diffWidth;
    else if (alignment === 'center') inline.x += diffWidth / 2;
  };

  Renderer.prototype.renderLine = function (this: Renderer, line: Line, x: number, y: number) {
    const doc = this.pdfDocument;
    if (line._outline) {
      let parentOutline = doc.outline;
      if (line._outline.parentId && this.outlineMap[line._outline.parentId]) parentOutline = this.outlineMap[line._outline.parentId] as PdfDocument['outline'];
      const outline = parentOutline.addItem(line._outline.text, { expanded: line._outline.expanded });
      if (line._outline.id) this.outlineMap[line._outline.id] = outline;
    }
    if (line._pageNodeRef) preparePageNodeRefLine(line._pageNodeRef, line.inlines[0]!);
    x = x || 0;
    y = y || 0;
    const lineHeight = line.getHeight();
    const ascenderHeight = line.getAscenderHeight();
    const descent = lineHeight - ascenderHeight;
    const textDecorator = new TextDecorator(doc);
    textDecorator.drawBackground(line, x, y);
    for (let i = 0, l = line.inlines.length; i < l; i++) {
      const inline = line.inlines[i]!;
      const shiftToBaseline = lineHeight - (inline.font.ascender / 1000) * inline.fontSize - descent;
      if (inline._pageNodeRef) preparePageNodeRefLine(inline._pageNodeRef, inline);
      const options: Record<string, unknown> = {
        lineBreak: false,
        textWidth: inline.width,
        characterSpacing: inline.characterSpacing,
        wordCount: 1,
        link: inline.link,
      };
      if (inline.linkToDestination) options.goTo = inline.linkToDestination;
      if (line.id && i === 0) options.destination = line.id;
      if (inline.fontFeatures) options.features = inline.fontFeatures;
      const opacity = isNumber(inline.opacity) ? inline.opacity : 1;
      const color = doc.resolveColor(inline.color, 'black');
      doc._font = inline.font;
      doc.fontSize(inline.fontSize);
      const shiftedY = offsetText(y + shiftToBaseline, inline);
      if (options.features || inline.text.includes('\n') || !isPageSpace(doc)) {
        doc.opacity(opacity);
        doc.fill(color);
        doc.text(inline.text, x + inline.x, shiftedY, options);
      } else {
        doc.x = x + inline.x;
        doc.y = shiftedY;
        writeFragment(doc, inline.text, x + inline.x, shiftedY, options as unknown as FragmentOptions, color, opacity);
      }
      if (inline.linkToPage) {
        doc.ref({ Type: 'Action', S: 'GoTo', D: [inline.linkToPage, 0, 0] }).end();
        doc.annotate(x + inline.x, shiftedY, inline.width, inline.height, { Subtype: 'Link', Dest: [inline.linkToPage - 1, 'XYZ', null, null, null] });
      }
    }
    textDecorator.drawDecorations(line, x, y);
  };
  installed = true;
}
