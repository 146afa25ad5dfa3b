/**
 * Chinese typography for pdfmake: line breaking measured with the real font, justified
 * paragraphs with a two-character first-line indent, balanced titles, table-cell text.
 *
 * Lines are broken by us, not by pdfmake: pdfmake's breaker (UAX #14) makes one inline per CJK
 * character, which is slow and knows nothing of Chinese line-start/line-end rules. Each line
 * is handed to pdfmake as one `noWrap` text node; a justified line gets the characterSpacing
 * that makes it fill the measure exactly (between CJK characters and spaces only: a line with
 * numbers or Latin words is split into a few inlines so 866.01 is never letter-spaced).
 * Widths are computed the way pdfkit computes them (fontkit advances of the same Font object),
 * so pdfmake puts each line exactly where it was computed.
 *
 * This module turns broken lines into pdfmake nodes. The parts below it, one responsibility each:
 * text-measure.ts (widths as pdfkit measures them), line-units.ts (where a line may break),
 * line-breaking.ts (paragraph and cell lines, justification), title-balance.ts (balanced titles).
 */
import type * as fontkit from 'fontkit';
import type { Content } from 'pdfmake/interfaces.js';
import type { FontRole, FontSet } from '../pdf/fonts.js';
import { breakLines, type Line } from './line-breaking.js';
import { measureFor } from './text-measure.js';
import { balanceLines } from './title-balance.js';

// ---------------------------------------------------------------------------------------------
// pdfmake nodes

export type Align = 'justify' | 'left' | 'center' | 'right';

export interface BlockOptions {
  fonts: FontSet;
  /** Font role; pdfmake family names are the role names. */
  role: FontRole;
  /** Font size in pt. */
  size: number;
  /** Measure in pt: the width pdfmake gives the node (page or column width less margins and padding). */
  width: number;
  /** Line pitch as a multiple of the font size (1.75 → 28 pt lines at 16 pt). Default 1.5. */
  lineHeight?: number;
  /** Base characterSpacing in pt (e.g. for letter-spaced titles). */
  characterSpacing?: number;
  /**
   * Extra properties for the first line's text node: `id` for pageReference, `tocItem`,
   * `outline`/`outlineText` for bookmarks, `linkToDestination`. Page breaks, orientation and
   * margins belong on the returned node itself.
   */
  firstLine?: Record<string, unknown>;
  /** Extra properties for every line's text node: a `linkToDestination` that the whole block is. */
  everyLine?: Record<string, unknown>;
  /**
   * Lines kept together (in pdfmake `unbreakable` stacks) at the start and at the end of the
   * block when it crosses a page: no lone first line at a page foot, no lone last line at a page
   * head. 1 turns it off. Defaults: paragraphs 2, titles all lines, table cells 1.
   */
  keepLines?: number;
}

export interface ParagraphOptions extends BlockOptions {
  /** First-line indent in characters (em). Default 2. */
  indentChars?: number;
  /** Default 'justify': every line but the last fills the measure. */
  align?: Align;
}

export interface CellOptions extends BlockOptions {
  /** Default 'left'. */
  align?: Align;
}

const DEFAULT_LINE_HEIGHT = 1.5;

/**
 * pdfmake's `lineHeight` multiplies the font's own height (ascent − descent), not the font size;
 * convert a CSS-like multiple of the font size into pdfmake's factor.
 */
export function pdfmakeLineHeight(font: fontkit.Font, lineHeight: number): number {
  const measure = measureFor(font);
  return (lineHeight * measure.unitsPerEm) / measure.height;
}

/** A body paragraph: justified, first line indented two characters. */
export function paragraphNode(text: string, options: ParagraphOptions): Content {
  const font = options.fonts.byRole[options.role].font;
  const indent = (options.indentChars ?? 2) * options.size;
  const align = options.align ?? 'justify';
  // The indent is ours: ideographic spaces typed at the start of the text would double it.
  const lines = breakLines(text.replace(/^[\s\u3000]+/, ''), {
    font,
    size: options.size,
    width: options.width,
    characterSpacing: options.characterSpacing,
    firstLineIndent: indent,
    avoidSingleCharLastLine: align === 'justify',
    justified: align === 'justify',
  });
  return linesNode(lines, align, options, options.keepLines ?? 2);
}

