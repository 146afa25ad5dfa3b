import { describe, expect, it } from 'vitest';
import { loadPdfParse } from '../src/review/pdf-parse-module.js';

describe('loadPdfParse', () => {
  it('loads pdf.js and its worker without leaving polyfills in place of Array.prototype.push and JSON.parse', async () => {
    const push = Array.prototype.push;
    const parse = JSON.parse;
    const { PDFParse } = await loadPdfParse();
    expect(typeof PDFParse).toBe('function');
    expect(Array.prototype.push).toBe(push);
    expect(JSON.parse).toBe(parse);
    expect((globalThis as { pdfjsWorker?: { WorkerMessageHandler?: unknown } }).pdfjsWorker?.WorkerMessageHandler).toBeDefined();
    expect(await loadPdfParse()).toBe(await loadPdfParse());
  });
});
