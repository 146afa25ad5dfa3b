/**
 * pdfmake's measuring of a one-line text node, without its line breaker.
 *
 * Why: typography.ts hands pdfmake every line as a `noWrap` text node of its own. For each,
 * pdfmake's `DocMeasure.measureLeaf` still clones the style stack, flattens the text, runs it
 * through its breaker and then resolves two dozen style properties for the one inline it makes,
 * each by walking the whole stack (the node, its cell, its table, its section, …). That was
 * two fifths of pdfmake's layout time.
 *
 * How: for a node whose text is a plain string, without style names or a text reference, and
 * with noWrap in effect (or an empty text), pdfmake's result is one inline holding the whole text. Each property
 * of that inline is what pdfmake's lookup gives: the node's own value, else the first value on
 * the stack below the node, else the default. The stack below is resolved for all properties at
 * once, level by level, and each level is remembered while its entry stays the same object
 * (the cells of a table share all levels but their own). Widths and the cuts of leading and trailing spaces are measured by pdfmake's own
 * TextInlines, in the same order. Every other node goes to pdfmake's code. Same inlines, so the
 * same PDF: a test compares both paths on every node of the reference publication.
 */
import { pdfmakeClass, requirePdfmakeModule } from './pdfmake-internals.js';
import { entryValue, isValue, type StyleDictionary } from './pdfmake-style-lookup.js';

interface StyleStack {
  styleDictionary: StyleDictionary;
  defaultStyle?: Record<string, unknown>;
  styleOverrides: unknown[];
}

interface Inline {
  text: string;
  font: { lineHeight(size: number): number };
  fontSize: number;
  width: number;
  height: number;
  leadingCut: number;
  trailingCut: number;
  [property: string]: unknown;
}

interface TextInlines {
  pdfDocument: { provideFont(family: unknown, bold: unknown, italics: unknown): Inline['font'] };
  widthOfText(text: string, inline: Inline): number;
}

interface MeasuredNode {
  text?: unknown;
  style?: unknown;
  _textRef?: unknown;
  _inlines?: Inline[];
  _minWidth?: number;
  _maxWidth?: number;
  [property: string]: unknown;
}

interface DocMeasure {
  styleStack: StyleStack;
  textInlines: TextInlines;
  measureLeaf(node: MeasuredNode): MeasuredNode;
}

/** Every property TextInlines.buildInlines and .measure look up for an inline, with pdfmake's defaults. */
const DEFAULTS = {
  leadingIndent: 0,
  font: 'Roboto',
  bold: false,
  italics: false,
  alignment: 'left',
  fontSize: 12,
  fontFeatures: null,
  characterSpacing: 0,
  color: 'black',
  decoration: null,
  decorationColor: null,
  decorationStyle: null,
  decorationThickness: null,
  background: null,
  link: null,
  linkToPage: null,
  linkToDestination: null,
  noWrap: null,
  opacity: 1,
  sup: false,
  sub: false,
  lineHeight: 1,
  preserveLeadingSpaces: false,
  preserveTrailingSpaces: false,
  // Read by TextBreaker only: how text that may wrap is split.
  wordBreak: 'normal',
} as const;
type Property = keyof typeof DEFAULTS;
const PROPERTIES = Object.keys(DEFAULTS) as Property[];
const IS_PROPERTY = new Set<string>(PROPERTIES);

const LEADING = /^(\s)+/g;
const TRAILING = /(\s)+$/g;

/** A value for every property; always made by `copyValues`, so all share one shape and read fast. */
type Values = { -readonly [P in Property]: unknown };

