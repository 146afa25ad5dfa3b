/**
 * Composition: one budget + one template set → a pdfmake document definition.
 * The structure comes from report.yaml (parts, sections, tables, order), the words
 * from the Handlebars texts, the figures from the budget views. The result is plain
 * data (plus the footer function) and can be inspected without rendering.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Budget } from '../budget/model.js';
import { buildViews, unitLine } from '../budget/views.js';
import { deriveFigures } from '../budget/derive.js';
import type { FontSet } from '../pdf/fonts.js';
import { narrativeContext, type NarrativeContext } from './narrative.js';
import { textWidth } from './text-measure.js';
import { balanceLines } from './title-balance.js';
import { linesNode, paragraphNode, pdfmakeLineHeight, titleNode } from './typography.js';
import type { TemplateSet } from './template-set.js';
import type { TextStyleSpec } from './report-outline.js';
import { buildTable, TABLE_LAYOUTS } from './table.js';

/** A4 in pt. */
const A4 = { width: 595.28, height: 841.89 };

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 21 → 二十一 (table numbers in the 目录). */
export function chineseNumeral(n: number): string {
  if (n <= 10) return CHINESE_NUMERALS[n - 1];
  if (n < 20) return `十${CHINESE_NUMERALS[n - 11]}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${CHINESE_NUMERALS[tens - 1]}十${ones ? CHINESE_NUMERALS[ones - 1] : ''}`;
}

export interface ComposedDocument {
  definition: TDocumentDefinitions;
  metadata: { title: string; author: string; subject: string; keywords: string };
  /** Named pdfmake table layouts the definition uses (grid lines and padding). */
  tableLayouts: typeof TABLE_LAYOUTS;
  /** Page orientation of each attached table, by table id. */
  tableOrientations: Record<string, 'portrait' | 'landscape'>;
}

interface TocEntry {
  level: 0 | 1;
  text: string;
  target: string;
}

class Composer {
  readonly ctx: NarrativeContext;
  readonly portraitWidth: number;
  readonly landscapeWidth: number;
  readonly portraitHeight: number;
  readonly landscapeHeight: number;
  readonly toc: TocEntry[] = [];
  /** Names the titles hold: their edges are good places for a title to break. */
  readonly phrases: string[];

  constructor(
    readonly budget: Budget,
    readonly template: TemplateSet,
    readonly fonts: FontSet,
  ) {
    this.ctx = narrativeContext(budget, deriveFigures(budget));
    this.phrases = [budget.unit.name, budget.unit.department.name];
    const [l, t, r, b] = template.outline.page.margins;
    const [ll, lt, lr, lb] = template.outline.page.landscapeMargins;
    this.portraitWidth = A4.width - l - r;
    this.landscapeWidth = A4.height - ll - lr;
    this.portraitHeight = A4.height - t - b;
    this.landscapeHeight = A4.width - lt - lb;
  }

  style(name: keyof TemplateSet['outline']['styles']): { role: TextStyleSpec['role']; size: number; lineHeight?: number } {
    const spec = this.template.outline.styles[name];
    return { role: spec.role, size: spec.size.toNumber(), lineHeight: spec.lineHeight?.toNumber() };
  }

  line(source: string): string {
    return this.template.narrative.line(source, this.ctx);
  }

  /** Each paragraph of a text, and whether it leads in to the next one (具体支出情况如下：). */
  paragraphs(textId: string): BodyParagraph[] {
    const body = this.style('body');
    const texts = this.template.narrative.paragraphs(textId, this.ctx);
    return texts.map((text, i) => ({
      node: paragraphNode(text, { fonts: this.fonts, width: this.portraitWidth, ...body }),
      leadsIn: i < texts.length - 1 && LEAD_IN_END.test(text),
    }));
  }

  /**
   * A 目录 entry for the heading with `id`, and the properties of that heading's first line: the
   * link target and its bookmark. Bookmarks are made here only, so they are the 目录's tree, in its wording.
   */
  tocEntry(level: TocEntry['level'], text: string, id: string, parentId?: string): Record<string, unknown> {
    this.toc.push({ level, text, target: id });
    return { id, outline: true, outlineText: text, ...(parentId ? { outlineParentId: parentId } : {}) };
  }

  /** A heading; `anchor` is its 目录 entry's (tocEntry), or only its id when the 目录 does not list it. */
  heading(text: string, styleName: 'heading' | 'subheading', anchor: Record<string, unknown>, margin: [number, number, number, number]): Content {
    const st = this.style(styleName);
    const node = paragraphNode(text, { fonts: this.fonts, width: this.portraitWidth, ...st, align: 'left', firstLine: anchor });
    return { stack: [node], margin } as Content;
  }

