/**
 * What a batch renders: data files from folders and file arguments, and the deterministic
 * shard of them one CI job takes (`--shard K/N`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { compareCodeUnits } from '../review/input-hashes.js';
import { MAX_SHARD_COUNT } from '../review/manifest.js';

/** A batch that cannot start: an empty folder, a bad --shard, two files that would write the same PDF. */
export class BatchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchInputError';
  }
}

const DATA_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * A folder contributes its *.yaml and *.yml files, symbolic links among them included (not its
 * subfolders); any other argument is a data file (a missing one, or a link to nothing, fails
 * when rendered, like any bad file). The same file named twice counts once. Sorted by path, so every machine sees the same list.
 */
export function collectDataFiles(inputs: readonly string[]): string[] {
  const files = new Map<string, string>();
  for (const input of inputs) {
    if (!isDirectory(input)) {
      if (!files.has(resolve(input))) files.set(resolve(input), input);
      continue;
    }
    const found = readdirSync(input, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.') && DATA_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .filter((e) => e.isFile() || (e.isSymbolicLink() && !linksToDirectory(join(input, e.name))))
      .map((e) => join(input, e.name));
    if (found.length === 0) throw new BatchInputError(`文件夹 ${input} 中没有数据文件（*.yaml）`);
    for (const file of found) if (!files.has(resolve(file))) files.set(resolve(file), file);
  }
  return [...files.values()].sort(compareCodeUnits);
}

/**
 * A symbolic link is taken as what it points to: a file is a data file, a folder is skipped like a
 * subfolder, and a link to nothing is kept so that rendering it reports it (never skipped silently).
 */
function linksToDirectory(link: string): boolean {
  try {
    return statSync(link).isDirectory();
  } catch {
    return false;
  }
}

/** One data file, no --shard: `render` writes one PDF (and may take `-o X.pdf`); anything else is a batch. */
export function isSingleRender(inputs: readonly string[], shard: string | undefined): boolean {
  return inputs.length === 1 && !shard && !isDirectory(inputs[0]!);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new BatchInputError(`--shard 应为 K/N，1 ≤ K ≤ N（例如 --shard 2/4），实际为“${text}”`);
  }
  if (count > MAX_SHARD_COUNT) throw new BatchInputError(`--shard ${text}：N 最大为 ${MAX_SHARD_COUNT}（每份一个 CI 任务），实际为 ${match[2]}`);
  return { index, count };
}

export interface SizedFile {
  path: string;
  size: number;
}

/**
 * Split files into `count` shards of about equal total size: largest first (ties by path), each
 * to the shard with the least total so far (ties to the lower shard). Deterministic for the
 * same paths and sizes; every file lands in exactly one shard; each shard is sorted by path.
 * The greedy rule keeps any two shards within one file's size of each other.
 */
export function assignShards(files: readonly SizedFile[], count: number): string[][] {
  const shards = Array.from({ length: count }, () => ({ total: 0, files: [] as string[] }));
  // Ties by path with `/`, so a Windows job (`data\u1.yaml`) orders them as a Linux job does.
  const bySize = [...files].sort((a, b) => b.size - a.size || compareCodeUnits(slashed(a.path), slashed(b.path)));
  for (const file of bySize) {
    let lightest = shards[0]!;
    for (const shard of shards) if (shard.total < lightest.total) lightest = shard;
    lightest.total += file.size;
    lightest.files.push(file.path);
  }
  return shards.map((s) => s.files.sort(compareCodeUnits));
}

const slashed = (path: string): string => path.replaceAll('\\', '/');

/** The files of shard K/N, balanced by each file's size with LF line endings (a missing file counts as empty). */
export function selectShard(files: readonly string[], shard: ShardSpec, sizeOf: (file: string) => number = lineEndingFreeSize): string[] {
  return assignShards(
    files.map((path) => ({ path, size: sizeOf(path) })),
    shard.count,
  )[shard.index - 1]!;
}

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * The size a file would have with LF line endings: a Windows runner whose checkout turned LF
 * into CRLF (core.autocrlf) must split the files exactly as a Linux runner does, or two jobs of
 * one matrix would render some files twice and others never.
 */
export function lineEndingFreeSize(file: string): number {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return 0;
  }
  let crlf = 0;
  for (let at = bytes.indexOf(CRLF); at >= 0; at = bytes.indexOf(CRLF, at + 2)) crlf += 1;
  return bytes.length - crlf;
}

/** `<outDir>/<data file name>.pdf` for each file; two data files with the same name would overwrite each other. */
export function batchOutputs(files: readonly string[], outDir: string): string[] {
  const seen = new Map<string, string>();
  const outputs = files.map((file) => {
    const pdf = join(outDir, `${basename(file, extname(file))}.pdf`);
    const earlier = seen.get(pdf);
    if (earlier) throw new BatchInputError(`${earlier} 和 ${file} 都会生成 ${pdf}；请改名，或分两次生成到不同的文件夹`);
    seen.set(pdf, file);
    return pdf;
  });
  return outputs;
}
