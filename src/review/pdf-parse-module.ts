/**
 * pdf-parse, loaded on first use and without the process-wide slowdown its pdf.js build brings.
 *
 * Why: pdf-parse imports pdf.js's "legacy" build, whose core-js polyfills replace
 * Array.prototype.push and JSON.parse with JavaScript implementations for the whole process
 * (Node 20 fails core-js's tests for edge cases no one here meets: arrays near 2^32 elements,
 * JSON.parse source text access). Every push in pdfmake, pdfkit, fontkit and our code then went
 * through the polyfill: a render in a process that had read one PDF back was a fifth slower.
 * The native functions are put back once pdf.js is loaded; the polyfills that only *add* things
 * (Promise.withResolvers, Uint8Array.fromBase64, …) pdf.js needs and are left in place.
 *
 * pdf.js loads its "worker" module (in Node it runs in this thread) at the first document, and
 * that module carries the same polyfills: it is loaded here too, inside the same window, and
 * handed to pdf.js the documented way (`globalThis.pdfjsWorker`).
 *
 * Loading on first use also keeps pdf.js (several MB of JavaScript) out of commands that never
 * read a PDF.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type PdfParseModule = typeof import('pdf-parse');

/** Built-ins the legacy build replaces although Node's own work for pdf.js. */
const RESTORED: ReadonlyArray<[object, PropertyKey]> = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
];

let loading: Promise<PdfParseModule> | undefined;

export function loadPdfParse(): Promise<PdfParseModule> {
  loading ??= (async () => {
    const saved = RESTORED.map(([owner, key]) => [owner, key, Object.getOwnPropertyDescriptor(owner, key)!] as const);
    try {
      const pdfParse = await import('pdf-parse');
      const requireFromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
      const workerFile = requireFromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
      (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import(pathToFileURL(workerFile).href);
      return pdfParse;
    } finally {
      for (const [owner, key, descriptor] of saved) Object.defineProperty(owner, key, descriptor);
    }
  })();
  return loading;
}
