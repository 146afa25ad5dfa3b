/**
 * The text of each page of a PDF that budget-pdf wrote, read the way `extractPageTexts`
 * (pdf-parse on pdf.js) reads it, without loading pdf.js.
 *
 * Why: every render writes the page texts beside the PDF. Reading them back through pdf.js cost
 * more than a third of a warm render, the largest share of a cold one (pdf.js is megabytes of
 * JavaScript) and a fifth of the memory a render allocates. Our PDFs are simple: Type0 fonts
 * with Identity-H encoding and a ToUnicode map, text in BT…ET blocks, no XObjects.
 *
 * How: a port of the two steps that decide the text, kept line for line so they can be checked
 * against their sources:
 *   1. pdf.js 5.4 `PartialEvaluator.getTextContent` (src/core/evaluator.js): glyph runs become
 *      text items, with spaces and line ends decided from glyph positions;
 *   2. pdf-parse 2.4 `PDFParse.getPageText` (default parameters): items become lines, with a
 *      tab between cells of one line; then `normalizePageText`, as extractPageTexts does.
 * Anything outside that subset (other fonts, vertical or right-to-left text, form XObjects, fonts
 * set through a graphics state, PDFs not written by pdfkit) returns undefined, and the caller
 * reads the PDF with pdf-parse instead. Tests compare both readers on the reference and on
 * generated units.
 */
import { PdfFile, PdfLexer, PdfName, PdfRef, UnsupportedPdf, isPdfDict, isPdfStream, type PdfDict, type PdfValue } from './pdf-objects.js';
import { extractPageTexts, normalizePageText } from './pdf-text.js';

type Matrix = number[];

const IDENTITY_MATRIX: Matrix = [1, 0, 0, 1, 0, 0];
const FONT_IDENTITY_MATRIX: Matrix = [0.001, 0, 0, 0.001, 0, 0];

/** pdf.js Util.transform. */
function transform(m1: Matrix, m2: Matrix): Matrix {
  return [
    m1[0]! * m2[0]! + m1[2]! * m2[1]!,
    m1[1]! * m2[0]! + m1[3]! * m2[1]!,
    m1[0]! * m2[2]! + m1[2]! * m2[3]!,
    m1[1]! * m2[2]! + m1[3]! * m2[3]!,
    m1[0]! * m2[4]! + m1[2]! * m2[5]! + m1[4]!,
    m1[1]! * m2[4]! + m1[3]! * m2[5]! + m1[5]!,
  ];
}

// ---------------------------------------------------------------------------------------------
// Fonts: Type0, Identity-H, widths from /W, text from /ToUnicode

interface Category {
  isWhitespace: boolean;
  isZeroWidthDiacritic: boolean;
  isInvisibleFormatMark: boolean;
}

/** pdf.js getCharUnicodeCategory. */
const SPECIAL_CHAR = /^(\s)|(\p{Mn})|(\p{Cf})$/u;
const categories = new Map<string, Category>();
function charCategory(char: string): Category {
  let category = categories.get(char);
  if (!category) {
    const groups = char.match(SPECIAL_CHAR);
    category = { isWhitespace: !!groups?.[1], isZeroWidthDiacritic: !!groups?.[2], isInvisibleFormatMark: !!groups?.[3] };
    categories.set(char, category);
  }
  return category;
}

interface Glyph {
  charcode: number;
  unicode: string;
  width: number;
  category: Category;
}

interface TextFont {
  loadedName: string;
  widths: Map<number, number>;
  defaultWidth: number;
  toUnicode: Map<number, string>;
  glyphs: Map<number, Glyph>;
}

/** pdf.js strToInt (CMap source codes). */
function strToInt(str: string): number {
  let a = 0;
  for (let i = 0; i < str.length; i++) a = (a << 8) | str.charCodeAt(i);
  return a >>> 0;
}

/** pdf.js readToUnicode over a CMap's bfchar/bfrange entries: UTF-16BE tokens to strings. */
function utf16Token(token: string): string {
  let t = token;
  if (t.length % 2 !== 0) t = `\u0000${t}`;
  const codes: number[] = [];
  for (let k = 0; k < t.length; k += 2) {
    const w1 = (t.charCodeAt(k) << 8) | t.charCodeAt(k + 1);
    if ((w1 & 0xf800) !== 0xd800) {
      codes.push(w1);
      continue;
    }
    k += 2;
    const w2 = (t.charCodeAt(k) << 8) | t.charCodeAt(k + 1);
    codes.push(((w1 & 0x3ff) << 10) + (w2 & 0x3ff) + 0x10000);
  }
  return String.fromCodePoint(...codes);
}

