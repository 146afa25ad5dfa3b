/**
 * Composition: the document definition of whole publications (目录, parts, attachments),
 * inspected without rendering.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBudget } from '../src/budget/load.js';
import type { Budget } from '../src/budget/model.js';
import { composeDocument, tocPageBreak, type ComposedDocument } from '../src/layout/compose.js';
import { loadTemplateSet } from '../src/layout/template-set.js';
import { textWidth } from '../src/layout/text-measure.js';
import { loadFontSet, type FontSet } from '../src/pdf/fonts.js';
import { renderPdf } from '../src/pdf/render.js';
import { Decimal } from '../src/budget/decimal.js';
import { readPdf } from './support/read-pdf.js';

const REFERENCE = 'data/luolong-zwfwzx-2022.yaml';
/** Text width of an A4 page with the reference format's margins (report.yaml). */
const PORTRAIT_WIDTH = 595.28 - 72 - 68;
const TOC_SIZE = 14;

let fonts: FontSet;
beforeAll(() => {
  fonts = loadFontSet();
});

function reference(): Budget {
  const loaded = loadBudget(REFERENCE);
  if (!loaded.budget) throw new Error('reference data did not load');
  return loaded.budget;
}

function compose(budget: Budget): ComposedDocument {
  return composeDocument(budget, loadTemplateSet(budget.format), fonts);
}

type Node = Record<string, unknown>;

/** The text line nodes under a node, in order. */
function lineNodes(node: unknown): Node[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as Node;
  if (Array.isArray(n.stack)) return n.stack.flatMap(lineNodes);
  if (Array.isArray(n.columns)) return n.columns.flatMap(lineNodes);
  return typeof n.text === 'string' || Array.isArray(n.text) ? [n] : [];
}

const textOf = (line: Node): string => (typeof line.text === 'string' ? line.text : (line.text as Node[]).map((p) => p.text).join(''));

interface TocRow {
  text: string;
  /** Left edge and right end of each line of the entry's text, pt from the margin. */
  lines: Array<{ text: string; start: number; end: number }>;
  leader: number;
  /** Where the leader starts and ends, pt from the margin. */
  leaderFrom: number;
  leaderTo: number;
  numberLeft: number;
  numberTop: number;
}

/** The 目录 entries of a composed document, with the geometry the columns give them. */
function tocRows(doc: ComposedDocument): TocRow[] {
  const section = (doc.definition.content as unknown as Node[])[0]!.section as Node[];
  const font = fonts.byRole.body.font;
  return section
    .filter((node) => Array.isArray(node.columns) && (node.columns as Node[]).some((c) => 'pageReference' in c))
    .map((node) => {
      const [textCol, numberCol] = node.columns as Node[];
      const indent = (node.margin as number[])[0]!;
      const stack = textCol!.stack as Node[];
      const lastRow = stack.at(-1)!.columns as Node[];
      const lines = [...stack.slice(0, -1).flatMap(lineNodes), ...lineNodes(lastRow[0])].map((line) => {
        const start = indent + ((line.leadingIndent as number | undefined) ?? 0);
        return { text: textOf(line), start, end: start + textWidth(textOf(line), { font, size: TOC_SIZE }) };
      });
      const lastWidth = lastRow[0]!.width as number;
      const canvas = (lastRow[1]!.canvas as Node[])[0]!;
      const leaderFrom = indent + lastWidth + (canvas.x1 as number);
      const leaderTo = indent + lastWidth + (canvas.x2 as number);
      return {
        text: lines.map((l) => l.text).join(''),
        lines,
        leader: leaderTo - leaderFrom,
        leaderFrom,
        leaderTo,
        numberLeft: indent + (textCol!.width as number),
        numberTop: (numberCol!.margin as number[])[1]!,
      };
    });
}

describe('the 目录', () => {
  it('lists the reference entries on one line each, every leader running to its page number', () => {
    const rows = tocRows(compose(reference()));
    expect(rows).toHaveLength(18);
    for (const row of rows) {
      expect(row.lines, row.text).toHaveLength(1);
      expect(row.leader, row.text).toBeGreaterThanOrEqual(28);
      expect(row.leaderFrom, row.text).toBeGreaterThan(row.lines[0]!.end);
      expect(row.leaderTo, row.text).toBeLessThanOrEqual(row.numberLeft);
      expect(row.numberTop, row.text).toBe(0);
    }
  });

  it.each([
    ['洛龙区人力资源和社会保障局劳动监察大队', 19],
    ['洛龙区人力资源和社会保障局劳动监察', 17],
  ])('wraps a long entry before the leader and the number, hanging under its text (%s, %i characters)', (name, length) => {
    expect([...name]).toHaveLength(length);
    const budget = reference();
    budget.unit.name = name;
    const rows = tocRows(compose(budget));
    expect(rows).toHaveLength(18);
    const partTwo = rows.find((row) => row.text.startsWith('第二部分'))!;
    expect(partTwo.text).toBe(`第二部分 2022年${name}预算情况说明`);
    expect(partTwo.lines.length).toBeGreaterThan(1);
    for (const row of rows) {
      // No text runs into the leader or the number, and the leader always shows.
      expect(row.lines.at(-1)!.end, row.text).toBeLessThan(row.leaderFrom);
      for (const line of row.lines) expect(line.end, row.text).toBeLessThanOrEqual(row.numberLeft - 28);
      expect(row.leader, row.text).toBeGreaterThanOrEqual(28);
      expect(row.leaderTo, row.text).toBeLessThanOrEqual(row.numberLeft);
      expect(row.numberLeft + TOC_SIZE * 2.5, row.text).toBeCloseTo(PORTRAIT_WIDTH, 1);
      // Later lines hang under the text after the label (第二部分 ), the page number stands on the last line.
      const label = /^(第.部分 |附件：|[一二三四五六七八九十]+、)/.exec(row.text)![0];
      const hang = textWidth(label, { font: fonts.byRole.body.font, size: TOC_SIZE });
      for (const line of row.lines.slice(1)) expect(line.start, row.text).toBeCloseTo(row.lines[0]!.start + hang, 1);
      expect(row.numberTop, row.text).toBeCloseTo((row.lines.length - 1) * TOC_SIZE * 1.5, 5);
    }
  });
});

