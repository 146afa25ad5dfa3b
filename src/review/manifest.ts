/**
 * The release manifest (`<output folder>/manifest.json`, or `manifest-K-of-N.json` for shard K of
 * N, so the shards of a CI matrix can be downloaded into one folder without overwriting each
 * other): for every PDF, its hash and page count and the hashes of everything it was rendered
 * from, so `verify` can prove a release reproducible. Paths are relative to the manifest's folder (with `/`), so a manifest stays
 * valid when the checkout moves. The JSON is deterministic: entries sorted by PDF path, keys
 * in a fixed order, no timestamps — re-rendering the same inputs rewrites the same file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../pdf/atomic-write.js';
import { withFileLock, type LockOptions } from './file-lock.js';
import { compareCodeUnits } from './input-hashes.js';

export const MANIFEST_FILE_NAME = 'manifest.json';
/** manifest.json or manifest-K-of-N.json. */
export const MANIFEST_FILE_PATTERN = /^manifest(?:-(\d+)-of-(\d+))?\.json$/;
/** Bumped when the manifest's shape changes incompatibly. */
export const MANIFEST_FORMAT = 1;

export interface HashedFile {
  /** Relative to the manifest's folder, `/`-separated (absolute only when on another drive). */
  path: string;
  sha256: string;
}

export interface ManifestEntry {
  /** The PDF, relative to the manifest's folder; the entry's key. */
  pdf: string;
  sha256: string;
  pages: number;
  /** The page-text artifact written beside the PDF. */
  text: HashedFile;
  data: HashedFile;
  /** The template folder; its hash covers every file in it (see hashFolder). */
  templates: HashedFile;
  /** fonts.yaml: which file each role uses. */
  fontConfig: HashedFile;
  /** Every font file the document was rendered with, sorted by path. */
  fonts: HashedFile[];
  /** budget-pdf version that rendered it. */
  version: string;
  draft: boolean;
  /** SOURCE_DATE_EPOCH at render time; verify renders with the same value (or none). */
  sourceDateEpoch: string | null;
  /**
   * The working directory render ran in, relative to the manifest's folder (`..` for
   * `render data/ -o output/`). When the folder has moved (a downloaded CI artifact), verify looks
   * for the inputs relative to the working directory instead. null in manifests from before.
   */
  workdir: string | null;
  /**
   * The Node.js and ICU versions that rendered it (`node 20.20.2, icu 77.1`): line breaking uses
   * ICU's dictionary, so another version may break a line elsewhere. null in manifests from before.
   */
  runtime: string | null;
}

/** The runtime a PDF is rendered with, as a manifest records it. */
export function runtimeVersion(): string {
  return `node ${process.versions.node}, icu ${process.versions.icu ?? 'none'}`;
}

/** Which shard of a `--shard K/N` batch a manifest records (1-based). */
export interface ManifestShard {
  index: number;
  count: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** Set for a shard's manifest, so verify can tell whether all N are there. */
  shard?: ManifestShard;
  entries: ManifestEntry[];
  /**
   * PDFs a batch was asked for and did not write (their data failed, or the batch was stopped):
   * a release with any is incomplete, and verify says so. Gone once a later render writes them.
   */
  missing?: MissingOutput[];
}

export interface MissingOutput {
  /** The PDF that should be there, relative to the manifest's folder. */
  pdf: string;
  /** Its data file, relative to the manifest's folder. */
  data: string;
  /** Why it is not there, in words (数据有错误, 已中断, …). */
  reason: string;
}

/**
 * The most shards a release is split into: far more CI jobs than anyone runs, small enough that
 * a mistyped N (`--shard 1/4294967296`, or a hand-edited manifest) is refused instead of making
 * room for billions of shards.
 */
export const MAX_SHARD_COUNT = 10_000;

/** The manifest's name in its folder: one per shard, so shards never overwrite each other's. */
export function manifestFileName(shard?: ManifestShard): string {
  return shard ? `manifest-${shard.index}-of-${shard.count}.json` : MANIFEST_FILE_NAME;
}

/** A manifest that is missing, is not JSON, or does not have the manifest's shape. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

export function emptyManifest(shard?: ManifestShard): Manifest {
  return { format: MANIFEST_FORMAT, ...(shard ? { shard } : {}), entries: [] };
}

/** A path as the manifest stores it: relative to the manifest's folder, with `/` (`.` for the folder itself). */
export function manifestPath(manifestDir: string, file: string): string {
  const rel = relative(resolve(manifestDir), resolve(file));
  if (isAbsolute(rel)) return rel; // another drive: no relative path exists
  return rel === '' ? '.' : rel.split(sep).join('/');
}

/** A path stored in the manifest → an absolute path. */
export function resolveManifestPath(manifestDir: string, stored: string): string {
  return resolve(manifestDir, stored);
}