function parseToUnicode(data: string): Map<number, string> {
  const tokens: string[] = [];
  const map = new Map<number, string>();
  const lexer = new PdfLexer(data);
  let mode: 'bfchar' | 'bfrange' | null = null;
  while (!lexer.atEnd()) {
    const token = lexer.next();
    if (typeof token === 'object' && token !== null && 'keyword' in token) {
      const word = token.keyword;
      if (word === 'beginbfchar' || word === 'beginbfrange') {
        mode = word === 'beginbfchar' ? 'bfchar' : 'bfrange';
        tokens.length = 0;
      } else if (word === 'endbfchar' || word === 'endbfrange') {
        mode = null;
      } else if (word === 'begincidrange' || word === 'begincidchar' || word === 'usecmap') {
        throw new UnsupportedPdf(`ToUnicode with ${word}`);
      }
      continue;
    }
    if (mode === 'bfchar') {
      tokens.push(token as string);
      if (tokens.length === 2) {
        map.set(strToInt(tokens[0]!), tokens[1]!);
        tokens.length = 0;
      }
    } else if (mode === 'bfrange') {
      tokens.push(token as string);
      if (tokens.length === 3) {
        const low = strToInt(tokens[0]!);
        const high = strToInt(tokens[1]!);
        const dst = tokens[2] as unknown as PdfValue;
        if (Array.isArray(dst)) {
          for (let code = low, i = 0; code <= high && i < dst.length; code++, i++) map.set(code, dst[i] as string);
        } else if (typeof dst === 'string') {
          let dstLow = dst;
          const lastByte = dstLow.length - 1;
          for (let code = low; code <= high; code++) {
            map.set(code, dstLow);
            const nextCharCode = dstLow.charCodeAt(lastByte) + 1;
            dstLow =
              nextCharCode > 0xff
                ? `${dstLow.substring(0, lastByte - 1)}${String.fromCharCode(dstLow.charCodeAt(lastByte - 1) + 1)}\u0000`
                : dstLow.substring(0, lastByte) + String.fromCharCode(nextCharCode);
          }
        } else {
          throw new UnsupportedPdf('ToUnicode bfrange destination');
        }
        tokens.length = 0;
      }
    }
  }
  const unicode = new Map<number, string>();
  for (const [code, token] of map) unicode.set(code, typeof token === 'number' ? String.fromCodePoint(token) : utf16Token(token));
  return unicode;
}

function loadFont(pdf: PdfFile, ref: PdfValue | undefined, loadedName: string): TextFont {
  const dict = pdf.resolve(ref);
  if (!isPdfDict(dict)) throw new UnsupportedPdf('font is not a dictionary');
  const subtype = pdf.get(dict, 'Subtype');
  const encoding = pdf.get(dict, 'Encoding');
  if (!(subtype instanceof PdfName) || subtype.name !== 'Type0' || !(encoding instanceof PdfName) || encoding.name !== 'Identity-H') {
    throw new UnsupportedPdf('a font other than Type0 / Identity-H');
  }
  const descendants = pdf.get(dict, 'DescendantFonts');
  const cidFont = pdf.resolve(Array.isArray(descendants) ? descendants[0] : undefined);
  if (!isPdfDict(cidFont)) throw new UnsupportedPdf('Type0 font without a descendant');
  const cidSubtype = pdf.get(cidFont, 'Subtype');
  // TrueType outlines only: for CFF fonts pdf.js takes the font matrix from the font program.
  if (!(cidSubtype instanceof PdfName) || cidSubtype.name !== 'CIDFontType2') throw new UnsupportedPdf('descendant font other than CIDFontType2');
  if (cidFont.has('CIDToGIDMap') && !(pdf.get(cidFont, 'CIDToGIDMap') instanceof PdfName)) throw new UnsupportedPdf('CIDToGIDMap stream');
  const dw = pdf.get(cidFont, 'DW');
  const defaultWidth = typeof dw === 'number' ? dw : 1000;
  const widths = new Map<number, number>();
  const w = pdf.get(cidFont, 'W');
  if (Array.isArray(w)) {
    // pdf.js extractWidths: `start [w…]` or `first last w`.
    for (let i = 0; i < w.length; i++) {
      let start = pdf.resolve(w[i++]) as number;
      const code = pdf.resolve(w[i]);
      if (Array.isArray(code)) {
        for (const c of code) {
          const width = pdf.resolve(c);
          if (typeof width === 'number') widths.set(start, width);
          start++;
        }
      } else if (Number.isInteger(code)) {
        const width = pdf.resolve(w[++i]);
        if (typeof width !== 'number') continue;
        for (let j = start; j <= (code as number); j++) widths.set(j, width);
      } else {
        throw new UnsupportedPdf('bad /W entry');
      }
    }
  }
  const toUnicodeStream = pdf.get(dict, 'ToUnicode');
  if (!isPdfStream(toUnicodeStream)) throw new UnsupportedPdf('font without a ToUnicode stream');
  const toUnicode = parseToUnicode(pdf.streamData(toUnicodeStream).toString('latin1'));
  if (toUnicode.size === 0) throw new UnsupportedPdf('empty ToUnicode map');
  return { loadedName, widths, defaultWidth, toUnicode, glyphs: new Map() };
}

/** pdf.js Font._charToGlyph for a composite font with Identity-H (charcode = CID). */
function glyphOf(font: TextFont, charcode: number): Glyph {
  let glyph = font.glyphs.get(charcode);
  if (glyph) return glyph;
  let width = font.widths.get(charcode);
  if (typeof width !== 'number') width = font.defaultWidth;
  const mapped = font.toUnicode.get(charcode);
  const unicode = mapped || String.fromCharCode(charcode);
  glyph = { charcode, unicode, width, category: charCategory(unicode) };
  font.glyphs.set(charcode, glyph);
  return glyph;
}