describe('a 目录 that needs two pages', () => {
  it('breaks where the next entry no longer fits while that leaves three or more for the second page', () => {
    const heights = Array.from({ length: 20 }, () => 10);
    expect(tocPageBreak(heights, 250)).toBe(-1); // fits
    expect(tocPageBreak(heights, 100)).toBe(-1); // pdfmake's own break leaves ten
    expect(tocPageBreak(heights, 185)).toBe(17); // its own break would leave two: three go over
    expect(tocPageBreak(heights, 195)).toBe(17); // or one
    expect(tocPageBreak([10, 10, 10], 25)).toBe(-1); // too short to carry three: its own break
  });

  it('is placed as estimated when the body text is larger than the 目录 text, so one that fits stays on one page', async () => {
    // An empty cell of the body style once made each entry a line of body text tall, and the
    // 目录 of such a format ran onto a second page with one entry.
    const budget = reference();
    const shared = loadTemplateSet(budget.format); // cached: copied, not changed
    const styles = { ...shared.outline.styles, body: { ...shared.outline.styles.body, size: new Decimal(22), lineHeight: new Decimal(2) } };
    const template = { ...shared, outline: { ...shared.outline, styles } };
    const composed = composeDocument(budget, template, fonts);
    const pdf = await renderPdf(composed.definition, {
      fonts, metadata: { ...composed.metadata, creator: 'test' }, creationDate: new Date('2022-01-01T00:00:00Z'), tableLayouts: composed.tableLayouts,
    });
    const { pages } = await readPdf(pdf);
    const squeezed = pages.map((p) => p.replace(/\s+/g, ''));
    expect(squeezed[0]).toContain('十二、单位预算项目绩效目标表');
    expect(squeezed[1]).not.toContain('绩效目标表');
  });
});

describe('bookmarks', () => {
  /** Every node of the definition that makes a bookmark, in document order. */
  function outlineNodes(node: unknown, out: Node[] = []): Node[] {
    if (Array.isArray(node)) node.forEach((n) => outlineNodes(n, out));
    else if (node && typeof node === 'object') {
      const n = node as Node;
      if (n.outline) out.push(n);
      for (const value of Object.values(n)) if (value && typeof value === 'object') outlineNodes(value, out);
    }
    return out;
  }

  it('are the 目录 entries, in its order and wording, parts at the top and their entries under them', () => {
    const doc = compose(reference());
    const rows = tocRows(doc);
    const marks = outlineNodes(doc.definition.content);
    expect(marks.map((m) => m.outlineText)).toEqual(rows.map((row) => row.text));
    const ids = new Set(marks.map((m) => m.id));
    let part: unknown;
    marks.forEach((mark, i) => {
      if (rows[i]!.lines[0]!.start === 0) {
        expect(mark.outlineParentId, String(mark.outlineText)).toBeUndefined();
        part = mark.id;
      } else {
        expect(mark.outlineParentId, String(mark.outlineText)).toBe(part);
        expect(ids.has(mark.outlineParentId)).toBe(true);
      }
    });
  });
});

describe('a paragraph that leads in to the next', () => {
  it('is kept with the first lines of the next paragraph, so 具体支出情况如下： never ends a page alone', () => {
    const doc = compose(reference());
    const kept: Node[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(walk);
      const n = node as Node;
      if (n.unbreakable === true && lineNodes(n).some((line) => textOf(line).includes('具体支出情况如下：'))) kept.push(n);
      for (const value of Object.values(n)) if (typeof value === 'object') walk(value);
    };
    walk(doc.definition.content);
    expect(kept.length).toBeGreaterThan(0);
    const lines = lineNodes(kept[kept.length - 1]).map(textOf);
    const leadIn = lines.findIndex((line) => line.includes('具体支出情况如下：'));
    expect(lines[leadIn + 1], 'the next paragraph’s first line, in the same unbreakable block').toMatch(/^\s*（一）因公出国/);
  });
});
