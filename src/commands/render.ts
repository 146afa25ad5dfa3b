/**
 * `budget-pdf render FILE [-o OUT.pdf]` and `budget-pdf render DIR|FILE... [-o DIR] [--shard K/N]`.
 * Each render checks first and writes nothing for data with errors (unless --draft), so a
 * mistake never replaces a good earlier PDF. Beside each PDF go `<name>.txt` (page texts) and
 * an entry in the folder's manifest.json (manifest-K-of-N.json for --shard K/N). A batch
 * renders on every core, never stops at a bad file, and ends with a summary of what failed and why;
 * interrupted (SIGINT, SIGTERM), it records what it wrote before it exits.
 */
import { rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { displayPath } from '../display-path.js';
import { findingText, type Finding } from '../budget/findings.js';
import { BatchInputError, batchOutputs, collectDataFiles, isDirectory, isSingleRender, parseShard, selectShard, type ShardSpec } from '../render/batch-inputs.js';
import { renderArtifact, type RenderOutcome, type RenderTask } from '../render/render-artifact.js';
import { SOURCE_DATE_EPOCH, sourceDateEpochProblem } from '../render/source-date-epoch.js';
import { ensureDirectory } from '../render/ensure-directory.js';
import { isPdfPath, outputTargetProblem } from '../render/output-target.js';
import { artifactPaths, isRendered, writeRenderArtifacts } from '../render/release-artifacts.js';
import { defaultJobs, renderEach } from '../render/worker-pool.js';
import { dataGoneFrom } from '../review/locate-inputs.js';
import { ManifestError, manifestFileName, manifestPath, readManifestOrEmpty, updateManifest, type ManifestEntry, type MissingOutput } from '../review/manifest.js';
import type { CommandResult } from './check.js';
import { processIo, type ConsoleIo } from './console-io.js';
import { startProgress } from './progress.js';

export interface RenderOptions {
  /** One file: the PDF (ending in .pdf) or a folder. Several files or a folder: the output folder. */
  out?: string;
  draft?: boolean;
  /** `K/N`: render only shard K of N. */
  shard?: string;
  /** Worker threads for a batch (default: one per core). */
  jobs?: number;
}

export const DEFAULT_OUTPUT_DIR = 'output';

/** output/<data file name>.pdf */
export function defaultOutput(file: string, outDir = DEFAULT_OUTPUT_DIR): string {
  return join(outDir, `${basename(file, extname(file))}.pdf`);
}

/** Where one file's PDF goes: `-o X.pdf` as given; `-o DIR` or `-o X.pdf/` (or nothing) → DIR/<name>.pdf. */
export function singleOutput(file: string, out: string | undefined): string {
  return out && isPdfPath(out) ? out : defaultOutput(file, out ?? DEFAULT_OUTPUT_DIR);
}

function renderTask(file: string, draft: boolean, pageTexts = true): RenderTask {
  return { file, draft, sourceDateEpoch: process.env[SOURCE_DATE_EPOCH] || null, pageTexts };
}

/** Single file (no --shard) → runRenderOne; folders, several files or --shard → a batch. */
export async function runRender(inputs: readonly string[], options: RenderOptions, io: ConsoleIo = processIo()): Promise<number> {
  // Checked once for every render of the command: the manifest records the value as given.
  const epochProblem = sourceDateEpochProblem(process.env[SOURCE_DATE_EPOCH]);
  if (epochProblem) {
    io.stderr.write(`${epochProblem}；未生成 PDF（改正或取消该变量后重试）\n`);
    return 2;
  }
  const outProblem = outputTargetProblem(options.out, DEFAULT_OUTPUT_DIR);
  if (outProblem) {
    io.stderr.write(`${outProblem}；未生成 PDF\n`);
    return 2;
  }
  if (isSingleRender(inputs, options.shard)) {
    const result = await runRenderOne(inputs[0]!, options);
    if (result.stdout) io.stdout.write(result.stdout);
    if (result.stderr) io.stderr.write(result.stderr);
    return result.exitCode;
  }
  return runBatch(inputs, options, io);
}

export async function runRenderOne(file: string, options: RenderOptions): Promise<CommandResult> {
  const paths = artifactPaths(singleOutput(file, options.out));
  try {
    readManifestOrEmpty(paths.manifest);
  } catch (error) {
    if (error instanceof ManifestError) return { exitCode: 2, stdout: '', stderr: `${error.message}（未生成 PDF；修复或删除该清单后重试）\n` };
    throw error;
  }
  const task = renderTask(file, options.draft === true);
  const outcome = await renderArtifact(task);
  const lines = outcome.findings.map((f) => findingText(f, file));
  if (!isRendered(outcome)) {
    lines.push(`${file}：${failureReason(outcome)}，未生成 PDF${outcome.status === 1 && !options.draft ? '（改正后重试，或加 --draft 生成带“草稿”水印的版本）' : ''}`);
    return { exitCode: outcome.status || 2, stdout: '', stderr: `${lines.join('\n')}\n` };
  }
  let entry: ManifestEntry;
  let dropped: ManifestEntry[];
  try {
    entry = await writeRenderArtifacts(outcome, task, paths);
    ({ dropped } = await updateManifest(paths.manifest, [entry], { dataGone: dataGoneFrom(dirname(paths.manifest), process.cwd()) }));
  } catch (error) {
    lines.push(`无法写入 ${paths.pdf}：${(error as Error).message}`);
    return { exitCode: 2, stdout: '', stderr: `${lines.join('\n')}\n` };
  }
  lines.push(`已生成 ${paths.pdf}（${entry.pages} 页，${(outcome.pdf.length / 1024).toFixed(0)} KB）${options.draft ? '，草稿' : ''}`);
  lines.push(`文字 ${paths.text}，清单 ${paths.manifest}`);
  const note = droppedNote(dropped, paths.manifest);
  return { exitCode: 0, stdout: `${lines.join('\n')}\n`, stderr: note };
}

function failureReason(outcome: RenderOutcome): string {
  if (outcome.status !== 2) return '有错误';
  // Status 2 is either the data file itself or the template set / fonts it needs.
  const unusable = outcome.findings.find(
    (f) => f.rule.startsWith('template.') || f.rule.startsWith('font.') || (f.loc !== undefined && f.loc.file !== outcome.file),
  );
  return unusable ? '所需的模板或字体不可用' : '无法读取';
}

interface BatchFailure {
  file: string;
  /** Its index among the batch's files. */
  index: number;
  status: 1 | 2;
  /** Why nothing was written, e.g. 有错误. */
  reason: string;
  findings: Finding[];
}

interface BatchPlan {
  outDir: string;
  /** manifest.json, or manifest-K-of-N.json for a shard (see manifestFileName). */
  manifestFile: string;
  shard?: ShardSpec;
  files: string[];
  /** The PDF path for each file. */
  outputs: string[];
}

/** Everything that can stop a batch before any work: inputs, --shard, name clashes, the manifest, the output folder. */
async function planBatch(inputs: readonly string[], options: RenderOptions, io: ConsoleIo): Promise<BatchPlan> {
  const out = options.out ?? DEFAULT_OUTPUT_DIR;
  // `-o X.pdf` names one PDF: fine for one data file (a --shard of one file), wrong for a folder or several.
  const pdf = isPdfPath(out) ? out : undefined;
  if (pdf) checkSinglePdfTarget(inputs, pdf);
  const outDir = pdf ? dirname(pdf) : out;
  let files = collectDataFiles(inputs);
  const shard = options.shard ? parseShard(options.shard) : undefined;
  if (shard) {
    files = selectShard(files, shard);
    io.stdout.write(`分片 ${shard.index}/${shard.count}：${files.length} 个文件\n`);
  }
  const outputs = pdf ? files.map(() => pdf) : batchOutputs(files, outDir);
  const manifestFile = join(outDir, manifestFileName(shard));
  readManifestOrEmpty(manifestFile);
  await ensureDirectory(outDir).catch((error: Error) => {
    throw new BatchInputError(`无法创建输出文件夹 ${outDir}：${error.message}`);
  });
  // A folder that cannot be written to fails now, once, not after every document has been rendered.
  const probe = join(outDir, `.budget-pdf-write-test-${process.pid}`);
  await writeFile(probe, '').then(() => rm(probe, { force: true })).catch((error: Error) => {
    throw new BatchInputError(`无法写入输出文件夹 ${outDir}：${error.message}`);
  });
  return { outDir, manifestFile, shard, files, outputs };
}

function checkSinglePdfTarget(inputs: readonly string[], pdf: string): void {
  const why =
    inputs.length > 1 ? `这里给了 ${inputs.length} 个输入` : isDirectory(inputs[0]!) ? `${inputs[0]} 是文件夹` : undefined;
  if (why) throw new BatchInputError(`-o ${pdf} 是一个 PDF 文件，只能用于一个数据文件；${why}，请让 -o 指向文件夹`);
}

async function runBatch(inputs: readonly string[], options: RenderOptions, io: ConsoleIo): Promise<number> {
  let plan: BatchPlan;
  try {
    plan = await planBatch(inputs, options, io);
  } catch (error) {
    if (error instanceof BatchInputError || error instanceof ManifestError) {
      io.stderr.write(`${error.message}${error instanceof ManifestError ? '（修复或删除该清单后重试）' : ''}\n`);
      return 2;
    }
    throw error;
  }
  const { outDir, manifestFile, shard, files, outputs } = plan;
  if (files.length === 0) {
    // A shard with nothing to render still leaves its (empty) manifest: verify then sees every shard ran.
    const problem = shard ? (await writeManifest(manifestFile, [], shard)).problem : undefined;
    io.stdout.write(`没有要生成的文件${shard && !problem ? `（清单 ${manifestFile}）` : ''}\n`);
    if (problem) io.stderr.write(`${problem}\n`);
    return problem ? 2 : 0;
  }

  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), files.length));
  const tasks = files.map((file) => renderTask(file, options.draft === true));
  const progress = startProgress(files.length, '生成', io);
  const entries: ManifestEntry[] = [];
  const failures: BatchFailure[] = [];
  let warnings = 0;

  // Writing happens here, in the main thread, while the workers go on rendering.
  const finished = new Set<number>();
  const finishOne = async (outcome: RenderOutcome, index: number): Promise<void> => {
    finished.add(index);
    const file = files[index]!;
    if (!isRendered(outcome)) {
      failures.push({ file, index, status: outcome.status === 1 ? 1 : 2, reason: failureReason(outcome), findings: outcome.findings });
      progress.tick(`失败 ${file}：${failureReason(outcome)}（${errorCount(outcome.findings)} 个错误）`, true);
      return;
    }
    const paths = artifactPaths(outputs[index]!);
    try {
      entries.push(await writeRenderArtifacts(outcome, tasks[index]!, paths));
    } catch (error) {
      const finding: Finding = { rule: 'render.write-failed', severity: 'error', message: `无法写入 ${paths.pdf}：${(error as Error).message}` };
      failures.push({ file, index, status: 2, reason: '无法写入', findings: [finding] });
      progress.tick(`失败 ${file}：无法写入 ${paths.pdf}`, true);
      return;
    }
    const warned = outcome.findings.filter((f) => f.severity === 'warning').length;
    const drafted = errorCount(outcome.findings);
    warnings += warned;
    const seconds = (outcome.milliseconds / 1000).toFixed(1);
    const notes = `${warned ? `，${warned} 条警告` : ''}${drafted ? `，${drafted} 个错误（草稿）` : ''}`;
    progress.tick(`已生成 ${paths.pdf}（${outcome.pageTexts.length} 页，${seconds} s${notes}）`, false);
  };
  const writes: Promise<void>[] = [];
  const interrupt = catchInterrupt();
  let manifestProblem: string | undefined;
  let dropped: ManifestEntry[] = [];
  let wroteManifest: boolean;
  try {
    try {
      const handOver = (outcome: RenderOutcome, index: number): Promise<void> => {
        const written = finishOne(outcome, index);
        writes.push(written);
        return written;
      };
      await renderEach(tasks, handOver, { jobs, signal: interrupt.signal });
      await Promise.all(writes);
    } finally {
      progress.stop();
    }
    // Also after an interrupt: every PDF already written gets its entry, so verify does not call it
    // changed, and every one not written is recorded missing, so verify does not call the release complete.
    const missingOne = (index: number, reason: string): MissingOutput => ({ pdf: manifestPath(outDir, outputs[index]!), data: manifestPath(outDir, files[index]!), reason });
    const missing = [
      ...failures.map((f) => missingOne(f.index, f.reason)),
      ...files.map((_, i) => i).filter((i) => !finished.has(i)).map((i) => missingOne(i, `已中断（${interrupt.received() ?? '未完成'}）`)),
    ];
    wroteManifest = entries.length > 0 || missing.length > 0 || shard !== undefined;
    ({ problem: manifestProblem, dropped } = wroteManifest ? await writeManifest(manifestFile, entries, shard, missing) : { dropped: [] });
  } finally {
    interrupt.release();
  }

  // From process start (performance.now() counts from it): the time CI waited, start-up included.
  const seconds = (performance.now() / 1000).toFixed(1);
  const stoppedBy = interrupt.received();
  const left = files.length - entries.length - failures.length;
  const summary =
    `${stoppedBy ? `已中断（收到 ${stoppedBy}）：` : ''}生成 ${files.length} 个文件到 ${outDir}：${entries.length} 个成功` +
    `${failures.length ? `，${failures.length} 个失败` : ''}${stoppedBy && left > 0 ? `，${left} 个未生成` : ''}` +
    `${warnings ? `，${warnings} 条警告（用 check 查看）` : ''}（用时 ${seconds} s，${jobs} 个线程）`;
  io.stdout.write(`${summary}\n${wroteManifest && !manifestProblem ? `清单 ${manifestFile}\n` : ''}`);
  if (manifestProblem) io.stderr.write(`${manifestProblem}\n`);
  io.stderr.write(droppedNote(dropped, manifestFile));
  if (failures.length > 0) io.stderr.write(failureReport(failures));
  if (stoppedBy) return stoppedBy === 'SIGINT' ? 130 : 143;
  return manifestProblem ? 2 : batchExitCode(failures);
}

