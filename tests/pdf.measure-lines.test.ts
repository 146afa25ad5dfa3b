/**
 * The one-line measuring fast path must give exactly the inlines pdfmake's own measureLeaf gives.
 * Every text node of the reference publication is measured both ways and compared.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pdfmakeClass } from '../src/pdf/pdfmake-internals.js';
import { installLineMeasuring } from '../src/pdf/pdfmake-measure-lines.js';
import { loadFontSet } from '../src/pdf/fonts.js';
import { renderPdf } from '../src/pdf/render.js';
import { renderDocument } from '../src/render/render-document.js';

type Node = Record<string, unknown>;
type MeasureLeaf = (this: unknown, node: Node) => Node;

const REFERENCE = fileURLToPath(new URL('../data/luolong-zwfwzx-2022.yaml', import.meta.url));

const DocMeasure = pdfmakeClass<{ prototype: { measureLeaf: MeasureLeaf } }>('./DocMeasure.js');
const pdfmakeMeasureLeaf = DocMeasure.prototype.measureLeaf;
let handedBack = 0;
// Installed over a counting wrapper, so the nodes the fast path hands back to pdfmake are counted.
DocMeasure.prototype.measureLeaf = function (node) {
  handedBack++;
  return pdfmakeMeasureLeaf.call(this, node);
};
installLineMeasuring();
const fastMeasureLeaf = DocMeasure.prototype.measureLeaf;

/** Render with every leaf measured both ways; the texts whose results differ, and how many went the fast way. */
async function measuredBothWays(render: () => Promise<unknown>): Promise<{ differences: string[]; fast: number; handedBack: number }> {
  let fast = 0;
  const before = handedBack;
  const differences: string[] = [];
  DocMeasure.prototype.measureLeaf = function (node) {
    // pdfmake's answer for an equal copy (it sees the same stack), then the fast path's for the node.
    const expected = pdfmakeMeasureLeaf.call(this, { ...node });
    const counted = handedBack;
    const actual = fastMeasureLeaf.call(this, node);
    if (handedBack === counted) fast++;
    const same = JSON.stringify([actual._inlines, actual._minWidth, actual._maxWidth], skipFonts) === JSON.stringify([expected._inlines, expected._minWidth, expected._maxWidth], skipFonts);
    const sameFonts = (actual._inlines as Node[]).every((inline, i) => inline.font === (expected._inlines as Node[])[i]!.font);
    if (!same || !sameFonts) differences.push(JSON.stringify(node.text));
    return actual;
  };
  try {
    await render();
  } finally {
    DocMeasure.prototype.measureLeaf = fastMeasureLeaf;
  }
  return { differences, fast, handedBack: handedBack - before };
}

describe('one-line measuring', () => {
  it('gives every text node of the reference the inlines, minimum and maximum width pdfmake gives', async () => {
    expect(fastMeasureLeaf).not.toBe(pdfmakeMeasureLeaf);
    const result = await measuredBothWays(async () => expect((await renderDocument(REFERENCE)).status).toBe(0));
    expect(result.differences).toEqual([]);
    // Every node is a line of typography's (justified lines with numbers in pieces), an empty cell or a page number.
    expect(result.fast).toBeGreaterThan(2500);
  });

  it('resolves named styles, extends, overrides at every level and the default style as pdfmake does', async () => {
    const line = (text: string | Node[], extra: Node = {}): Node => ({ text, noWrap: true, ...extra });
    const definition = {
      content: [
        { stack: [line('  leading and trailing  '), line('缩进', { leadingIndent: 20 }), line('上标', { sup: true })], style: 'loud' },
        { stack: [line('inherits color'), { stack: [line('deeper', { decoration: 'underline' })], color: '#336699', style: ['quiet', 'loud'] }], fontSize: 9 },
        {
          table: {
            body: [
              [line('cell'), { ...line('own color'), color: 'red' }, { stack: [line('in a cell stack'), line('second')], alignment: 'right' }],
              [{ ...line('spans'), colSpan: 2 }, '', line('preserved  ', { preserveTrailingSpaces: true })],
            ],
          },
          style: 'tabled',
        },
        line('default style only'),
        { text: '' },
        line([{ text: '收入合计', characterSpacing: 1.2 }, { text: '866.01' }, { text: '万元，增长', characterSpacing: 1.2 }, { text: '14%' }] as never),
        line([{ text: 'Latin words ' }, { text: 'and more', color: 'red', characterSpacing: null }] as never, { leadingIndent: 21 }),
        line([{ text: '可以换行', noWrap: false }, { text: '的片段' }] as never),
        { text: '', wordBreak: 'break-all' },
        { text: 'wraps normally, not a fast-path node', style: 'quiet' },
      ],
      styles: {
        base: { characterSpacing: 0.5, opacity: 0.8 },
        loud: { extends: 'base', bold: true, fontSize: 14, alignment: 'center' },
        quiet: { extends: ['base', 'loud'], italics: false, color: 'gray', background: 'yellow' },
        tabled: { extends: 'quiet', lineHeight: 1.3, fontFeatures: ['kern'] },
      },
      defaultStyle: { font: 'body', fontSize: 11, decorationColor: 'blue' },
    };
    const fonts = loadFontSet();
    const result = await measuredBothWays(() =>
      renderPdf(definition as never, { fonts, metadata: { title: 't', author: 'a', subject: 's', keywords: 'k', creator: 'c' }, creationDate: new Date(0) }),
    );
    expect(result.differences).toEqual([]);
    expect(result.fast).toBeGreaterThanOrEqual(13);
    expect(result.handedBack).toBeGreaterThan(0);
  });
});

function skipFonts(key: string, value: unknown): unknown {
  return key === 'font' ? undefined : value;
}
