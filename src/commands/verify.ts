/**
 * `budget-pdf verify [DIR|MANIFEST...] [--root DIR]`: re-render every entry of the manifests in
 * memory (with the SOURCE_DATE_EPOCH, draft setting and font configuration it was rendered
 * with) and report every entry that is no longer reproducible. Several manifests are proved
 * together, e.g. every shard's of a CI matrix (see manifest-set.ts). Exit 0 all reproducible;
 * 1 any differs, or a PDF the render was asked for was never written (its manifest records it
 * missing: failed data, an interrupted batch); 2 when the check could not be made: an unreadable
 * manifest, a shard's manifest missing, data that is nowhere to be found.
 */
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { RenderOutcome } from '../render/render-artifact.js';
import type { RenderTask } from '../render/render-artifact.js';
import { sourceDateEpochProblem } from '../render/source-date-epoch.js';
import { displayPath } from '../display-path.js';
import { renderEach } from '../render/worker-pool.js';
import { sha256Hex, sha256TextFile } from '../review/input-hashes.js';
import { locateInput } from '../review/locate-inputs.js';
import { ManifestError, resolveManifestPath, type ManifestEntry } from '../review/manifest.js';
import { combineManifests, loadManifests, shardProblems, type LoadedManifest } from '../review/manifest-set.js';
import { entryProblems } from '../review/verify-entry.js';
import { processIo, type ConsoleIo } from './console-io.js';
import { DEFAULT_OUTPUT_DIR } from './render.js';
import { startProgress } from './progress.js';

export interface VerifyOptions {
  /** Worker threads (default: one per core). */
  jobs?: number;
  /** Where the render's working directory is now, for a moved manifest folder (default: the working directory). */
  root?: string;
}

/** One entry, ready to re-render, or the reason it cannot be. */
interface Planned {
  entry: ManifestEntry;
  dir: string;
  /** The PDF as the report names it. */
  name: string;
  task?: RenderTask;
  /** Where the recorded fonts.yaml was looked for, when no place held it unchanged. */
  fontConfigLooked?: string[];
  unrenderable?: string;
}