/** Identity-H: two bytes per code. */
function charsToGlyphs(font: TextFont, chars: string): Glyph[] {
  const glyphs: Glyph[] = [];
  for (let i = 0; i + 1 < chars.length; i += 2) glyphs.push(glyphOf(font, (chars.charCodeAt(i) << 8) | chars.charCodeAt(i + 1)));
  if (chars.length % 2 === 1) glyphs.push(glyphOf(font, chars.charCodeAt(chars.length - 1)));
  return glyphs;
}

// ---------------------------------------------------------------------------------------------
// pdf.js getTextContent, horizontal text

class TextState {
  ctm: Matrix = IDENTITY_MATRIX.slice();
  fontName: string | null = null;
  fontSize = 0;
  loadedName: string | null = null;
  font: TextFont | null = null;
  fontMatrix: Matrix = FONT_IDENTITY_MATRIX;
  textMatrix: Matrix = IDENTITY_MATRIX.slice();
  textLineMatrix: Matrix = IDENTITY_MATRIX.slice();
  charSpacing = 0;
  wordSpacing = 0;
  leading = 0;
  textHScale = 1;
  textRise = 0;

  translateTextMatrix(x: number, y: number): void {
    const m = this.textMatrix;
    m[4] = m[0]! * x + m[2]! * y + m[4]!;
    m[5] = m[1]! * x + m[3]! * y + m[5]!;
  }

  translateTextLineMatrix(x: number, y: number): void {
    const m = this.textLineMatrix;
    m[4] = m[0]! * x + m[2]! * y + m[4]!;
    m[5] = m[1]! * x + m[3]! * y + m[5]!;
  }

  carriageReturn(): void {
    this.translateTextLineMatrix(0, -this.leading);
    this.textMatrix = this.textLineMatrix.slice();
  }

  /** Every field copied (the CTM shared, as it is replaced, never changed in place); the other matrices copied. */
  clone(): TextState {
    const clone = Object.create(TextState.prototype) as TextState;
    clone.ctm = this.ctm;
    clone.fontName = this.fontName;
    clone.fontSize = this.fontSize;
    clone.loadedName = this.loadedName;
    clone.font = this.font;
    clone.fontMatrix = this.fontMatrix.slice();
    clone.textMatrix = this.textMatrix.slice();
    clone.textLineMatrix = this.textLineMatrix.slice();
    clone.charSpacing = this.charSpacing;
    clone.wordSpacing = this.wordSpacing;
    clone.leading = this.leading;
    clone.textHScale = this.textHScale;
    clone.textRise = this.textRise;
    return clone;
  }
}

export interface TextItem {
  str: string;
  width: number;
  height: number;
  transform: Matrix;
  hasEOL: boolean;
}

const TRACKING_SPACE_FACTOR = 0.102;
const NOT_A_SPACE_FACTOR = 0.03;
const NEGATIVE_SPACE_FACTOR = -0.2;
const SPACE_IN_FLOW_MIN_FACTOR = 0.102;
const SPACE_IN_FLOW_MAX_FACTOR = 0.6;
const VERTICAL_SHIFT_RATIO = 0.25;

/** pdf.js normalizeUnicode. */
const NORMALIZE =
  /([\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f\u2126\ufb00-\ufb04\ufb06\ufb20-\ufb36\ufb38-\ufb3c\ufb3e\ufb40-\ufb41\ufb43-\ufb44\ufb46-\ufba1\ufba4-\ufba9\ufbae-\ufbb1\ufbd3-\ufbdc\ufbde-\ufbe7\ufbea-\ufbf8\ufbfc-\ufbfd\ufc00-\ufc5d\ufc64-\ufcf1\ufcf5-\ufd3d\ufd88\ufdf4\ufdfa-\ufdfb\ufe71\ufe77\ufe79\ufe7b\ufe7d]+)|(\ufb05+)/gu;
const NORMALIZATION_MAP = new Map([['\ufb05', '\u017ft']]);
function normalizeUnicode(str: string): string {
  if (!mayNeedNormalizing(str)) return str;
  return str.replaceAll(NORMALIZE, (_, p1: string | undefined, p2: string) => (p1 ? p1.normalize('NFKC') : String(NORMALIZATION_MAP.get(p2))));
}

/** Could `str` contain a character NORMALIZE matches? None lies below U+00A0 or in U+2E80–U+FAFF (CJK). */
function mayNeedNormalizing(str: string): boolean {
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0xa0 && (c < 0x2e80 || c > 0xfaff)) return true;
  }
  return false;
}

/** Characters pdf.js's bidi treats as right-to-left: such text is left to pdf.js. */
const RIGHT_TO_LEFT = /[\u0590-\u05f4\u0600-\u08ac\ufb50-\ufdff\ufe70-\ufeff]/;

type Operand = PdfValue;

/**
 * pdf.js getCurrentTextTransform: Util.transform(ctm, Util.transform(textMatrix, tsm)) with
 * tsm = [fontSize × hScale, 0, 0, fontSize, 0, rise], written out term by term (the same
 * products and sums in the same order, so the same numbers) without the two intermediate arrays.
 */
