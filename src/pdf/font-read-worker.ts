/**
 * Worker-thread entry of font-prefetch.ts: works out the font files from fonts.yaml, reads and
 * hashes them into shared memory and posts the result. A fonts.yaml with problems posts nothing
 * useful (an empty set): the render itself reports them, with their lines.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fontFilesToShare } from './font-config.js';
import { readIntoSharedMemory } from './shared-font-bytes.js';

export interface FontReadRequest {
  /** The fonts.yaml to read; absent: BUDGET_PDF_FONTS, else fonts/fonts.yaml. */
  configPath?: string;
}

const port = parentPort;
if (!port) throw new Error('font-read-worker.js runs only as a worker thread (see font-prefetch.ts)');
port.postMessage(readIntoSharedMemory(fontFilesToShare((workerData as FontReadRequest).configPath)));