export async function runVerify(inputs: readonly string[] = [], options: VerifyOptions = {}, io: ConsoleIo = processIo()): Promise<number> {
  let loaded: LoadedManifest[];
  try {
    loaded = loadManifests(inputs.length > 0 ? inputs : [DEFAULT_OUTPUT_DIR]);
  } catch (error) {
    if (error instanceof ManifestError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { entries, conflicts } = combineManifests(loaded);
  const gaps = shardProblems(loaded);
  // PDFs the render was asked for and did not write: the release is incomplete whatever the rest proves.
  const missing = loaded.flatMap((m) => (m.manifest.missing ?? []).map((x) => ({ ...x, file: m.file })));
  const what = loaded.length === 1 ? `${loaded[0]!.file} ` : `${loaded.length} 个清单`;
  if (loaded.length > 1) io.stdout.write(`清单：${loaded.map((m) => m.file).join('、')}\n`);
  // Shards that cannot make a whole release: said before minutes of re-rendering, which could not change it.
  if (gaps.length > 0) {
    io.stderr.write(`${gaps.join('\n')}\n（未重新生成：先补齐或删除这些分片清单）\n`);
    return 2;
  }
  // PDFs in a manifest's folder that no manifest records: a release folder would publish them unproved.
  const entryPdfs = new Set(entries.map((e) => resolveManifestPath(e.dir, e.entry.pdf)));
  const recorded = new Set([...entryPdfs, ...conflicts.map((c) => c.pdf), ...missing.map((m) => resolveManifestPath(dirname(m.file), m.pdf))]);
  const unrecorded = [...new Set([...new Set(loaded.map((m) => resolve(m.dir)))].flatMap((dir) => pdfsUnder(dir)))]
    .filter((pdf) => !recorded.has(pdf))
    .map(displayPath);
  if (entries.length + conflicts.length === 0 && missing.length === 0 && unrecorded.length === 0) {
    io.stdout.write(`${what}中没有条目\n`);
    return 0;
  }

  // One folder: PDFs by their names in it; several: by path, so two folders' u1.pdf stay apart.
  const oneFolder = new Set(loaded.map((m) => resolve(m.dir))).size === 1;
  const root = resolve(options.root ?? '.');
  const planned = entries.map(({ entry, dir }) => planEntry(entry, dir, root, oneFolder ? entry.pdf : displayPath(resolveManifestPath(dir, entry.pdf))));
  const failed: { pdf: string; problems: string[]; unverifiable: boolean }[] = conflicts.map((c) => ({
    pdf: oneFolder ? relative(loaded[0]!.dir, c.pdf) : displayPath(c.pdf),
    problems: [`清单 ${c.files.join('、')} 对它的记录不同（其中有过期的清单？删除它，或重新生成）`],
    unverifiable: false,
  }));
  const progress = startProgress(planned.length, '核验', io);
  // Unverifiable: nothing says the PDF differs, it just cannot be made again here (data not found,
  // templates or fonts moved): exit 2, as for any input that cannot be used, and counted apart.
  const report = (item: Planned, problems: string[], unverifiable = false): void => {
    if (problems.length > 0) failed.push({ pdf: item.name, problems, unverifiable });
    progress.tick(problems.length ? `${unverifiable ? '无法核验' : '不一致'} ${item.name}：${problems[0]}` : `一致 ${item.name}`, problems.length > 0);
  };
  try {
    for (const item of planned) if (item.unrenderable) report(item, [item.unrenderable], true);
    const renderable = planned.filter((item) => item.task);
    const check = (outcome: RenderOutcome, index: number): void => {
      const item = renderable[index]!;
      const disk = {
        pdfSha256: hashIfPresent(resolveManifestPath(item.dir, item.entry.pdf)),
        textSha256: hashIfPresent(resolveManifestPath(item.dir, item.entry.text.path)),
      };
      const problems = entryProblems(item.entry, { disk, shown: displayPath, fontConfigLooked: item.fontConfigLooked }, outcome);
      // Not re-rendered although the data is as recorded: the setup, not the publication, changed.
      const unverifiable = outcome.status !== 0 && dataAsRecorded(item);
      report(item, problems, unverifiable);
    };
    await renderEach(renderable.map((item) => item.task!), check, { jobs: options.jobs });
  } finally {
    progress.stop();
  }

  const total = entries.length + conflicts.length;
  const ok = total - failed.length;
  const unverifiable = failed.filter((f) => f.unverifiable).length;
  const differ = failed.length - unverifiable;
  io.stdout.write(
    `核验 ${what}的 ${total} 项：${ok} 项可复现${differ ? `，${differ} 项不一致` : ''}${unverifiable ? `，${unverifiable} 项无法核验` : ''}` +
      `${missing.length ? `；另有 ${missing.length} 个 PDF 最近一次没有生成，发布不完整` : ''}` +
      `${unrecorded.length ? `；另有 ${unrecorded.length} 个 PDF 不在任何清单中` : ''}\n`,
  );
  failed.sort((a, b) => (a.pdf < b.pdf ? -1 : a.pdf > b.pdf ? 1 : 0));
  const absent = missing.map((m) => {
    const earlier = entryPdfs.has(resolveManifestPath(dirname(m.file), m.pdf)) ? '，文件夹中是之前生成的版本' : '';
    return `${m.file}：${m.pdf} 最近一次没有生成（${m.reason}；数据 ${m.data}）${earlier}，请修正后重新生成`;
  });
  const stray = unrecorded.map((pdf) => `${pdf}：不在任何清单中（不是这次发布生成的？发布前删除它，或重新生成它）`);
  const lines = [...absent, ...stray, ...failed.flatMap((f) => [`${f.pdf}：`, ...f.problems.map((p) => `  ${p}`)])];
  if (lines.length > 0) io.stderr.write(`${lines.join('\n')}\n`);
  if (unverifiable > 0) return 2;
  return differ > 0 || missing.length > 0 || unrecorded.length > 0 ? 1 : 0;
}

/** Folders below a release folder that are still searched for PDFs (an artifact per subfolder, and theirs). */
const STRAY_SEARCH_DEPTH = 3;

/** Every PDF in `dir` and its subfolders (hidden ones left out), absolute, sorted. */
function pdfsUnder(dir: string, depth = 0): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return depth < STRAY_SEARCH_DEPTH ? pdfsUnder(path, depth + 1) : [];
      return e.isFile() && e.name.toLowerCase().endsWith('.pdf') ? [path] : [];
    });
}

/**
 * Find the entry's data (by content, beside the manifest or under the root) and the fonts.yaml it
 * was rendered with: that one when some place still holds it unchanged, else the current one
 * (and entryProblems says the configuration differs, naming where it looked).
 */
function planEntry(entry: ManifestEntry, dir: string, root: string, name: string): Planned {
  const data = locateInput(entry.data, entry, dir, root);
  if (!data.file) {
    const unrenderable =
      `找不到数据文件 ${entry.data.path}（已查找 ${data.looked.map(displayPath).join('、')}）；` +
      `请在生成时的工作目录运行 verify，或用 --root 指定它；若这个单位已删除，重新生成一次（render）会把它从清单中去掉`;
    return { entry, dir, name, unrenderable };
  }
  // verify renders with the recorded value, never the environment's: a bad one is this entry's problem.
  const epochProblem = sourceDateEpochProblem(entry.sourceDateEpoch, '清单记录的');
  if (epochProblem) return { entry, dir, name, unrenderable: `${epochProblem}，无法按它重新生成` };
  const fontConfig = locateInput(entry.fontConfig, entry, dir, root);
  const task: RenderTask = {
    file: displayPath(data.file),
    draft: entry.draft,
    sourceDateEpoch: entry.sourceDateEpoch,
    pageTexts: false,
    ...(fontConfig.matches ? { fontConfig: fontConfig.file! } : {}),
  };
  return { entry, dir, name, task, ...(fontConfig.matches ? {} : { fontConfigLooked: fontConfig.looked.map(displayPath) }) };
}

/** The data file the entry is re-rendered from still has the content the manifest recorded. */
function dataAsRecorded(item: Planned): boolean {
  if (!item.task) return false;
  try {
    return sha256TextFile(item.task.file) === item.entry.data.sha256;
  } catch {
    return false;
  }
}

function hashIfPresent(file: string): string | null {
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return null;
  }
}

