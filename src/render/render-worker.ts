/**
 * Worker-thread entry for batch rendering: renders one task at a time and posts the outcome
 * back, the PDF's memory transferred rather than copied. Fonts and template sets are cached
 * per thread (see loadFontSet, loadTemplateSet), so each worker loads them once and then
 * renders many documents. Runs from the compiled dist/ (dist/render/render-worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { provideFontBytes, type SharedFontBytes } from '../pdf/shared-font-bytes.js';
import { renderArtifact, type RenderOutcome, type RenderTask } from './render-artifact.js';

/** What the pool hands each worker: the font files, read once into shared memory. */
export interface WorkerData {
  fontBytes: SharedFontBytes;
}

export interface WorkerRequest {
  id: number;
  task: RenderTask;
}

export interface WorkerReply {
  id: number;
  outcome: RenderOutcome;
}

const port = parentPort;
if (!port) throw new Error('render-worker.js runs only as a worker thread (see worker-pool.ts)');
provideFontBytes((workerData as WorkerData | null)?.fontBytes);

port.on('message', async (request: WorkerRequest) => {
  const outcome = await renderArtifact(request.task);
  // A small Buffer can be a view into Node's shared pool; transfer only memory the PDF owns alone.
  if (outcome.pdf && (outcome.pdf.byteOffset !== 0 || outcome.pdf.byteLength !== outcome.pdf.buffer.byteLength)) {
    outcome.pdf = outcome.pdf.slice();
  }
  const reply: WorkerReply = { id: request.id, outcome };
  port.postMessage(reply, outcome.pdf ? [outcome.pdf.buffer as ArrayBuffer] : []);
});