function textRenderingMatrix(state: TextState): Matrix {
  const [t0, t1, t2, t3, t4, t5] = state.textMatrix as [number, number, number, number, number, number];
  const a = state.fontSize * state.textHScale;
  const d = state.fontSize;
  const r = state.textRise;
  const i0 = t0 * a + t2 * 0;
  const i1 = t1 * a + t3 * 0;
  const i2 = t0 * 0 + t2 * d;
  const i3 = t1 * 0 + t3 * d;
  const i4 = t0 * 0 + t2 * r + t4;
  const i5 = t1 * 0 + t3 * r + t5;
  const [c0, c1, c2, c3, c4, c5] = state.ctm as [number, number, number, number, number, number];
  return [c0 * i0 + c2 * i1, c1 * i0 + c3 * i1, c0 * i2 + c2 * i3, c1 * i2 + c3 * i3, c0 * i4 + c2 * i5 + c4, c1 * i4 + c3 * i5 + c5];
}

/**
 * pdf.js getTextContent over one page's content stream. pdf.js keeps this state in closures made
 * for each page; here it is a class, so the code is compiled once per process rather than again
 * for each page's closures whenever the garbage collector drops them.
 */
class PageTextReader {
  private readonly items: TextItem[] = [];
  private readonly textContentItem = {
    initialized: false,
    str: [] as string[],
    totalWidth: 0,
    totalHeight: 0,
    width: 0,
    height: 0,
    prevTransform: null as Matrix | null,
    textAdvanceScale: 0,
    spaceInFlowMin: 0,
    spaceInFlowMax: 0,
    trackingSpaceMin: Infinity,
    negativeSpaceMax: -Infinity,
    notASpace: -Infinity,
    transform: null as Matrix | null,
    fontName: null as string | null,
    hasEOL: false,
  };
  private readonly twoLastChars = [' ', ' '];
  private twoLastCharsPos = 0;
  private readonly stack: TextState[] = [];
  private state = new TextState();
  private textState = this.state;
  private readonly resources: PdfValue | undefined;
  private readonly fontResources: PdfValue | undefined;
  private readonly lexer: PdfLexer;
  /** The operands of the current operator: args[0 … argc − 1] (kept, not truncated, between operators). */
  private readonly args: Operand[] = [];
  private argc = 0;

  constructor(
    private readonly pdf: PdfFile,
    page: PdfDict,
    private readonly fonts: Map<PdfValue, TextFont>,
    private readonly view: number[],
  ) {
    const resources = (this.resources = pdf.get(page, 'Resources'));
    this.fontResources = isPdfDict(resources) ? pdf.get(resources, 'Font') : undefined;
    const contents = pdf.get(page, 'Contents');
    const streams = Array.isArray(contents) ? contents.map((c) => pdf.resolve(c)) : [contents];
    let data = '';
    for (const stream of streams) {
      if (!isPdfStream(stream)) throw new UnsupportedPdf('page contents are not a stream');
      data += `${pdf.streamData(stream).toString('latin1')}\n`;
    }
    this.lexer = new PdfLexer(data, 0, false);
  }

  saveLastChar(char: string): boolean {
    const nextPos = (this.twoLastCharsPos + 1) % 2;
    const ret = this.twoLastChars[this.twoLastCharsPos] !== ' ' && this.twoLastChars[nextPos] === ' ';
    this.twoLastChars[this.twoLastCharsPos] = char;
    this.twoLastCharsPos = nextPos;
    return ret;
  }
  shouldAddWhitespace(): boolean {
    return this.twoLastChars[this.twoLastCharsPos] !== ' ' && this.twoLastChars[(this.twoLastCharsPos + 1) % 2] === ' ';
  }
  resetLastChars(): void {
    this.twoLastChars[0] = this.twoLastChars[1] = ' ';
    this.twoLastCharsPos = 0;
  }