  /**
   * The title and the 目录's own title, with the height they take on the page the 目录 starts on:
   * both on page 1, or (page.cover) the title a third of the way down a page of its own.
   */
  titleBlock(): { content: Content[]; height: number } {
    const cover = this.template.outline.page.cover;
    const blocks = [
      { text: this.line(this.template.outline.title), style: this.style('title'), margin: cover ? [0, this.portraitHeight / 3, 0, 0] : [0, 24, 0, 28] },
      { text: this.template.outline.toc.title, style: this.style('tocTitle'), margin: [0, 0, 0, 16] },
    ];
    let height = 0;
    const content = blocks.map(({ text, style, margin }, i) => {
      const font = this.fonts.byRole[style.role].font;
      const lines = balanceLines(text, { font, size: style.size, width: this.portraitWidth, phrases: this.phrases }).length;
      if (!cover || i > 0) height += lines * style.size * (style.lineHeight ?? 1.5) + margin[1]! + margin[3]!;
      const node = { stack: [titleNode(text, { fonts: this.fonts, width: this.portraitWidth, ...style, phrases: this.phrases })], margin } as Content;
      return cover && i > 0 ? ({ ...(node as object), pageBreak: 'before' } as Content) : node;
    });
    return { content, height };
  }

  parts(): Content[] {
    const out = new FlowWithHeadings();
    for (const part of this.template.outline.parts) {
      const title = this.line(part.title);
      const partAnchor = this.tocEntry(0, `${part.label} ${title}`, part.id);
      const labelStyle = this.style('partLabel');
      out.heading({
        pageBreak: 'before',
        stack: [
          titleNode(part.label, {
            fonts: this.fonts, width: this.portraitWidth, ...labelStyle,
            firstLine: partAnchor,
          }),
          titleNode(title, { fonts: this.fonts, width: this.portraitWidth, ...this.style('partTitle'), phrases: this.phrases }),
        ],
        margin: [0, 8, 0, 20],
      } as Content);
      if (part.text) out.text(this.paragraphs(part.text));
      part.sections.forEach((section, i) => {
        const id = `${part.id}-${i + 1}`;
        const anchor = section.toc ? this.tocEntry(1, this.line(section.toc), id, part.id) : { id };
        out.heading(this.heading(this.line(section.heading), 'heading', anchor, [0, 10, 0, 4]));
        if (section.text) out.text(this.paragraphs(section.text));
        section.subsections.forEach((sub, j) => {
          out.heading(this.heading(this.line(sub.heading), 'subheading', { id: `${id}-${j + 1}` }, [0, 6, 0, 2]));
          out.text(this.paragraphs(sub.text));
        });
      });
    }
    return out.content();
  }

  attachments(): { content: Content[]; orientations: Record<string, 'portrait' | 'landscape'> } {
    const a = this.template.outline.attachments;
    const views = buildViews(this.budget);
    const content: Content[] = [];
    const orientations: Record<string, 'portrait' | 'landscape'> = {};
    const attachmentsId = 'attachments';
    const heading = this.line(a.heading);
    const attachmentsAnchor = this.tocEntry(0, this.line(a.toc), attachmentsId);
    a.tables.forEach((ref, i) => {
      const layout = this.template.tables.get(ref.id);
      if (!layout) throw new Error(`report.yaml names table ${ref.id}, but tables/${ref.id}.yaml does not exist`);
      const id = `table-${ref.id}`;
      const anchor = this.tocEntry(1, `${chineseNumeral(i + 1)}、${this.line(ref.toc)}`, id, attachmentsId);
      const table = buildTable(layout, views, {
        fonts: this.fonts,
        portraitWidth: this.portraitWidth,
        landscapeWidth: this.landscapeWidth,
        portraitHeight: this.portraitHeight,
        landscapeHeight: this.landscapeHeight,
        titleStyle: this.style('tableTitle'),
        metaStyle: this.style('tableMeta'),
        anchor,
        placeholders: { unit: this.budget.unit.name },
        phrases: this.phrases,
      });
      orientations[ref.id] = table.orientation;
      const stack: Content[] = [];
      if (i === 0) {
        stack.push({
          stack: [paragraphNode(heading, {
            fonts: this.fonts, width: table.orientation === 'portrait' ? this.portraitWidth : this.landscapeWidth,
            ...this.style('heading'), align: 'left', indentChars: 0,
            firstLine: attachmentsAnchor,
          })],
          margin: [0, 0, 0, 12],
        } as Content);
      }
      stack.push(...table.content);
      // A section per table: pdfmake gives a landscape page its own margins only through sections.
      const margins = table.orientation === 'portrait' ? this.template.outline.page.margins : this.template.outline.page.landscapeMargins;
      content.push({ section: stack, pageOrientation: table.orientation, pageMargins: [...margins] } as unknown as Content);
    });
    return { content, orientations };
  }

