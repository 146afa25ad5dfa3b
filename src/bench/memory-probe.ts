/**
 * Preloaded by the benchmark into the processes it measures (`node --import …/memory-probe.js`),
 * so they report their own memory without any tool outside npm (no /usr/bin/time, no ps):
 *
 * - the main thread writes, at exit, the process's peak RSS (`process.resourceUsage().maxRSS`,
 *   the kernel's high-water mark for the whole process, worker threads included) and its CPU time;
 * - each worker thread samples its own memory (its V8 heap plus the buffers it holds) every few
 *   milliseconds and keeps the peak in a file of its own: a thread has no RSS of its own, and
 *   workers are terminated without running exit handlers.
 *
 * The files go to `${BUDGET_PDF_BENCH_PROBE}.main.json` and `${BUDGET_PDF_BENCH_PROBE}.worker-<id>.json`.
 * Without that variable the probe does nothing.
 */
import { writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, threadId } from 'node:worker_threads';

export const PROBE_ENV = 'BUDGET_PDF_BENCH_PROBE';

export interface MainThreadReport {
  maxRssKb: number;
  userCpuMs: number;
  systemCpuMs: number;
}

export interface WorkerThreadReport {
  threadId: number;
  /** Peak of the thread's V8 heap (physical) plus its external and ArrayBuffer memory, in kB. */
  peakKb: number;
}

const SAMPLE_MS = 20;

function threadMemoryKb(): number {
  const heap = getHeapStatistics();
  const usage = process.memoryUsage();
  return Math.round((heap.total_physical_size + usage.external) / 1024);
}

function startProbe(prefix: string): void {
  if (isMainThread) {
    process.on('exit', () => {
      const usage = process.resourceUsage();
      const report: MainThreadReport = { maxRssKb: usage.maxRSS, userCpuMs: usage.userCPUTime / 1000, systemCpuMs: usage.systemCPUTime / 1000 };
      writeFileSync(`${prefix}.main.json`, JSON.stringify(report));
    });
    return;
  }
  let peak = 0;
  const file = `${prefix}.worker-${threadId}.json`;
  const sample = (): void => {
    const now = threadMemoryKb();
    if (now <= peak) return;
    peak = now;
    const report: WorkerThreadReport = { threadId, peakKb: peak };
    writeFileSync(file, JSON.stringify(report));
  };
  sample();
  setInterval(sample, SAMPLE_MS).unref();
}

const prefix = process.env[PROBE_ENV];
if (prefix) startProbe(prefix);
