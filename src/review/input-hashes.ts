/**
 * sha256 fingerprints of what a render reads: the data file, the template folder and the
 * font files. A manifest records them so `verify` can tell "the inputs changed" apart from
 * "the same inputs no longer give the same bytes".
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha256File(file: string): string {
  return sha256Hex(readFileSync(file));
}

/**
 * One hash over a folder: every regular file below it (names starting with `.` skipped, so an
 * editor's swap file does not count), sorted by relative path with `/` separators, each
 * contributing its path and the hash of its contents. Renaming, adding, removing or editing
 * a file changes the result; the order the file system lists them in does not.
 */
export function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const relative of listFiles(dir)) {
    hash.update(`${relative}\0${sha256File(join(dir, ...relative.split('/')))}\n`);
  }
  return hash.digest('hex');
}

/** Relative paths (with `/`) of the regular files below `dir`, in code-unit order so every platform agrees. */
export function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files.sort(compareCodeUnits);
}

/** Plain code-unit order: independent of locale, so CI machines sort identically. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