  pushWhitespace({ width = 0, height = 0, transform: t = this.textContentItem.prevTransform }: { width?: number; height?: number; transform?: Matrix | null }): void {
    this.items.push({ str: ' ', width, height, transform: t!, hasEOL: false });
  }
  getCurrentTextTransform(): Matrix {
    return textRenderingMatrix(this.textState);
  }
  ensureTextContentItem(): PageTextReader['textContentItem'] {
    if (this.textContentItem.initialized) return this.textContentItem;
    this.textContentItem.fontName = this.textState.loadedName;
    const trm = (this.textContentItem.transform = this.getCurrentTextTransform());
    this.textContentItem.width = this.textContentItem.totalWidth = 0;
    this.textContentItem.height = this.textContentItem.totalHeight = Math.hypot(trm[2]!, trm[3]!);
    const scaleLineX = Math.hypot(this.textState.textLineMatrix[0]!, this.textState.textLineMatrix[1]!);
    const scaleCtmX = Math.hypot(this.textState.ctm[0]!, this.textState.ctm[1]!);
    this.textContentItem.textAdvanceScale = scaleCtmX * scaleLineX;
    const { fontSize } = this.textState;
    this.textContentItem.trackingSpaceMin = fontSize * TRACKING_SPACE_FACTOR;
    this.textContentItem.notASpace = fontSize * NOT_A_SPACE_FACTOR;
    this.textContentItem.negativeSpaceMax = fontSize * NEGATIVE_SPACE_FACTOR;
    this.textContentItem.spaceInFlowMin = fontSize * SPACE_IN_FLOW_MIN_FACTOR;
    this.textContentItem.spaceInFlowMax = fontSize * SPACE_IN_FLOW_MAX_FACTOR;
    this.textContentItem.hasEOL = false;
    this.textContentItem.initialized = true;
    return this.textContentItem;
  }
  updateAdvanceScale(): void {
    if (!this.textContentItem.initialized) return;
    const scaleLineX = Math.hypot(this.textState.textLineMatrix[0]!, this.textState.textLineMatrix[1]!);
    const scaleCtmX = Math.hypot(this.textState.ctm[0]!, this.textState.ctm[1]!);
    const scaleFactor = scaleCtmX * scaleLineX;
    if (scaleFactor === this.textContentItem.textAdvanceScale) return;
    this.textContentItem.totalWidth += this.textContentItem.width * this.textContentItem.textAdvanceScale;
    this.textContentItem.width = 0;
    this.textContentItem.textAdvanceScale = scaleFactor;
  }
  runBidiTransform(): TextItem {
    const text = normalizeUnicode(this.textContentItem.str.join(''));
    if (RIGHT_TO_LEFT.test(text)) throw new UnsupportedPdf('right-to-left text');
    return {
      str: text,
      width: Math.abs(this.textContentItem.totalWidth),
      height: Math.abs(this.textContentItem.totalHeight),
      transform: this.textContentItem.transform!,
      hasEOL: this.textContentItem.hasEOL,
    };
  }
  flushTextContentItem(): void {
    if (!this.textContentItem.initialized || !this.textContentItem.str) return;
    this.textContentItem.totalWidth += this.textContentItem.width * this.textContentItem.textAdvanceScale;
    this.items.push(this.runBidiTransform());
    this.textContentItem.initialized = false;
    this.textContentItem.str.length = 0;
  }
  appendEOL(): void {
    this.resetLastChars();
    if (this.textContentItem.initialized) {
      this.textContentItem.hasEOL = true;
      this.flushTextContentItem();
    } else {
      this.items.push({ str: '', width: 0, height: 0, transform: this.getCurrentTextTransform(), hasEOL: true });
    }
  }
  addFakeSpaces(width: number, transf: Matrix | null, textOrientation: number): boolean {
    if (textOrientation * this.textContentItem.spaceInFlowMin <= width && width <= textOrientation * this.textContentItem.spaceInFlowMax) {
      if (this.textContentItem.initialized) {
        this.resetLastChars();
        this.textContentItem.str.push(' ');
      }
      return false;
    }
    this.flushTextContentItem();
    this.resetLastChars();
    this.pushWhitespace({ width: Math.abs(width), height: 0, transform: transf || this.getCurrentTextTransform() });
    return true;
  }
  compareWithLastPosition(glyphWidth: number): boolean {
    const currentTransform = this.getCurrentTextTransform();
    let posX = currentTransform[4]!;
    let posY = currentTransform[5]!;
    if (posX + glyphWidth < this.view[0]! || posX > this.view[2]! || posY < this.view[1]! || posY > this.view[3]!) return false;
    if (!this.textState.font || !this.textContentItem.prevTransform) return true;
    let lastPosX = this.textContentItem.prevTransform[4]!;
    let lastPosY = this.textContentItem.prevTransform[5]!;
    if (lastPosX === posX && lastPosY === posY) return true;
    let rotate = -1;
    if (currentTransform[0] && currentTransform[1] === 0 && currentTransform[2] === 0) rotate = currentTransform[0] > 0 ? 0 : 180;
    else if (currentTransform[1] && currentTransform[0] === 0 && currentTransform[3] === 0) rotate = currentTransform[1] > 0 ? 90 : 270;
    switch (rotate) {
      case 0:
        break;
      case 90:
        [posX, posY] = [posY, posX];
        [lastPosX, lastPosY] = [lastPosY, lastPosX];
        break;
      case 180:
        [posX, posY, lastPosX, lastPosY] = [-posX, -posY, -lastPosX, -lastPosY];
        break;
      case 270:
        [posX, posY] = [-posY, -posX];
        [lastPosX, lastPosY] = [-lastPosY, -lastPosX];
        break;
      default: {
        const inverse = (x: number, y: number, m: Matrix): [number, number] => {
          const scale = Math.hypot(m[0]!, m[1]!);
          return [(m[0]! * x + m[1]! * y) / scale, (m[2]! * x + m[3]! * y) / scale];
        };
        [posX, posY] = inverse(posX, posY, currentTransform);
        [lastPosX, lastPosY] = inverse(lastPosX, lastPosY, this.textContentItem.prevTransform);
      }
    }
    const advanceX = (posX - lastPosX) / this.textContentItem.textAdvanceScale;
    const advanceY = posY - lastPosY;
    const textOrientation = Math.sign(this.textContentItem.width);
    if (advanceX < textOrientation * this.textContentItem.negativeSpaceMax) {
      if (Math.abs(advanceY) > 0.5 * this.textContentItem.height) {
        this.appendEOL();
        return true;
      }
      this.resetLastChars();
      this.flushTextContentItem();
      return true;
    }
    if (Math.abs(advanceY) > this.textContentItem.height) {
      this.appendEOL();
      return true;
    }
    if (advanceX <= textOrientation * this.textContentItem.notASpace) this.resetLastChars();
    if (advanceX <= textOrientation * this.textContentItem.trackingSpaceMin) {
      if (this.shouldAddWhitespace()) {
        this.resetLastChars();
        this.flushTextContentItem();
        this.pushWhitespace({ width: Math.abs(advanceX) });
      } else {
        this.textContentItem.width += advanceX;
      }
    } else if (!this.addFakeSpaces(advanceX, this.textContentItem.prevTransform, textOrientation)) {
      if (this.textContentItem.str.length === 0) {
        this.resetLastChars();
        this.pushWhitespace({ width: Math.abs(advanceX) });
      } else {
        this.textContentItem.width += advanceX;
      }
    }
    if (Math.abs(advanceY) > this.textContentItem.height * VERTICAL_SHIFT_RATIO) this.flushTextContentItem();
    return true;
  }
  buildTextContentItem(chars: string, extraSpacing: number): void {
    const font = this.textState.font!;
    if (!chars) {
      const charSpacing = this.textState.charSpacing + extraSpacing;
      if (charSpacing) this.textState.translateTextMatrix(charSpacing * this.textState.textHScale, 0);
      return;
    }
    const glyphs = charsToGlyphs(font, chars);
    const scale = this.textState.fontMatrix[0]! * this.textState.fontSize;
    for (let i = 0, ii = glyphs.length; i < ii; i++) {
      const glyph = glyphs[i]!;
      const { category } = glyph;
      if (category.isInvisibleFormatMark) continue;
      let charSpacing = this.textState.charSpacing + (i + 1 === ii ? extraSpacing : 0);
      let scaledDim = glyph.width * scale;
      if (glyph.charcode === 0x20) charSpacing += this.textState.wordSpacing;
      if (category.isWhitespace) {
        charSpacing += scaledDim;
        this.textState.translateTextMatrix(charSpacing * this.textState.textHScale, 0);
        this.saveLastChar(' ');
        continue;
      }
      if (!category.isZeroWidthDiacritic && !this.compareWithLastPosition(scaledDim)) {
        this.textState.translateTextMatrix(scaledDim * this.textState.textHScale, 0);
        continue;
      }
      const textChunk = this.ensureTextContentItem();
      if (category.isZeroWidthDiacritic) scaledDim = 0;
      scaledDim *= this.textState.textHScale;
      this.textState.translateTextMatrix(scaledDim, 0);
      textChunk.width += scaledDim;
      if (scaledDim) textChunk.prevTransform = this.getCurrentTextTransform();
      const glyphUnicode = glyph.unicode;
      if (this.saveLastChar(glyphUnicode)) textChunk.str.push(' ');
      textChunk.str.push(glyphUnicode);
      if (charSpacing) this.textState.translateTextMatrix(charSpacing * this.textState.textHScale, 0);
    }
  }

