/**
 * The text-line renderer writes leaner content than pdfmake's own renderLine; a reader must see
 * the same publication: the same text on every page, the same links, destinations and bookmarks.
 * The reference is rendered with both renderers (pdfmake's captured before the patch) and compared.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfmakeClass } from '../src/pdf/pdfmake-internals.js';
import { installTextLineRendering } from '../src/pdf/pdfmake-text-lines.js';
import { renderDocument } from '../src/render/render-document.js';
import { loadPdfParse } from '../src/review/pdf-parse-module.js';
import { extractPageTexts } from '../src/review/pdf-text.js';

const REFERENCE = fileURLToPath(new URL('../data/luolong-zwfwzx-2022.yaml', import.meta.url));
type RenderLine = (this: unknown, ...args: unknown[]) => void;
const Renderer = pdfmakeClass<{ prototype: { renderLine: RenderLine } }>('./Renderer.js');
const pdfmakeRenderLine = Renderer.prototype.renderLine;
installTextLineRendering();
const leanRenderLine = Renderer.prototype.renderLine;

async function render(renderLine: RenderLine, draft = false): Promise<Buffer> {
  Renderer.prototype.renderLine = renderLine;
  try {
    const rendered = await renderDocument(REFERENCE, { draft });
    if (!rendered.pdf) throw new Error(JSON.stringify(rendered.findings));
    return rendered.pdf;
  } finally {
    Renderer.prototype.renderLine = leanRenderLine;
  }
}

/** Link annotations (rectangle and target) of every page, the named destinations and the bookmarks, as pdf.js reads them. */
async function linksAndDestinations(pdf: Buffer): Promise<{ links: unknown[][]; destinations: unknown; outline: unknown[] }> {
  await loadPdfParse(); // pdf.js, loaded the way the project loads it
  const requireFromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
  const pdfjs = (await import(pathToFileURL(requireFromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href)) as typeof import('pdfjs-dist');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const links: unknown[][] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const annotations = (await (await doc.getPage(p)).getAnnotations()) as Array<{ subtype: string; rect: number[]; dest?: unknown; url?: string }>;
      links.push(annotations.filter((a) => a.subtype === 'Link').map((a) => ({ rect: a.rect.map((n) => Math.round(n * 100) / 100), dest: a.dest, url: a.url })));
    }
    return { links, destinations: await doc.getDestinations(), outline: (await doc.getOutline()) ?? [] };
  } finally {
    await doc.destroy();
  }
}

/** All content streams of the PDF, inflated. */
function contentOperators(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const streams: string[] = [];
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    try {
      streams.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a deflated stream
    }
  }
  return streams.join('\n');
}

describe('text lines', () => {
  it.each([false, true])('give the same page texts, links, destinations and bookmarks as pdfmake (draft: %s)', async (draft) => {
    const pdfmakes = await render(pdfmakeRenderLine, draft);
    const lean = await render(leanRenderLine, draft);
    expect(await extractPageTexts(lean)).toEqual(await extractPageTexts(pdfmakes));
    const expected = await linksAndDestinations(pdfmakes);
    // The 目录 links every entry to its heading, and the bookmarks open the same places.
    expect(expected.links.flat().length).toBeGreaterThanOrEqual(18);
    expect(expected.outline.length).toBeGreaterThanOrEqual(4);
    expect(await linksAndDestinations(lean)).toEqual(expected);
    expect(lean.length).toBeLessThan(pdfmakes.length);
  });

  it('write one text object per line, with no empty-path fill and far fewer operators', async () => {
    const pdfmakes = contentOperators(await render(pdfmakeRenderLine));
    const lean = contentOperators(await render(leanRenderLine));
    const count = (ops: string, op: RegExp): number => ops.split('\n').filter((line) => op.test(line)).length;
    expect(count(lean, /^BT$/)).toBe(count(pdfmakes, /^BT$/));
    expect(count(lean, /TJ$/)).toBe(count(pdfmakes, /TJ$/));
    expect(count(pdfmakes, /^f$/)).toBeGreaterThan(1000);
    expect(count(lean, /^f$/)).toBeLessThan(count(pdfmakes, /^f$/) / 10);
    expect(lean.split('\n').length).toBeLessThan(pdfmakes.split('\n').length * 0.6);
  });
});
