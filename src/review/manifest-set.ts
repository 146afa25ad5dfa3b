/**
 * The manifests one `verify` proves together: the files named, and the manifests in each folder
 * named — manifest.json and every manifest-K-of-N.json, as a CI job has them after downloading
 * all shards' artifacts into one folder (or, when a folder holds none, those in its subfolders:
 * one artifact per subfolder). Entries are keyed by the PDF they describe, so the same entry in
 * two manifests counts once and two different entries for one PDF are a conflict. Shard
 * manifests prove a whole release only when all N of them are there.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isDirectory } from '../render/batch-inputs.js';
import { compareCodeUnits } from './input-hashes.js';
import {
  MANIFEST_FILE_PATTERN,
  MANIFEST_FORMAT,
  ManifestError,
  manifestFileName,
  readManifest,
  resolveManifestPath,
  serializeManifest,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';

export interface LoadedManifest {
  file: string;
  /** The folder its paths are relative to. */
  dir: string;
  manifest: Manifest;
}

/** @throws ManifestError for a file that is no manifest, or a folder with none. */
export function loadManifests(inputs: readonly string[]): LoadedManifest[] {
  const files = new Map<string, string>();
  for (const input of inputs) {
    for (const file of isDirectory(input) ? manifestsIn(input) : [input]) if (!files.has(resolve(file))) files.set(resolve(file), file);
  }
  return [...files.values()].map((file) => ({ file, dir: dirname(file), manifest: readManifest(file) }));
}

function manifestsIn(dir: string): string[] {
  const direct = namesIn(dir).filter((name) => MANIFEST_FILE_PATTERN.test(name)).map((name) => join(dir, name));
  if (direct.length > 0) return direct;
  const nested = namesIn(dir)
    .filter((name) => isDirectory(join(dir, name)))
    .flatMap((name) => namesIn(join(dir, name)).filter((file) => MANIFEST_FILE_PATTERN.test(file)).map((file) => join(dir, name, file)));
  if (nested.length > 0) return nested;
  throw new ManifestError(dir, `文件夹 ${dir} 及其子文件夹中没有清单（${manifestFileName()} 或 manifest-K-of-N.json）`);
}

/** Sorted, hidden files (a lock, a temporary file) left out. */
function namesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort(compareCodeUnits);
}

export interface CombinedEntry {
  entry: ManifestEntry;
  /** The folder of the (first) manifest listing it: the entry's paths are relative to it. */
  dir: string;
}

export interface ManifestConflict {
  /** The PDF, absolute. */
  pdf: string;
  /** The manifests that disagree about it. */
  files: string[];
}

/** Every entry once, in PDF order; PDFs that two manifests describe differently are conflicts instead. */
export function combineManifests(loaded: readonly LoadedManifest[]): { entries: CombinedEntry[]; conflicts: ManifestConflict[] } {
  const byPdf = new Map<string, { entry: ManifestEntry; dir: string; text: string; files: string[]; differs: boolean }>();
  for (const { file, dir, manifest } of loaded) {
    for (const entry of manifest.entries) {
      const pdf = resolveManifestPath(dir, entry.pdf);
      // Compared as written (same keys, same order), not as objects.
      const text = serializeManifest({ format: MANIFEST_FORMAT, entries: [entry] });
      const seen = byPdf.get(pdf);
      if (!seen) byPdf.set(pdf, { entry, dir, text, files: [file], differs: false });
      else {
        seen.files.push(file);
        seen.differs ||= seen.text !== text;
      }
    }
  }
  const sorted = [...byPdf.entries()].sort(([a], [b]) => compareCodeUnits(a, b));
  return {
    entries: sorted.filter(([, e]) => !e.differs).map(([, e]) => ({ entry: e.entry, dir: e.dir })),
    conflicts: sorted.filter(([, e]) => e.differs).map(([pdf, e]) => ({ pdf, files: e.files })),
  };
}

/** What keeps shard manifests from covering a whole release: shards of different N, shards not there. */
export function shardProblems(loaded: readonly LoadedManifest[]): string[] {
  const present = new Map<number, Set<number>>();
  for (const { manifest } of loaded) {
    if (!manifest.shard) continue;
    const { index, count } = manifest.shard;
    if (!present.has(count)) present.set(count, new Set());
    present.get(count)!.add(index);
  }
  const problems: string[] = [];
  const counts = [...present.keys()].sort((a, b) => a - b);
  if (counts.length > 1) problems.push(`分片清单来自份数不同的分片（${counts.map((n) => `共 ${n} 份`).join('、')}）；删除过期的清单后重试`);
  for (const count of counts) {
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !present.get(count)!.has(k));
    if (missing.length === 0) continue;
    const names = missing.map((index) => manifestFileName({ index, count }));
    problems.push(`缺少分片 ${missing.map((k) => `${k}/${count}`).join('、')} 的清单（${names.join('、')}），不能证明整个发布可复现`);
  }
  return problems;
}