interface Interrupt {
  /** Aborted at the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** The signal that stopped the batch, if one did. */
  received(): NodeJS.Signals | undefined;
  /** Give the signals back to Node's default handling. */
  release(): void;
}

/**
 * SIGINT (Ctrl-C) or SIGTERM (CI cancelling a job) stops a batch in order: nothing more is started,
 * what is written is recorded in the manifest, and the exit code is 128 + the signal's number. A
 * second signal ends the process at once, as without this handler.
 */
function catchInterrupt(): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const release = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    received = signal;
    release();
    controller.abort();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, received: () => received, release };
}

/**
 * Add the entries to the batch's manifest, dropping earlier entries whose data file is gone;
 * the problem as a sentence when it cannot be written.
 */
async function writeManifest(
  file: string,
  entries: readonly ManifestEntry[],
  shard: ShardSpec | undefined,
  missing: readonly MissingOutput[] = [],
): Promise<{ problem?: string; dropped: ManifestEntry[] }> {
  try {
    const { dropped } = await updateManifest(file, entries, { shard, missing, dataGone: dataGoneFrom(dirname(file), process.cwd()) });
    return { dropped };
  } catch (error) {
    return { problem: `无法写入清单 ${file}：${(error as Error).message}`, dropped: [] };
  }
}

/** The PDFs a manifest stopped listing because their data is gone: left on disk, so say so. */
function droppedNote(dropped: readonly ManifestEntry[], manifestFile: string): string {
  if (dropped.length === 0) return '';
  const dir = dirname(manifestFile);
  const shown = (stored: string): string => displayPath(resolve(dir, stored));
  const lines = dropped.map((e) => `  ${shown(e.pdf)}（数据文件 ${shown(e.data.path)} 已不存在）`);
  return `清单 ${manifestFile} 不再列出 ${dropped.length} 个 PDF，它们的数据文件已删除或改名；这些 PDF 和同名 .txt 仍在原处，不再发布时请删除：\n${lines.join('\n')}\n`;
}

/** The worst failure decides, as for check: 2 when any file could not be read or written, else 1 (data errors). */
function batchExitCode(failures: readonly BatchFailure[]): 0 | 1 | 2 {
  if (failures.length === 0) return 0;
  return failures.some((f) => f.status === 2) ? 2 : 1;
}

/** What failed and why, sorted by file; every error finding under its file. */
function failureReport(failures: BatchFailure[]): string {
  const sorted = [...failures].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const lines = sorted.flatMap((f) => [
    `${f.file}：${f.reason}，未生成 PDF`,
    // A message can span lines (a YAML code frame); keep every line under its file.
    ...f.findings.filter((x) => x.severity === 'error').map((x) => `  ${findingText(x, f.file).replace(/\n/g, '\n  ')}`),
  ]);
  return `失败 ${failures.length} 个：\n${lines.join('\n')}\n`;
}

function errorCount(findings: readonly Finding[]): number {
  return findings.filter((f) => f.severity === 'error').length;
}