function copyValues(v: Values): Values {
  return {
    leadingIndent: v.leadingIndent,
    font: v.font,
    bold: v.bold,
    italics: v.italics,
    alignment: v.alignment,
    fontSize: v.fontSize,
    fontFeatures: v.fontFeatures,
    characterSpacing: v.characterSpacing,
    color: v.color,
    decoration: v.decoration,
    decorationColor: v.decorationColor,
    decorationStyle: v.decorationStyle,
    decorationThickness: v.decorationThickness,
    background: v.background,
    link: v.link,
    linkToPage: v.linkToPage,
    linkToDestination: v.linkToDestination,
    noWrap: v.noWrap,
    opacity: v.opacity,
    sup: v.sup,
    sub: v.sub,
    lineHeight: v.lineHeight,
    preserveLeadingSpaces: v.preserveLeadingSpaces,
    preserveTrailingSpaces: v.preserveTrailingSpaces,
    wordBreak: v.wordBreak,
  };
}

/**
 * `values` overridden by what one stack entry (or the node itself) gives: a named style through
 * pdfmake's own lookup (it may extend others), an object by its own properties. Only values count.
 */
function override(values: Values, entry: unknown, dictionary: StyleDictionary): void {
  if (typeof entry === 'string' || entry instanceof String) {
    for (const property of PROPERTIES) {
      const value = entryValue(dictionary, entry as string, property);
      if (isValue(value)) values[property] = value;
    }
    return;
  }
  const object = entry as Record<string, unknown>;
  // An entry sets a few properties; visiting its keys beats asking it for all two dozen.
  for (const key in object) {
    if (!IS_PROPERTY.has(key)) continue;
    const value = object[key];
    if (isValue(value)) values[key as Property] = value;
  }
}

/**
 * What each prefix of a style stack gives the properties, remembered level by level. pdfmake
 * takes the topmost entry with a value, else the default style, else its own default; the same
 * answer comes from pdfmake's defaults overridden by the default style and then by each entry in
 * turn, bottom up. Consecutive nodes share most of their stack (a table, its cell, the cell's
 * lines), so only the levels that changed are redone.
 */
class StackValues {
  private readonly levels: Array<{ entry: unknown; values: Values }> = [];
  private dictionary: StyleDictionary = {};
  private defaultStyle: Record<string, unknown> | undefined;
  private base = copyValues(DEFAULTS);

  /** The values of the stack's first `depth` entries, its default style and pdfmake's defaults. */
  resolve(stack: StyleStack, depth: number): Values {
    if (stack.styleDictionary !== this.dictionary || stack.defaultStyle !== this.defaultStyle) {
      this.dictionary = stack.styleDictionary;
      this.defaultStyle = stack.defaultStyle;
      this.base = copyValues(DEFAULTS);
      if (stack.defaultStyle) override(this.base, stack.defaultStyle, {});
      this.levels.length = 0;
    }
    const entries = stack.styleOverrides;
    let kept = 0;
    while (kept < this.levels.length && kept < depth && this.levels[kept]!.entry === entries[kept]) kept++;
    this.levels.length = kept;
    for (let i = kept; i < depth; i++) {
      const values = copyValues(i === 0 ? this.base : this.levels[i - 1]!.values);
      override(values, entries[i], this.dictionary);
      this.levels.push({ entry: entries[i], values });
    }
    return depth === 0 ? this.base : this.levels[depth - 1]!.values;
  }

  /** The values for a node on top of the stack's first `depth` entries: the node's own values win. */
  forNode(stack: StyleStack, depth: number, node: MeasuredNode): Values {
    const values = copyValues(this.resolve(stack, depth));
    override(values, node, this.dictionary);
    return values;
  }
}

/** A piece of a line in pieces (typography's justified lines): a plain object with its text and own style. */
interface Piece {
  text: string;
  [property: string]: unknown;
}

function isPlainPiece(item: unknown): item is Piece {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const piece = item as Record<string, unknown>;
  return typeof piece.text === 'string' && piece.style === undefined && piece._textRef === undefined;
}

/**
 * How many entries lie below a text node (a plain string, or a list of plain pieces) with no
 * style names and no text reference, or -1 for any other node. The node itself is on top of the
 * stack, once or more (a table pushes a cell, then measureNode pushes it again); its copies give
 * only its own values.
 */
