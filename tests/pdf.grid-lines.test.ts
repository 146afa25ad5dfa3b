import { describe, expect, it } from 'vitest';
import { mergeGridLines, type PageItem } from '../src/pdf/pdfmake-grid-lines.js';

const line = (x1: number, y1: number, x2: number, y2: number, extra: Record<string, unknown> = {}): PageItem => ({
  type: 'vector',
  item: { type: 'line', x1, y1, x2, y2, lineWidth: 0.5, lineColor: 'black', ...extra },
});
const text = (inline: Record<string, unknown> = {}): PageItem => ({ type: 'line', item: { inlines: [{ text: '预算', ...inline }] } });
const fill: PageItem = { type: 'vector', item: { type: 'rect', x: 0, y: 0, w: 10, h: 10, color: '#eee' } };

const coords = (items: PageItem[]) => items.map((i) => (i.type === 'vector' && i.item.type === 'line' ? [i.item.x1, i.item.y1, i.item.x2, i.item.y2] : i.type));

describe('mergeGridLines', () => {
  it('joins the cell sides of a row into one line, and a column of vertical sides into one', () => {
    const items = [line(50, 100, 90, 100), line(90, 100, 190, 100), line(190, 100, 230, 100), line(50, 99.75, 50, 120), line(90, 99.75, 90, 120), text(), line(50, 119.75, 50, 140), line(90, 119.75, 90, 140)];
    expect(coords(mergeGridLines(items))).toEqual([[50, 100, 230, 100], [50, 99.75, 50, 140], [90, 99.75, 90, 140], 'line']);
  });

  it('keeps apart what does not touch or differs in width, colour or dash', () => {
    const items = [line(0, 10, 10, 10), line(20, 10, 30, 10), line(30, 10, 40, 10, { lineWidth: 1 }), line(40, 10, 50, 10, { lineColor: 'red' }), line(50, 10, 60, 10, { dash: { length: 2 } })];
    expect(mergeGridLines(items)).toHaveLength(5);
  });

  it('never moves a line across something that paints over it', () => {
    const items = [line(0, 10, 10, 10), fill, line(10, 10, 20, 10), text({ background: 'yellow' }), line(20, 10, 30, 10)];
    expect(coords(mergeGridLines(items))).toEqual([[0, 10, 10, 10], 'vector', [10, 10, 20, 10], 'line', [20, 10, 30, 10]]);
  });

  it('leaves the input untouched and passes other items through', () => {
    const first = line(0, 0, 5, 0);
    const items = [first, line(5, 0, 9, 0), text(), line(1, 1, 4, 4)];
    const merged = mergeGridLines(items);
    expect(first.item.x2).toBe(5);
    expect(merged[1]).toBe(items[2]);
    expect(merged[2]).toBe(items[3]); // a diagonal is not a grid line
  });
});
