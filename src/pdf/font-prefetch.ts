/**
 * A single render needs its font files (56 MB) read and hashed: some 100 ms of the main thread
 * that no other work depends on until the fonts are parsed. Started before the layout and PDF
 * modules load, a worker thread does it on the other core while this one compiles them.
 * Only for one render per process: a batch shares its fonts with its workers itself.
 */
import { Worker } from 'node:worker_threads';
import type { FontReadRequest } from './font-read-worker.js';
import { provideFontBytes, type SharedFontBytes } from './shared-font-bytes.js';

const WORKER_URL = new URL('./font-read-worker.js', import.meta.url);

/** The reading started by prefetchFonts, if any. */
let reading: Promise<void> | undefined;

/**
 * Settles once fonts read ahead are provided (at once when none are being read): the render
 * waits here just before it loads its fonts, so checking the data never waits for them.
 */
export function fontsReadAhead(): Promise<void> {
  return reading ?? Promise.resolve();
}

/**
 * Start reading the font files; the promise settles (never rejects) once their bytes are provided
 * to fonts.ts, or once the worker failed, in which case fonts.ts reads the files itself.
 */
export function prefetchFonts(configPath?: string): Promise<void> {
  reading = new Promise((settle) => {
    let worker: Worker;
    try {
      const request: FontReadRequest = { configPath };
      worker = new Worker(WORKER_URL, { workerData: request });
    } catch {
      settle();
      return;
    }
    worker.once('message', (shared: SharedFontBytes) => {
      provideFontBytes(shared);
      settle();
    });
    worker.once('error', () => settle());
    worker.once('exit', () => settle());
  });
  return reading;
}
