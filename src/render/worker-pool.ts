/**
 * Render many documents on every core: a pool of worker threads, each rendering one task at
 * a time and taking the next as soon as it is done (so long and short documents balance).
 * With one job the tasks run in this thread instead; the results are the same bytes.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fontFilesToShare } from '../pdf/font-config.js';
import { readIntoSharedMemory } from '../pdf/shared-font-bytes.js';
import { renderArtifact, type RenderOutcome, type RenderTask } from './render-artifact.js';
import type { WorkerData, WorkerReply, WorkerRequest } from './render-worker.js';

export interface RenderPoolOptions {
  /** Upper bound on worker threads; the pool never starts more workers than tasks. */
  jobs?: number;
  /** The compiled worker entry; defaults to render-worker.js beside this module (dist/render/). */
  workerUrl?: URL;
  /**
   * Aborted: no further task is started and renderEach resolves; the documents the workers are on are
   * dropped (their threads terminated), a document rendering in this thread is finished and handed over.
   */
  signal?: AbortSignal;
}

/**
 * Called as each task finishes, in completion order, with the task's index. In this thread the next
 * task waits for a returned promise (the PDF written before the next is rendered); workers go on.
 */
export type OutcomeHandler = (outcome: RenderOutcome, index: number) => void | Promise<void>;

export const DEFAULT_WORKER_URL = new URL('./render-worker.js', import.meta.url);

export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Render every task, handing each outcome to `onOutcome` as it finishes; resolves when all have
 * been handed over. Outcomes are not kept here, so a batch of thousands holds only the PDFs not
 * yet written. Never rejects for a failed document: failures are outcomes.
 */
export async function renderEach(tasks: readonly RenderTask[], onOutcome: OutcomeHandler, options: RenderPoolOptions = {}): Promise<void> {
  const workers = Math.min(options.jobs ?? defaultJobs(), tasks.length);
  if (workers <= 1) return renderInThisThread(tasks, onOutcome, options.signal);
  const workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
  if (!existsSync(fileURLToPath(workerUrl))) {
    throw new Error(`找不到渲染线程入口 ${fileURLToPath(workerUrl)}（先运行 npm run build）`);
  }
  return renderInWorkers(tasks, workers, workerUrl, onOutcome, options.signal);
}

async function renderInThisThread(tasks: readonly RenderTask[], onOutcome: OutcomeHandler, signal: AbortSignal | undefined): Promise<void> {
  for (const [index, task] of tasks.entries()) {
    if (signal?.aborted) return;
    await onOutcome(await renderArtifact(task), index);
  }
}

function renderInWorkers(
  tasks: readonly RenderTask[],
  workers: number,
  workerUrl: URL,
  onOutcome: OutcomeHandler,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  // The font files once for all workers (each still parses its own fonts from them).
  const workerData: WorkerData = { fontBytes: readIntoSharedMemory(fontFilesToShare()) };
  return new Promise((resolve, rejectAll) => {
    let nextTask = 0;
    let finished = 0;
    let stopped = false;
    const running = new Set<Worker>();

    const resolveAll = (): void => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    // Aborted: what the workers are rendering is dropped, nothing more is handed over.
    const stop = (): void => {
      stopped = true;
      for (const worker of running) void worker.terminate();
      resolveAll();
    };
    signal?.addEventListener('abort', stop, { once: true });

    const complete = (index: number, outcome: RenderOutcome): void => {
      if (stopped) return;
      finished += 1;
      try {
        onOutcome(outcome, index);
      } catch (error) {
        rejectAll(error);
      }
      if (finished === tasks.length) resolveAll();
    };

    const startWorker = (): void => {
      const worker = new Worker(workerUrl, { workerData });
      running.add(worker);
      let current: number | undefined;
      let retired = false;

      const dispatch = (): void => {
        if (stopped) return;
        if (nextTask >= tasks.length) {
          retired = true;
          void worker.terminate();
          return;
        }
        current = nextTask++;
        const request: WorkerRequest = { id: current, task: tasks[current]! };
        worker.postMessage(request);
      };
      // A worker that dies takes only its current document with it; the rest go on.
      const failCurrent = (why: string): void => {
        if (current === undefined) return;
        const index = current;
        current = undefined;
        complete(index, crashed(tasks[index]!, why));
      };

      worker.on('message', (reply: WorkerReply) => {
        if (reply.id !== current) return;
        current = undefined;
        complete(reply.id, reply.outcome);
        dispatch();
      });
      worker.on('error', (error) => failCurrent(error.stack ?? error.message));
      worker.on('exit', (code) => {
        running.delete(worker);
        if (stopped) return;
        failCurrent(`渲染线程意外退出（退出码 ${code}）`);
        if (!retired && nextTask < tasks.length) startWorker();
      });
      dispatch();
    };

    for (let i = 0; i < workers; i++) startWorker();
  });
}

function crashed(task: RenderTask, why: string): RenderOutcome {
  return {
    file: task.file,
    status: 2,
    findings: [{ rule: 'render.worker-crashed', severity: 'error', message: `生成 ${task.file} 时渲染线程出错（请报告此问题）：${why}` }],
    milliseconds: 0,
  };
}
