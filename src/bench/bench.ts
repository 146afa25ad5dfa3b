/**
 * `npm run bench`: how fast budget-pdf renders, on the reference data.
 *
 *   cold-single      `budget-pdf render <reference> -o x.pdf` in a new process, as a user runs it:
 *                    from spawning the process until it exits (PDF, page texts and manifest written);
 *                    also until the PDF is renamed into place (watched with fs.watch).
 *   warm-document    in one process, each further publication: renderDocument (check, compose, PDF bytes).
 *   warm-artifact    the same plus what a batch worker adds: page texts read back, hashes.
 *   batch-<kind>-<n> `budget-pdf render DIR -o OUT` over n files (kind `ref`: copies of the reference
 *                    under other unit names; `gen`: generated units of varied size), all cores.
 *   batch-ref-50-jobs1  the same with --jobs 1: one renderer in one process, its peak RSS over a long run.
 *   reference-pdf    size of the reference PDF.
 *
 * Memory: every spawned process preloads memory-probe.js, which reports the process's peak RSS
 * (process.resourceUsage().maxRSS, all threads) and each worker thread's peak heap + buffers.
 * Prints medians with min and max and writes output/bench.json. Options: --quick, --only, run counts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { VERSION } from '../version.js';
import { writeBatchData, type BatchKind } from './bench-data.js';
import { PROBE_ENV, type MainThreadReport, type WorkerThreadReport } from './memory-probe.js';
import { checkTargets, formatReport, summarize, type BenchCase, type BenchReport, type Summary, type Target } from './report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'budget-pdf.js');
const REFERENCE = join(ROOT, 'data', 'luolong-zwfwzx-2022.yaml');
const PROBE_URL = new URL('./memory-probe.js', import.meta.url);

type Section = 'cold' | 'warm' | 'batch';
const SECTIONS: readonly Section[] = ['cold', 'warm', 'batch'];

export interface BenchOptions {
  quick: boolean;
  only: Section[];
  coldRuns: number;
  warmRuns: number;
  batchRuns: number;
  batchSizes: number[];
  /** Worker threads for the batch cases; default: the CLI's default (one per core). */
  jobs?: number;
  out: string;
}

export const TARGETS: readonly Target[] = [
  { caseName: 'cold-single', figure: 'value', comparison: 'atMost', limit: 0.8, label: 'cold single render (s)' },
  { caseName: 'warm-artifact', figure: 'value', comparison: 'atMost', limit: 0.15, label: 'per additional publication in one process (s)' },
  { caseName: 'batch-ref-200', figure: 'value', comparison: 'atLeast', limit: 12, label: 'batch of 200 reference-sized publications (docs/s)' },
  { caseName: 'batch-ref-200', figure: 'worker peak MB', comparison: 'atMost', limit: 250, label: 'peak memory per worker, batch of 200 (MB)' },
  { caseName: 'batch-ref-50-jobs1', figure: 'process peak RSS MB', comparison: 'atMost', limit: 250, label: 'peak RSS of a one-renderer process, 50 documents (MB)' },
  { caseName: 'cold-single', figure: 'peak RSS MB', comparison: 'atMost', limit: 250, label: 'peak RSS of a single render (MB)' },
  { caseName: 'reference-pdf', figure: 'value', comparison: 'atMost', limit: 250, label: 'reference PDF (KB)' },
];

interface Spawned {
  /** Spawn to exit. */
  seconds: number;
  /** Spawn to the moment `watchFile` appeared (renamed into place), when asked to watch one. */
  fileSeconds?: number;
  main: MainThreadReport;
  workers: WorkerThreadReport[];
  stdout: string;
}

/**
 * Run the CLI in a new process with the memory probe preloaded; fail loudly if it fails.
 * `watchFile`: also time when that file appears (its folder must exist; the CLI renames it into place).
 */