  setFont(name: string, size: number): void {
    if (!isPdfDict(this.fontResources)) throw new UnsupportedPdf('page without fonts');
    const ref = this.fontResources.get(name);
    const key = ref instanceof PdfRef ? `${ref.num} ${ref.gen}` : ref;
    let font = this.fonts.get(key as PdfValue);
    if (!font) {
      font = loadFont(this.pdf, ref, `f${this.fonts.size + 1}`);
      this.fonts.set(key as PdfValue, font);
    }
    this.textState.fontName = name;
    this.textState.fontSize = size;
    this.textState.loadedName = font.loadedName;
    this.textState.font = font;
    this.textState.fontMatrix = FONT_IDENTITY_MATRIX;
  }

  num(i: number): number {
    const v = this.args[this.argc - i];
    if (typeof v !== 'number') throw new UnsupportedPdf('operator without its numbers');
    return v;
  }

  read(): TextItem[] {
    while (!this.lexer.atEnd()) {
      if (this.argc === 0 && skipPaintingLine(this.lexer)) continue;
      const token = this.lexer.next();
      if (!(typeof token === 'object' && token !== null && 'keyword' in token)) {
        this.args[this.argc++] = token as Operand;
        continue;
      }
      const op = token.keyword;
      // The graphics state stack and the CTM (pdf.js EvaluatorPreprocessor), then the text operators.
      const previousState = this.textState;
      if (op === 'q') {
        this.stack.push(this.state);
        this.state = this.state.clone();
      } else if (op === 'Q') {
        const prev = this.stack.pop();
        if (prev) this.state = prev;
      } else if (op === 'cm') {
        this.state.ctm = transform(this.state.ctm, [this.num(6), this.num(5), this.num(4), this.num(3), this.num(2), this.num(1)]);
      }
      this.textState = this.state;
      switch (op) {
        case 'Tf': {
          const fontName = this.args[this.argc - 2];
          const fontSize = this.num(1);
          if (!(fontName instanceof PdfName)) throw new UnsupportedPdf('Tf without a font name');
          if (this.textState.font && fontName.name === this.textState.fontName && fontSize === this.textState.fontSize) break;
          this.flushTextContentItem();
          this.setFont(fontName.name, fontSize);
          break;
        }
        case 'Ts':
          this.textState.textRise = this.num(1);
          break;
        case 'Tz':
          this.textState.textHScale = this.num(1) / 100;
          break;
        case 'TL':
          this.textState.leading = this.num(1);
          break;
        case 'Td':
          this.textState.translateTextLineMatrix(this.num(2), this.num(1));
          this.textState.textMatrix = this.textState.textLineMatrix.slice();
          break;
        case 'TD':
          this.textState.leading = -this.num(1);
          this.textState.translateTextLineMatrix(this.num(2), this.num(1));
          this.textState.textMatrix = this.textState.textLineMatrix.slice();
          break;
        case 'T*':
          this.textState.carriageReturn();
          break;
        case 'Tm': {
          const m = [this.num(6), this.num(5), this.num(4), this.num(3), this.num(2), this.num(1)];
          this.textState.textMatrix = m.slice();
          this.textState.textLineMatrix = m.slice();
          this.updateAdvanceScale();
          break;
        }
        case 'Tc':
          this.textState.charSpacing = this.num(1);
          break;
        case 'Tw':
          this.textState.wordSpacing = this.num(1);
          break;
        case 'BT':
          this.textState.textMatrix = IDENTITY_MATRIX.slice();
          this.textState.textLineMatrix = IDENTITY_MATRIX.slice();
          break;
        case 'TJ': {
          if (!this.textState.font) throw new UnsupportedPdf('text before any font');
          const spaceFactor = (-1 * this.textState.fontSize) / 1000;
          const elements = this.args[this.argc - 1];
          if (!Array.isArray(elements)) throw new UnsupportedPdf('TJ without an array');
          let buffer = '';
          let buffered = false;
          for (const item of elements) {
            if (typeof item === 'string') {
              buffer += item;
              buffered = true;
            } else if (typeof item === 'number' && item !== 0) {
              this.buildTextContentItem(buffer, item * spaceFactor);
              buffer = '';
              buffered = false;
            }
          }
          if (buffered) this.buildTextContentItem(buffer, 0);
          break;
        }
        case 'Tj': {
          if (!this.textState.font) throw new UnsupportedPdf('text before any font');
          this.buildTextContentItem(this.args[this.argc - 1] as string, 0);
          break;
        }
        case "'":
        case '"':
          throw new UnsupportedPdf(`text operator ${op}`);
        case 'Do':
          throw new UnsupportedPdf('XObject on a page');
        case 'gs': {
          const name = this.args[this.argc - 1];
          const extGStates = isPdfDict(this.resources) ? this.pdf.get(this.resources, 'ExtGState') : undefined;
          const gState = name instanceof PdfName && isPdfDict(extGStates) ? this.pdf.get(extGStates, name.name) : undefined;
          if (isPdfDict(gState) && gState.has('Font')) throw new UnsupportedPdf('font set by a graphics state');
          break;
        }
        case 'BMC':
        case 'BDC':
        case 'EMC':
          this.flushTextContentItem();
          break;
        case 'Q':
          if (previousState.font !== this.textState.font || previousState.fontSize !== this.textState.fontSize || previousState.fontName !== this.textState.fontName) {
            this.flushTextContentItem();
          }
          break;
        case 'BI':
          throw new UnsupportedPdf('inline image');
      }
      this.argc = 0;
    }
    this.flushTextContentItem();
    return this.items;
  }
}

