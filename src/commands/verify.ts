/**
 * `budget-pdf verify [output/manifest.json]`: re-render every entry of a manifest in memory
 * (with the SOURCE_DATE_EPOCH and draft setting it was rendered with) and report every entry
 * that is no longer reproducible. Exit 0 all reproducible, 1 any differs, 2 unreadable manifest.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { RenderOutcome, RenderTask } from '../render/render-artifact.js';
import { renderEach } from '../render/worker-pool.js';
import { sha256Hex } from '../review/input-hashes.js';
import { MANIFEST_FILE_NAME, ManifestError, readManifest, resolveManifestPath } from '../review/manifest.js';
import { entryProblems } from '../review/verify-entry.js';
import { processIo, type ConsoleIo } from './console-io.js';
import { DEFAULT_OUTPUT_DIR } from './render.js';
import { startProgress } from './progress.js';

export interface VerifyOptions {
  /** Worker threads (default: one per core). */
  jobs?: number;
}

export const DEFAULT_MANIFEST = join(DEFAULT_OUTPUT_DIR, MANIFEST_FILE_NAME);

export async function runVerify(manifestFile: string = DEFAULT_MANIFEST, options: VerifyOptions = {}, io: ConsoleIo = processIo()): Promise<number> {
  let entries;
  try {
    entries = readManifest(manifestFile).entries;
  } catch (error) {
    if (error instanceof ManifestError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (entries.length === 0) {
    io.stdout.write(`清单 ${manifestFile} 中没有条目\n`);
    return 0;
  }

  const dir = dirname(manifestFile);
  const tasks: RenderTask[] = entries.map((entry) => ({
    file: shownPath(resolveManifestPath(dir, entry.data.path)),
    draft: entry.draft,
    sourceDateEpoch: entry.sourceDateEpoch,
    pageTexts: false,
  }));
  const failed: { pdf: string; problems: string[] }[] = [];
  const progress = startProgress(entries.length, '核验', io);
  try {
    const check = (outcome: RenderOutcome, index: number): void => {
      const entry = entries[index]!;
      const disk = {
        pdfSha256: hashIfPresent(resolveManifestPath(dir, entry.pdf)),
        textSha256: hashIfPresent(resolveManifestPath(dir, entry.text.path)),
      };
      const problems = entryProblems(entry, dir, disk, outcome);
      if (problems.length > 0) failed.push({ pdf: entry.pdf, problems });
      progress.tick(problems.length ? `不一致 ${entry.pdf}：${problems[0]}` : `一致 ${entry.pdf}`, problems.length > 0);
    };
    await renderEach(tasks, check, { jobs: options.jobs });
  } finally {
    progress.stop();
  }

  const ok = entries.length - failed.length;
  io.stdout.write(`核验 ${manifestFile} 的 ${entries.length} 项：${ok} 项可复现${failed.length ? `，${failed.length} 项不一致` : ''}\n`);
  if (failed.length === 0) return 0;
  failed.sort((a, b) => (a.pdf < b.pdf ? -1 : a.pdf > b.pdf ? 1 : 0));
  io.stderr.write(`${failed.flatMap((f) => [`${f.pdf}：`, ...f.problems.map((p) => `  ${p}`)]).join('\n')}\n`);
  return 1;
}

function hashIfPresent(file: string): string | null {
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return null;
  }
}

/** Relative to the working directory when inside it, so findings name files as the user sees them. */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