/**
 * Entries replace earlier entries with the same PDF path; the rest are kept. A PDF now written is
 * no longer missing; one now missing is recorded so (its earlier entry, if any, stays: that PDF is
 * still there, but the release is not complete until it is written again).
 */
export function mergeManifestEntries(manifest: Manifest, entries: readonly ManifestEntry[], missing: readonly MissingOutput[] = []): Manifest {
  const byPdf = new Map(manifest.entries.map((e) => [e.pdf, e]));
  for (const entry of entries) byPdf.set(entry.pdf, entry);
  const absent = new Map((manifest.missing ?? []).map((m) => [m.pdf, m]));
  for (const entry of entries) absent.delete(entry.pdf);
  for (const m of missing) absent.set(m.pdf, m);
  return { ...emptyManifest(manifest.shard), entries: [...byPdf.values()], ...(absent.size > 0 ? { missing: [...absent.values()] } : {}) };
}

/** Deterministic JSON: entries sorted by PDF path and every object rebuilt with its keys in one order. */
export function serializeManifest(manifest: Manifest): string {
  const entries = [...manifest.entries].sort((a, b) => compareCodeUnits(a.pdf, b.pdf)).map(canonicalEntry);
  const shard = manifest.shard ? { shard: { index: manifest.shard.index, count: manifest.shard.count } } : {};
  const missing = (manifest.missing ?? []).length > 0
    ? { missing: [...manifest.missing!].sort((a, b) => compareCodeUnits(a.pdf, b.pdf)).map((m) => ({ pdf: m.pdf, data: m.data, reason: m.reason })) }
    : {};
  return `${JSON.stringify({ format: MANIFEST_FORMAT, ...shard, entries, ...missing }, null, 2)}\n`;
}

export function parseManifest(text: string, file: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `清单 ${file} 不是有效的 JSON：${(error as Error).message}`, { cause: error });
  }
  const problem = (what: string): ManifestError => new ManifestError(file, `清单 ${file} 的格式不对：${what}`);
  if (!isRecord(json)) throw problem('顶层应为对象');
  if (json.format !== MANIFEST_FORMAT) throw problem(`format 应为 ${MANIFEST_FORMAT}（实际为 ${JSON.stringify(json.format)}）`);
  if (!Array.isArray(json.entries)) throw problem('缺少 entries 列表');
  const shard = json.shard;
  if (shard !== undefined && !(isRecord(shard) && isShard(shard.index, shard.count))) throw problem(`shard 应为 { index, count }，1 ≤ index ≤ count ≤ ${MAX_SHARD_COUNT}`);
  const entries = json.entries.map((raw, i) => {
    const where = `entries[${i}]`;
    if (!isRecord(raw)) throw problem(`${where} 应为对象`);
    const hashed = (key: string, value: unknown): HashedFile => {
      if (!isRecord(value) || typeof value.path !== 'string' || !isSha256(value.sha256)) {
        throw problem(`${where}.${key} 应为 { path, sha256 }`);
      }
      return { path: value.path, sha256: value.sha256 };
    };
    if (typeof raw.pdf !== 'string' || raw.pdf === '') throw problem(`${where}.pdf 应为 PDF 的路径`);
    if (!isSha256(raw.sha256)) throw problem(`${where}.sha256 应为 64 位十六进制`);
    if (!Number.isInteger(raw.pages) || (raw.pages as number) < 0) throw problem(`${where}.pages 应为页数`);
    if (!Array.isArray(raw.fonts)) throw problem(`${where}.fonts 应为列表`);
    if (typeof raw.version !== 'string') throw problem(`${where}.version 应为版本号`);
    if (typeof raw.draft !== 'boolean') throw problem(`${where}.draft 应为 true 或 false`);
    if (raw.sourceDateEpoch !== null && typeof raw.sourceDateEpoch !== 'string') {
      throw problem(`${where}.sourceDateEpoch 应为字符串或 null`);
    }
    if (raw.workdir !== undefined && raw.workdir !== null && typeof raw.workdir !== 'string') {
      throw problem(`${where}.workdir 应为路径或 null`);
    }
    if (raw.runtime !== undefined && raw.runtime !== null && typeof raw.runtime !== 'string') {
      throw problem(`${where}.runtime 应为文字或 null`);
    }
    return {
      pdf: raw.pdf,
      sha256: raw.sha256,
      pages: raw.pages as number,
      text: hashed('text', raw.text),
      data: hashed('data', raw.data),
      templates: hashed('templates', raw.templates),
      fontConfig: hashed('fontConfig', raw.fontConfig),
      fonts: raw.fonts.map((f, j) => hashed(`fonts[${j}]`, f)),
      version: raw.version,
      draft: raw.draft,
      sourceDateEpoch: raw.sourceDateEpoch as string | null,
      workdir: (raw.workdir as string | null | undefined) ?? null,
      runtime: (raw.runtime as string | null | undefined) ?? null,
    } satisfies ManifestEntry;
  });
  if (json.missing !== undefined && !Array.isArray(json.missing)) throw problem('missing 应为列表');
  const missing = ((json.missing ?? []) as unknown[]).map((raw, i): MissingOutput => {
    if (!isRecord(raw) || typeof raw.pdf !== 'string' || typeof raw.data !== 'string' || typeof raw.reason !== 'string') {
      throw problem(`missing[${i}] 应为 { pdf, data, reason }`);
    }
    return { pdf: raw.pdf, data: raw.data, reason: raw.reason };
  });
  return { ...emptyManifest(shard as ManifestShard | undefined), entries, ...(missing.length > 0 ? { missing } : {}) };
}