/**
 * Operators that build, paint or colour paths and set line styles: pdf.js's getTextContent
 * passes over them, so their operands need not be read.
 */
const PAINTING = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're', 'S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n', 'W', 'W*',
  'w', 'J', 'j', 'M', 'd', 'ri', 'i', 'CS', 'cs', 'SC', 'SCN', 'sc', 'scn', 'G', 'g', 'RG', 'rg', 'K', 'k']);

/**
 * Skip the line at the lexer if it is one painting operator with plain operands (numbers, names,
 * number arrays), as pdfkit writes each operator on a line of its own: most of a table page is
 * its grid. Anything else (strings, dictionaries, comments, several operators) is left to the lexer.
 */
function skipPaintingLine(lexer: PdfLexer): boolean {
  const s = lexer.src;
  let start = lexer.pos;
  while (start < s.length && (s.charCodeAt(start) === 0x0a || s.charCodeAt(start) === 0x0d || s.charCodeAt(start) === 0x20)) start++;
  let end = s.indexOf('\n', start);
  if (end < 0) end = s.length;
  let opEnd = end;
  while (opEnd > start && (s.charCodeAt(opEnd - 1) === 0x20 || s.charCodeAt(opEnd - 1) === 0x0d)) opEnd--;
  let opStart = opEnd;
  while (opStart > start && s.charCodeAt(opStart - 1) !== 0x20) opStart--;
  if (!PAINTING.has(s.slice(opStart, opEnd))) return false;
  // The operands: numbers, names, number arrays, nothing else; one operator on the line.
  let name = false;
  for (let i = start; i < opStart; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2f) name = true;
    else if (c === 0x20) name = false;
    else if (!name && !((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x5b || c === 0x5d)) return false;
    else if (name && !(c > 0x20 && c < 0x7f && c !== 0x25 && c !== 0x28 && c !== 0x29 && c !== 0x3c && c !== 0x3e && c !== 0x5b && c !== 0x5d && c !== 0x7b && c !== 0x7d && c !== 0x2f)) return false;
  }
  lexer.pos = end;
  return true;
}

function textContentOfPage(pdf: PdfFile, page: PdfDict, fonts: Map<PdfValue, TextFont>, view: number[]): TextItem[] {
  return new PageTextReader(pdf, page, fonts, view).read();
}