function depthBelowPlainTextNode(node: MeasuredNode, stack: StyleStack): number {
  const plainText = typeof node.text === 'string' || (Array.isArray(node.text) && node.text.length > 0 && node.text.every(isPlainPiece));
  if (!plainText || node.style !== undefined || node._textRef !== undefined) return -1;
  const entries = stack.styleOverrides;
  let depth = entries.length;
  while (depth > 0 && entries[depth - 1] === node) depth--;
  return depth === entries.length ? -1 : depth;
}

/**
 * What pdfmake's TextInlines.measure does to one item TextBreaker made, with the item's style
 * values, in the same order; only the first item of a node takes the leading indent.
 */
function measureInline(item: Inline, first: boolean, textInlines: TextInlines, style: Values): Inline {
  const leadingIndent = first ? (style.leadingIndent as number) : 0;
  if (leadingIndent) {
    item.leadingCut = -leadingIndent;
    item.leadingIndent = leadingIndent;
  }
  item.font = textInlines.pdfDocument.provideFont(style.font, style.bold, style.italics);
  item.alignment = style.alignment;
  item.fontSize = style.fontSize as number;
  item.fontFeatures = style.fontFeatures;
  item.characterSpacing = style.characterSpacing;
  item.color = style.color;
  item.decoration = style.decoration;
  item.decorationColor = style.decorationColor;
  item.decorationStyle = style.decorationStyle;
  item.decorationThickness = style.decorationThickness;
  item.background = style.background;
  item.link = style.link;
  item.linkToPage = style.linkToPage;
  item.linkToDestination = style.linkToDestination;
  item.noWrap = style.noWrap;
  item.opacity = style.opacity;
  item.sup = style.sup;
  item.sub = style.sub;
  if (item.sup || item.sub) item.fontSize *= 0.58;
  const lineHeight = style.lineHeight as number;
  item.width = textInlines.widthOfText(item.text, item);
  item.height = item.font.lineHeight(item.fontSize) * lineHeight;
  if (!item.leadingCut) item.leadingCut = 0;
  if (!style.preserveLeadingSpaces) {
    const leadingSpaces = item.text.match(LEADING);
    if (leadingSpaces) item.leadingCut += textInlines.widthOfText(leadingSpaces[0]!, item);
  }
  item.trailingCut = 0;
  if (!style.preserveTrailingSpaces) {
    const trailingSpaces = item.text.match(TRAILING);
    if (trailingSpaces) item.trailingCut = textInlines.widthOfText(trailingSpaces[0]!, item);
  }
  return item;
}

interface LineBreaker {
  nextBreak(): { position: number; required: boolean } | null;
}
type LineBreakerClass = new (text: string) => LineBreaker;

const TRAILING_NEWLINE = /\r?\n$|\r$/;

/** pdfmake's splitWords(text, false): the texts of the pieces its UAX #14 breaker cuts `text` into. */
function breakOpportunities(text: string, LineBreaker: LineBreakerClass): string[] {
  if (text.length === 0) return [''];
  const words: string[] = [];
  const breaker = new LineBreaker(text);
  let last = 0;
  let bk: ReturnType<LineBreaker['nextBreak']>;
  while ((bk = breaker.nextBreak())) {
    let word = text.slice(last, bk.position);
    if (bk.required || TRAILING_NEWLINE.test(word)) word = word.replace(TRAILING_NEWLINE, '');
    words.push(word);
    last = bk.position;
  }
  return words;
}

/**
 * The items pdfmake's TextBreaker makes of a node's pieces when none of them may wrap: one per
 * piece, holding the piece's own style, and `noNewLine` on a piece that the next one continues
 * without a break opportunity between them (pdfmake asks its breaker about the last word of one
 * and the first word of the next). Undefined when a piece may wrap.
 */