  /**
   * 目录: each entry a link, with a dotted leader up to its page number. A long entry wraps before
   * the leader and the number, its later lines hanging under the text after its number (一、,
   * 第二部分); the leader runs from its last line's end and is never shorter than TOC_MIN_LEADER.
   */
  tocContent(room: number): Content[] {
    const st = this.style('toc');
    const font = this.fonts.byRole[st.role].font;
    const size = st.size;
    const numberWidth = size * 2.5;
    const pitch = size * (st.lineHeight ?? 1.5);
    const entries = this.toc.map((entry) => {
      const indent = entry.level === 1 ? size * 2 : 0;
      const textColumn = this.portraitWidth - indent - numberWidth;
      const label = TOC_LABEL.exec(entry.text)?.[0] ?? '';
      // Balanced like a title: no last line of one or two characters under a long first line.
      const lines = balanceLines(entry.text, {
        font, size, width: textColumn - TOC_MIN_LEADER - 2 * TOC_LEADER_PAD,
        hangingIndent: label ? textWidth(label, { font, size }) : size,
        phrases: this.phrases,
      });
      return { entry, indent, textColumn, lines };
    });
    // Entries are spaced apart, but closer when that keeps the 目录 on the first page.
    const lineCount = entries.reduce((n, e) => n + e.lines.length, 0);
    const squeezed = (room - TOC_FIT_SLACK - lineCount * pitch) / entries.length;
    const gap = squeezed < 0 ? size * TOC_ENTRY_GAP : Math.min(size * TOC_ENTRY_GAP, squeezed);
    // A 目录 that needs two pages anyway keeps its spacing, and its second page starts early
    // enough to hold at least TOC_MIN_CARRIED entries rather than one stray line.
    const breakBefore = squeezed < 0 ? tocPageBreak(entries.map((e) => e.lines.length * pitch + gap), room - TOC_FIT_SLACK) : -1;
    return entries.map(({ entry, indent, textColumn, lines }, i) => {
      const last = lines[lines.length - 1]!;
      const lastEnd = last.indent + last.width + 0.01;
      const leader = textColumn - lastEnd - 2 * TOC_LEADER_PAD;
      const dotY = pitch / 2 + size * 0.3;
      const block = { fonts: this.fonts, role: st.role, size, width: textColumn, lineHeight: st.lineHeight, everyLine: { linkToDestination: entry.target } };
      return {
        // The indent is a margin, not an empty column: an empty text takes a line of the default style's height.
        columns: [
          {
            width: textColumn,
            stack: [
              ...(lines.length > 1 ? [linesNode(lines.slice(0, -1), 'left', block)] : []),
              {
                columns: [
                  { width: lastEnd, ...(linesNode([last], 'left', block) as object) },
                  {
                    width: leader + 2 * TOC_LEADER_PAD,
                    canvas: [{ type: 'line', x1: TOC_LEADER_PAD, y1: dotY, x2: leader + TOC_LEADER_PAD, y2: dotY, lineWidth: 0.9, lineCap: 'round', dash: { length: 0.01, space: 3.2 } }],
                  },
                ],
                columnGap: 0,
              },
            ],
          },
          {
            width: numberWidth, pageReference: entry.target, noWrap: true, alignment: 'right', font: st.role, fontSize: size,
            lineHeight: pdfmakeLineHeight(font, st.lineHeight ?? 1.5), linkToDestination: entry.target,
            // The page number stands on the entry's last line, at the end of its leader.
            margin: [0, (lines.length - 1) * pitch, 0, 0],
          },
        ],
        columnGap: 0,
        unbreakable: true,
        margin: [indent, 0, 0, round2(gap)],
        ...(i === breakBefore ? { pageBreak: 'before' } : {}),
      } as Content;
    });
  }
}

/**
 * Where the 目录 must break early so that its second page holds at least TOC_MIN_CARRIED entries,
 * or -1 when the page break that pdfmake makes (at the first entry that no longer fits) leaves
 * enough, or the 目录 fits.
 */
export function tocPageBreak(heights: readonly number[], room: number): number {
  let used = 0;
  const natural = heights.findIndex((h) => (used += h) > room);
  const early = heights.length - TOC_MIN_CARRIED;
  return natural < 0 || natural <= early || early <= 0 ? -1 : early;
}