// ---------------------------------------------------------------------------------------------
// pdf-parse getPageText with its default parameters

const LINE_THRESHOLD = 4.6;
const CELL_THRESHOLD = 7;
const CELL_SEPARATOR = '\t';

/** pdf.js PageViewport at scale 1, rotation 0: the transform pdf-parse maps item positions with. */
function viewportTransform(view: number[]): Matrix {
  const [x0, y0, x1, y1] = view as [number, number, number, number];
  const centerX = (x1 + x0) / 2;
  const centerY = (y1 + y0) / 2;
  const rotateA = 1;
  const rotateB = 0;
  const rotateC = 0;
  const rotateD = -1;
  const offsetCanvasX = Math.abs(centerX - x0);
  const offsetCanvasY = Math.abs(centerY - y0);
  return [rotateA, rotateB, rotateC, rotateD, offsetCanvasX - rotateA * centerX - rotateC * centerY, offsetCanvasY - rotateB * centerX - rotateD * centerY];
}

function pageText(items: TextItem[], view: number[]): string {
  const vt = viewportTransform(view);
  const strBuf: string[] = [];
  let lastX: number | undefined;
  let lastY: number | undefined;
  let lineHeight = 0;
  for (const item of items) {
    const tm = item.transform;
    const x = tm[4]! * vt[0]! + tm[5]! * vt[2]! + vt[4]!;
    const y = tm[4]! * vt[1]! + tm[5]! * vt[3]! + vt[5]!;
    let str = item.str;
    if (lastY !== undefined && Math.abs(lastY - y) > LINE_THRESHOLD) {
      const lastItem = strBuf.length ? strBuf[strBuf.length - 1] : undefined;
      const isCurrentItemHasNewLine = str.startsWith('\n') || (str.trim() === '' && item.hasEOL);
      if (lastItem?.endsWith('\n') === false && !isCurrentItemHasNewLine) {
        const ydiff = Math.abs(lastY - y);
        if (ydiff - 1 > lineHeight) {
          strBuf.push('\n');
          lineHeight = 0;
        }
      }
    }
    if (lastY !== undefined && Math.abs(lastY - y) < LINE_THRESHOLD) {
      if (lastX !== undefined && Math.abs(lastX - x) > CELL_THRESHOLD) str = `${CELL_SEPARATOR}${str}`;
    }
    strBuf.push(str);
    lastX = x + item.width;
    lastY = y;
    lineHeight = Math.max(lineHeight, item.height);
    if (item.hasEOL) strBuf.push('\n');
    if (item.hasEOL || str.endsWith('\n')) lineHeight = 0;
  }
  return strBuf.join('');
}

function pagesInOrder(pdf: PdfFile): PdfDict[] {
  const root = pdf.get(pdf.trailer, 'Root');
  if (!isPdfDict(root)) throw new UnsupportedPdf('no catalog');
  const pages: PdfDict[] = [];
  const visit = (node: PdfValue | undefined, depth: number): void => {
    const dict = pdf.resolve(node);
    if (!isPdfDict(dict) || depth > 32) throw new UnsupportedPdf('bad page tree');
    const type = pdf.get(dict, 'Type');
    if (type instanceof PdfName && type.name === 'Pages') {
      const kids = pdf.get(dict, 'Kids');
      if (!Array.isArray(kids)) throw new UnsupportedPdf('page tree without kids');
      for (const kid of kids) visit(kid, depth + 1);
    } else {
      pages.push(dict);
    }
  };
  visit(root.get('Pages'), 0);
  return pages;
}

/**
 * The normalised text of every page (as `extractPageTexts` gives it), or undefined when the PDF
 * uses anything this reader does not cover. Meant for PDFs budget-pdf has just written.
 */
export function readOwnPdfPageTexts(bytes: Uint8Array): string[] | undefined {
  try {
    const pdf = new PdfFile(bytes);
    const fonts = new Map<PdfValue, TextFont>();
    return pagesInOrder(pdf).map((page) => {
      if (page.has('Rotate') || page.has('CropBox') || page.has('UserUnit') && pdf.get(page, 'UserUnit') !== 1) {
        throw new UnsupportedPdf('rotated, cropped or scaled page');
      }
      const box = pdf.get(page, 'MediaBox');
      if (!Array.isArray(box) || box.length !== 4 || !box.every((n) => typeof n === 'number')) throw new UnsupportedPdf('page without a MediaBox');
      const [a, b, c, d] = box as number[];
      // pdf.js normalises the box to [minX, minY, maxX, maxY].
      const view = [Math.min(a!, c!), Math.min(b!, d!), Math.max(a!, c!), Math.max(b!, d!)];
      return normalizePageText(pageText(textContentOfPage(pdf, page, fonts, view), view));
    });
  } catch (error) {
    if (error instanceof UnsupportedPdf) return undefined;
    throw error;
  }
}

/**
 * The page texts of a PDF budget-pdf has just rendered: read by `readOwnPdfPageTexts` when it
 * covers the PDF, else by pdf-parse. Either way the same text `extractPageTexts` gives.
 */
export async function renderedPageTexts(bytes: Uint8Array, file: string): Promise<string[]> {
  return readOwnPdfPageTexts(bytes) ?? extractPageTexts(bytes, file);
}