function piecesAsItems(pieces: Piece[], values: Values[], LineBreaker: LineBreakerClass): Inline[] | undefined {
  const items: Inline[] = [];
  let lastWord: string | null = null;
  for (let i = 0; i < pieces.length; i++) {
    if (!values[i]!.noWrap) return undefined;
    const piece = pieces[i]!;
    if (lastWord) {
      const firstWord = breakOpportunities(piece.text, LineBreaker)[0] ?? null;
      if (breakOpportunities(lastWord + firstWord, LineBreaker).length === 1) items[items.length - 1]!.noNewLine = true;
    }
    // TextBreaker's result: the text, then every own property of the piece but its text (copyStyle).
    const item = { text: piece.text } as Inline;
    for (const key in piece) if (key !== 'text' && Object.hasOwn(piece, key)) item[key] = piece[key];
    items.push(item);
    const words = i + 1 < pieces.length ? breakOpportunities(piece.text, LineBreaker) : [];
    lastWord = words.length > 0 ? words[words.length - 1]! : null;
  }
  return items;
}

/** buildInlines' minimum and maximum widths of measured items: the widest item, the widest line (here one). */
function widthsOf(items: Inline[], noWrap: boolean): { min: number; max: number } {
  const trimmed = (width: number, leadingCut: number, trailingCut: number): number => Math.max(0, width - leadingCut - trailingCut);
  let min = 0;
  let max = 0;
  let line: { width: number; leadingCut: number; trailingCut: number } | null = null;
  for (const item of items) {
    min = Math.max(min, trimmed(item.width, item.leadingCut, item.trailingCut));
    line ??= { width: 0, leadingCut: item.leadingCut, trailingCut: 0 };
    line.width += item.width;
    line.trailingCut = item.trailingCut;
    max = Math.max(max, trimmed(line.width, line.leadingCut, line.trailingCut));
    if (item.lineEnd) line = null;
  }
  return { min: noWrap ? max : min, max };
}

let installed = false;

/** Once per process: DocMeasure measures typography's line nodes directly. */
export function installLineMeasuring(): void {
  if (installed) return;
  const DocMeasureClass = pdfmakeClass<{ prototype: DocMeasure }>('./DocMeasure.js');
  const LineBreaker = requirePdfmakeModule<{ default?: LineBreakerClass } & LineBreakerClass>('linebreak');
  const Breaker = (LineBreaker.default ?? LineBreaker) as LineBreakerClass;
  const stackValues = new StackValues();
  const measureLeaf = DocMeasureClass.prototype.measureLeaf;
  DocMeasureClass.prototype.measureLeaf = function (this: DocMeasure, node: MeasuredNode) {
    const depth = depthBelowPlainTextNode(node, this.styleStack);
    if (depth < 0) return measureLeaf.call(this, node);
    const style = stackValues.forNode(this.styleStack, depth, node);
    let items: Inline[] | undefined;
    let values: Values[];
    if (typeof node.text === 'string') {
      // An empty text makes one empty inline whether it may wrap or not (unless every character is a break).
      const oneInline = style.noWrap || (node.text === '' && style.wordBreak !== 'break-all');
      items = oneInline ? [{ text: node.text } as Inline] : undefined;
      values = [style];
    } else {
      const pieces = node.text as Piece[];
      values = pieces.map((piece) => {
        const own = copyValues(style);
        override(own, piece, this.styleStack.styleDictionary);
        return own;
      });
      items = piecesAsItems(pieces, values, Breaker);
    }
    if (!items) return measureLeaf.call(this, node);
    const inlines = items.map((item, i) => measureInline(item, i === 0, this.textInlines, values[i]!));
    const widths = widthsOf(inlines, Boolean(style.noWrap));
    node._inlines = inlines;
    node._minWidth = widths.min;
    node._maxWidth = widths.max;
    return node;
  };
  installed = true;
}