/** @throws ManifestError when the file cannot be read or is not a manifest. */
export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹' : (code ?? String(error));
    throw new ManifestError(file, `无法读取清单 ${file}：${why}`, { cause: error });
  }
  // `verify out.pdf`: the PDF itself, not the manifest that records it.
  if (text.startsWith('%PDF-')) {
    throw new ManifestError(file, `${file} 是 PDF 文件，不是清单；verify 要的是 render 写出的 ${MANIFEST_FILE_NAME}（或 manifest-K-of-N.json），或它所在的文件夹`);
  }
  return parseManifest(text, file);
}

/** A missing manifest is an empty one (the first render into a folder); a damaged one is an error. */
export function readManifestOrEmpty(file: string): Manifest {
  try {
    return readManifest(file);
  } catch (error) {
    if (error instanceof ManifestError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      return emptyManifest();
    }
    throw error;
  }
}

export interface UpdateOptions {
  /** The shard this manifest records (a new manifest takes it; see manifestFileName). */
  shard?: ManifestShard;
  /** PDFs this run was asked for and did not write. */
  missing?: readonly MissingOutput[];
  /**
   * True when a data file recorded earlier is gone (the unit was deleted or renamed): its entry
   * or missing record is dropped, so verify does not fail on a unit the release no longer has.
   */
  dataGone?: (stored: string, workdir: string | null) => boolean;
  lock?: LockOptions;
}

export interface UpdatedManifest {
  manifest: Manifest;
  /** Earlier entries dropped as orphans: their PDFs are still on disk, no longer in the manifest. */
  dropped: ManifestEntry[];
}

/**
 * Merge `entries` into the manifest at `file` (creating it; its folder must exist) and write it
 * atomically. Read, merge and write happen under a lock, so two renders into one folder at once
 * both keep their entries instead of the later write dropping the other's.
 */
export async function updateManifest(file: string, entries: readonly ManifestEntry[], options: UpdateOptions = {}): Promise<UpdatedManifest> {
  return withFileLock(
    file,
    async () => {
      const earlier = readManifestOrEmpty(file);
      const gone = options.dataGone ?? (() => false);
      const written = new Set(entries.map((e) => e.pdf));
      const dropped = earlier.entries.filter((e) => !written.has(e.pdf) && gone(e.data.path, e.workdir));
      const droppedPdfs = new Set(dropped.map((e) => e.pdf));
      const kept: Manifest = {
        ...earlier,
        ...(options.shard ? { shard: options.shard } : {}),
        entries: earlier.entries.filter((e) => !droppedPdfs.has(e.pdf)),
        missing: earlier.missing?.filter((m) => !gone(m.data, null)),
      };
      const merged = mergeManifestEntries(kept, entries, options.missing);
      await writeFileAtomic(file, Buffer.from(serializeManifest(merged), 'utf8'));
      return { manifest: merged, dropped };
    },
    options.lock,
  );
}

function canonicalEntry(e: ManifestEntry): ManifestEntry {
  const file = (f: HashedFile): HashedFile => ({ path: f.path, sha256: f.sha256 });
  return {
    pdf: e.pdf,
    sha256: e.sha256,
    pages: e.pages,
    text: file(e.text),
    data: file(e.data),
    templates: file(e.templates),
    fontConfig: file(e.fontConfig),
    fonts: [...e.fonts].sort((a, b) => compareCodeUnits(a.path, b.path)).map(file),
    version: e.version,
    draft: e.draft,
    sourceDateEpoch: e.sourceDateEpoch,
    workdir: e.workdir,
    runtime: e.runtime,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isShard(index: unknown, count: unknown): boolean {
  return Number.isInteger(index) && Number.isInteger(count) && (index as number) >= 1 && (index as number) <= (count as number) && (count as number) <= MAX_SHARD_COUNT;
}

function isSha256(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