/** A 目录 entry's number or label (一、 十二、 第二部分 附件：), under whose end its later lines hang. */
const TOC_LABEL = /^[^\s、：]{1,5}[\s、：]+/;
/** The dot leader of a 目录 entry is never shorter than this (pt), so every entry visibly leads to its number. */
const TOC_MIN_LEADER = 28;
/** Space between a 目录 entry's text, its leader and its page number. */
const TOC_LEADER_PAD = 4;
/** Space between 目录 entries, in em: wider than between the lines of one wrapped entry. */
const TOC_ENTRY_GAP = 0.65;
/** Room kept free under the 目录 for rounding in pdfmake's measurements, pt. */
const TOC_FIT_SLACK = 6;
/** Fewest 目录 entries its second page holds. */
const TOC_MIN_CARRIED = 3;

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Lines a heading keeps with it at the foot of a page, so no heading is left alone there. */
const LINES_KEPT_WITH_HEADING = 2;

/**
 * Body flow in which headings are kept with the first lines of what follows them:
 * pending headings and those lines go into one unbreakable stack.
 */
class FlowWithHeadings {
  private readonly out: Content[] = [];
  private pending: Content[] = [];

  heading(node: Content): void {
    this.pending.push(node);
  }

  /**
   * A text's paragraphs; a short one that leads in to the next (具体支出情况如下：) is kept with
   * that one's first lines, as a heading is, so it never ends a page alone.
   */
  text(paragraphs: BodyParagraph[]): void {
    for (const { node, leadsIn } of paragraphs) {
      const lines = (node as { stack?: unknown[] }).stack?.length ?? 1;
      if (leadsIn && lines <= LEAD_IN_MAX_LINES) this.heading(node);
      else this.paragraph(node);
    }
  }

  /** A paragraph; its first lines join the pending headings in one unbreakable stack. */
  private paragraph(node: Content): void {
    if (this.pending.length === 0) {
      this.out.push(node);
      return;
    }
    const [head, rest] = splitLines(node, LINES_KEPT_WITH_HEADING);
    const first = this.pending[0] as { pageBreak?: string };
    const kept: Record<string, unknown> = { stack: [...this.pending, head], unbreakable: true };
    // A page break asked for by the first heading moves to the whole kept block.
    if (first.pageBreak) {
      kept.pageBreak = first.pageBreak;
      delete first.pageBreak;
    }
    this.out.push(kept as unknown as Content);
    if (rest) this.out.push(rest);
    this.pending = [];
  }

  content(): Content[] {
    return [...this.out, ...this.pending];
  }
}

interface BodyParagraph {
  node: Content;
  /** It ends in a colon and a paragraph follows: it introduces that one. */
  leadsIn: boolean;
}

/** A paragraph ending in a colon introduces the next (如下：). */
const LEAD_IN_END = /[：:]\s*$/;
/** A longer lead-in may break over pages like any paragraph: keeping it whole could leave a page half empty. */
const LEAD_IN_MAX_LINES = 3;

/** The first `n` lines of a paragraph node (a stack of line nodes) and the rest, each keeping the paragraph's style. */
function splitLines(node: Content, n: number): [Content, Content | null] {
  const p = node as { stack?: Content[] } & Record<string, unknown>;
  if (!Array.isArray(p.stack) || p.stack.length <= n) return [node, null];
  const { stack, ...style } = p;
  return [{ ...style, stack: stack.slice(0, n) } as Content, { ...style, stack: stack.slice(n) } as Content];
}

export function composeDocument(budget: Budget, template: TemplateSet, fonts: FontSet): ComposedDocument {
  const c = new Composer(budget, template, fonts);
  const titleBlock = c.titleBlock();
  const parts = c.parts();
  const { content: tables, orientations } = c.attachments();
  const toc = c.tocContent(c.portraitHeight - titleBlock.height);
  const outline = template.outline;
  const pageNumber = c.style('pageNumber');
  const [l, t, r, b] = outline.page.margins;
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [l, t, r, b],
    defaultStyle: { font: c.style('body').role, fontSize: c.style('body').size },
    content: [{ section: [...titleBlock.content, ...toc, ...parts], pageOrientation: 'portrait', pageMargins: [l, t, r, b] } as unknown as Content, ...tables],
    // A cover has no page number; it is counted, as printed publications count it.
    footer: (currentPage: number) => ({
      text: outline.page.cover && currentPage === 1 ? '' : outline.page.pageNumber.replaceAll('{page}', String(currentPage)),
      alignment: 'center',
      // One short line: measured as one inline, like typography's lines.
      noWrap: true,
      font: pageNumber.role,
      fontSize: pageNumber.size,
      margin: [0, 18, 0, 0],
    }),
  };
  return {
    definition,
    metadata: {
      title: c.line(outline.metadata.title),
      author: unitLine(budget),
      subject: c.line(outline.metadata.subject),
      keywords: c.line(outline.metadata.keywords),
    },
    tableLayouts: TABLE_LAYOUTS,
    tableOrientations: orientations,
  };
}