/** A title or heading: centred (by default), lines balanced, no single character on the last line. */
export function titleNode(text: string, options: BlockOptions & { align?: Exclude<Align, 'justify'>; phrases?: readonly string[] }): Content {
  const font = options.fonts.byRole[options.role].font;
  const lines = balanceLines(text, { font, size: options.size, width: options.width, characterSpacing: options.characterSpacing, phrases: options.phrases });
  return linesNode(lines, options.align ?? 'center', options, options.keepLines ?? Infinity);
}

/** Text of a table cell whose inner width (column width less cell padding) is known. */
export function cellTextNode(text: string, options: CellOptions): Content {
  const font = options.fonts.byRole[options.role].font;
  const align = options.align ?? 'left';
  const lines = breakLines(text, {
    font,
    size: options.size,
    width: options.width,
    characterSpacing: options.characterSpacing,
    avoidSingleCharLastLine: align === 'justify',
    justified: align === 'justify',
  });
  return linesNode(lines, align, options, options.keepLines ?? 1);
}

/**
 * One `noWrap` text node per line, so pdfmake makes one inline per line (a few where a justified
 * line holds numbers) and never re-breaks. Justified lines carry their own characterSpacing;
 * alignment is per line. For lines broken here and set in pieces by the caller (a 目录 entry).
 */
export function linesNode(lines: readonly Line[], align: Align, options: BlockOptions, keepLines = 1): Content {
  const font = options.fonts.byRole[options.role].font;
  const base = options.characterSpacing ?? 0;
  const style = {
    font: options.role,
    fontSize: options.size,
    lineHeight: pdfmakeLineHeight(font, options.lineHeight ?? DEFAULT_LINE_HEIGHT),
    noWrap: true,
    // Lines never start with a breaking space; an ideographic space there is meant (e.g. 　　其中：).
    preserveLeadingSpaces: true,
  };
  const nodes = lines.map((line, i) => {
    const node: Record<string, unknown> = { text: line.text };
    if (align === 'justify' && line.pieces) {
      // Fresh objects: the cached lines are shared, and pdfmake writes into the nodes it is given.
      node.text = line.pieces.map((piece) => (piece.characterSpacing ? { text: piece.text, characterSpacing: piece.characterSpacing } : { text: piece.text }));
    } else {
      const spacing = align === 'justify' ? line.justifySpacing : base;
      if (spacing !== 0) node.characterSpacing = spacing;
    }
    if (align !== 'justify' && align !== 'left') node.alignment = align;
    if (line.indent) node.leadingIndent = line.indent;
    if (options.everyLine) Object.assign(node, options.everyLine);
    if (i === 0 && options.firstLine) Object.assign(node, options.firstLine);
    return node;
  });
  if (nodes.length === 0) return { text: '', ...style, ...(options.firstLine ?? {}) } as unknown as Content;
  if (nodes.length === 1) return { ...style, ...nodes[0] } as unknown as Content;
  return { stack: keepTogether(nodes, keepLines), ...style } as unknown as Content;
}

/**
 * Wrap the first and the last `keep` lines in unbreakable stacks (all of them when there are
 * fewer than 2 × keep), so a page break never strands fewer than `keep` lines.
 */
function keepTogether(nodes: Array<Record<string, unknown>>, keep: number): Array<Record<string, unknown>> {
  if (keep <= 1) return nodes;
  if (nodes.length < 2 * keep) return [{ stack: nodes, unbreakable: true }];
  return [
    { stack: nodes.slice(0, keep), unbreakable: true },
    ...nodes.slice(keep, nodes.length - keep),
    { stack: nodes.slice(nodes.length - keep), unbreakable: true },
  ];
}