async function runCli(args: string[], probeDir: string, label: string, watchFile?: string): Promise<Spawned> {
  rmSync(probeDir, { recursive: true, force: true });
  mkdirSync(probeDir, { recursive: true });
  const prefix = join(probeDir, 'probe');
  let fileSeconds: number | undefined;
  const started = performance.now();
  const watcher = watchFile
    ? watch(dirname(watchFile), (_event, name) => {
        if (fileSeconds === undefined && name === basename(watchFile) && existsSync(watchFile)) fileSeconds = (performance.now() - started) / 1000;
      })
    : undefined;
  const child = spawn(process.execPath, ['--import', PROBE_URL.href, BIN, ...args], { cwd: ROOT, env: { ...process.env, [PROBE_ENV]: prefix } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | string>((resolveExit, rejectExit) => {
    child.on('error', rejectExit);
    child.on('close', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });
  const seconds = (performance.now() - started) / 1000;
  watcher?.close();
  if (status !== 0) throw new Error(`bench: ${label} failed (exit ${status}):\n${stderr || stdout}`);
  const main = JSON.parse(readFileSync(`${prefix}.main.json`, 'utf8')) as MainThreadReport;
  const workers = readdirSync(probeDir)
    .filter((f) => f.startsWith('probe.worker-'))
    .map((f) => JSON.parse(readFileSync(join(probeDir, f), 'utf8')) as WorkerThreadReport);
  return { seconds, fileSeconds, main, workers, stdout };
}

const mb = (kb: number): number => kb / 1024;

async function coldSingle(work: string, runs: number, log: (s: string) => void): Promise<{ single: BenchCase; size: BenchCase }> {
  const times: number[] = [];
  const toPdf: number[] = [];
  const rss: number[] = [];
  const cpu: number[] = [];
  const sizes: number[] = [];
  const hashes = new Set<string>();
  for (let i = 0; i < runs; i++) {
    const outDir = join(work, 'cold');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const pdf = join(outDir, 'reference.pdf');
    const run = await runCli(['render', REFERENCE, '-o', pdf], join(work, 'probe-cold'), 'cold single render', pdf);
    times.push(run.seconds);
    if (run.fileSeconds !== undefined) toPdf.push(run.fileSeconds);
    rss.push(mb(run.main.maxRssKb));
    cpu.push((run.main.userCpuMs + run.main.systemCpuMs) / 1000);
    const bytes = readFileSync(pdf);
    sizes.push(bytes.length / 1024);
    hashes.add(bytes.toString('base64'));
    log(`cold ${i + 1}/${runs}: ${run.seconds.toFixed(3)} s (PDF written at ${run.fileSeconds?.toFixed(3) ?? '?'} s)`);
  }
  if (hashes.size !== 1) throw new Error('bench: two cold renders of the reference gave different bytes');
  return {
    single: {
      description: 'budget-pdf render <reference> -o x.pdf in a new process: spawn to exit (PDF, page texts, manifest written)',
      value: summarize(times, 's'),
      extra: {
        ...(toPdf.length > 0 ? { 'to PDF written s': summarize(toPdf, 's') } : {}),
        'peak RSS MB': summarize(rss, 'MB'),
        'CPU s (user+sys)': summarize(cpu, 's'),
      },
    },
    size: { description: 'size of the reference PDF', value: summarize(sizes, 'KB'), extra: {} },
  };
}

async function warmInProcess(runs: number, log: (s: string) => void): Promise<{ document: BenchCase; artifact: BenchCase }> {
  const { renderDocument } = await import('../render/render-document.js');
  const { renderArtifact } = await import('../render/render-artifact.js');
  const task = { file: REFERENCE, draft: false, sourceDateEpoch: null, pageTexts: true };
  const timeOnce = async (fn: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await fn();
    return (performance.now() - started) / 1000;
  };
  const first = await timeOnce(() => renderArtifact(task));
  log(`warm: first publication in this process ${first.toFixed(3)} s`);
  const documentTimes: number[] = [];
  const artifactTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    documentTimes.push(await timeOnce(() => renderDocument(REFERENCE)));
    artifactTimes.push(await timeOnce(() => renderArtifact(task)));
  }
  log(`warm: ${runs} × 2 publications done`);
  return {
    document: {
      description: 'one more publication in a process that has rendered before: renderDocument (load, check, compose, PDF bytes)',
      value: summarize(documentTimes, 's'),
      extra: { 'first in process s': summarize([first], 's') },
    },
    artifact: {
      description: 'one more publication as a batch worker makes it: renderArtifact (renderDocument + page texts read back + hashes)',
      value: summarize(artifactTimes, 's'),
      extra: {},
    },
  };
}

function manifestPages(outDir: string): number {
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { entries: Array<{ pages: number }> };
  return manifest.entries.reduce((sum, e) => sum + e.pages, 0);
}

function folderKb(dir: string, ext: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1024;
}

async function batchCase(work: string, dataDir: string, count: number, runs: number, jobs: number | undefined, label: string, log: (s: string) => void): Promise<BenchCase> {
  const throughput: number[] = [];
  const seconds: number[] = [];
  const pagesPerSecond: number[] = [];
  const processRss: number[] = [];
  const workerPeak: number[] = [];
  const pdfKb: number[] = [];
  for (let i = 0; i < runs; i++) {
    const outDir = join(work, `out-${label}`);
    rmSync(outDir, { recursive: true, force: true });
    const args = ['render', dataDir, '-o', outDir, ...(jobs ? ['--jobs', String(jobs)] : [])];
    const run = await runCli(args, join(work, `probe-${label}`), label);
    const pdfs = readdirSync(outDir).filter((f) => f.endsWith('.pdf')).length;
    if (pdfs !== count) throw new Error(`bench: ${label} wrote ${pdfs} PDFs, expected ${count}`);
    seconds.push(run.seconds);
    throughput.push(count / run.seconds);
    pagesPerSecond.push(manifestPages(outDir) / run.seconds);
    processRss.push(mb(run.main.maxRssKb));
    if (run.workers.length > 0) workerPeak.push(mb(Math.max(...run.workers.map((w) => w.peakKb))));
    pdfKb.push(folderKb(outDir, '.pdf') / count);
    log(`${label} ${i + 1}/${runs}: ${run.seconds.toFixed(2)} s, ${(count / run.seconds).toFixed(1)} docs/s`);
    rmSync(outDir, { recursive: true, force: true });
  }
  const extra: Record<string, Summary> = {
    'wall s': summarize(seconds, 's'),
    'pages/s': summarize(pagesPerSecond, 'pages/s'),
    'process peak RSS MB': summarize(processRss, 'MB'),
    'mean PDF KB': summarize(pdfKb, 'KB'),
  };
  if (workerPeak.length > 0) extra['worker peak MB'] = summarize(workerPeak, 'MB');
  return {
    description: `budget-pdf render DIR -o OUT${jobs ? ` --jobs ${jobs}` : ''} over ${count} files, spawn to exit (PDFs, texts, manifest)`,
    value: summarize(throughput, 'docs/s'),
    extra,
  };
}

export async function runBench(options: BenchOptions, log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<BenchReport> {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('bench: dist/ is missing; run `npm run build` first');
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg()[0]!;
  const work = mkdtempSync(join(tmpdir(), 'budget-pdf-bench-'));
  const cases: Record<string, BenchCase> = {};
  const notes = [
    'times are wall-clock; the load averages above show other work on the machine, which inflates them',
    'worker peak MB: a worker thread has no RSS of its own; it is the thread’s V8 heap plus its external buffers, sampled every 20 ms',
    'process peak RSS MB: process.resourceUsage().maxRSS of the whole process (main thread and all workers)',
  ];
  try {
    if (options.only.includes('cold')) {
      const { single, size } = await coldSingle(work, options.coldRuns, log);
      cases['cold-single'] = single;
      cases['reference-pdf'] = size;
    }
    if (options.only.includes('warm')) {
      const { document, artifact } = await warmInProcess(options.warmRuns, log);
      cases['warm-document'] = document;
      cases['warm-artifact'] = artifact;
    }
    if (options.only.includes('batch')) {
      const kinds: Array<[BatchKind, string]> = [['reference', 'ref'], ['generated', 'gen']];
      for (const size of options.batchSizes) {
        for (const [kind, short] of kinds) {
          const dataDir = join(work, `data-${short}-${size}`);
          writeBatchData(dataDir, kind, size, REFERENCE);
          cases[`batch-${short}-${size}`] = await batchCase(work, dataDir, size, options.batchRuns, options.jobs, `batch-${short}-${size}`, log);
        }
      }
      if (!options.quick) {
        const dataDir = join(work, 'data-ref-50-jobs1');
        writeBatchData(dataDir, 'reference', 50, REFERENCE);
        cases['batch-ref-50-jobs1'] = await batchCase(work, dataDir, 50, 1, 1, 'batch-ref-50-jobs1', log);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const cpuList = cpus();
  const report: BenchReport = {
    version: VERSION,
    startedAt,
    quick: options.quick,
    machine: {
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      loadAverageStart,
      loadAverageEnd: loadavg()[0]!,
    },
    cases,
    targets: checkTargets(cases, TARGETS),
    notes,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function sizeList(value: string): number[] {
  return value.split(',').map((v) => positiveInt(v.trim()));
}

function sectionList(value: string): Section[] {
  const sections = value.split(',').map((v) => v.trim());
  for (const s of sections) if (!(SECTIONS as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown section ${s}; use ${SECTIONS.join(', ')}`);
  return sections as Section[];
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const program = new Command()
    .name('bench')
    .description('Benchmark budget-pdf on the reference data; writes output/bench.json')
    .option('--quick', 'a quick subset: 2 cold, 5 warm, one batch run of 50 of each kind')
    .option('--only <sections>', `comma-separated: ${SECTIONS.join(',')}`, sectionList)
    .option('--cold-runs <n>', 'cold single renders (default 5)', positiveInt)
    .option('--warm-runs <n>', 'warm publications in one process (default 20)', positiveInt)
    .option('--batch-runs <n>', 'runs of each batch case (default 3)', positiveInt)
    .option('--batch-sizes <list>', 'batch sizes (default 50,200)', sizeList)
    .option('-j, --jobs <n>', 'worker threads for the batches (default: one per core)', positiveInt)
    .option('--out <file>', 'JSON report', join(ROOT, 'output', 'bench.json'))
    .allowExcessArguments(false);
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ quick?: boolean; only?: Section[]; coldRuns?: number; warmRuns?: number; batchRuns?: number; batchSizes?: number[]; jobs?: number; out: string }>();
  const quick = o.quick === true;
  return {
    quick,
    only: o.only ?? [...SECTIONS],
    coldRuns: o.coldRuns ?? (quick ? 2 : 5),
    warmRuns: o.warmRuns ?? (quick ? 5 : 20),
    batchRuns: o.batchRuns ?? (quick ? 1 : 3),
    batchSizes: o.batchSizes ?? (quick ? [50] : [50, 200]),
    jobs: o.jobs,
    out: o.out,
  };
}

function invokedDirectly(): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (invokedDirectly()) {
  const options = parseBenchArgs(process.argv.slice(2));
  const report = await runBench(options);
  process.stdout.write(formatReport(report));
  process.stdout.write(`written ${options.out}\n`);
}
