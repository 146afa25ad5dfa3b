/**
 * sha256 fingerprints of what a render reads: the data file, the template folder and the
 * font files. A manifest records them so `verify` can tell "the inputs changed" apart from
 * "the same inputs no longer give the same bytes". Text is hashed with its line endings as LF,
 * so a checkout's line-ending style is not a change; font files are hashed as bytes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * sha256 of a text input (data, fonts.yaml, a template) with its line endings as LF: CRLF and a lone
 * CR count as LF, so a checkout that turned LF into CRLF (core.autocrlf on Windows) is the same input,
 * as it gives the same PDF. Bytes with a NUL in them are binary, as git judges, and hashed as they are.
 */
export function sha256Text(bytes: Uint8Array): string {
  if (!bytes.includes(CR) || bytes.includes(0)) return sha256Hex(bytes);
  const lf = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== CR) lf[length++] = byte;
    else if (bytes[i + 1] !== LF) lf[length++] = LF;
  }
  return sha256Hex(lf.subarray(0, length));
}

export function sha256TextFile(file: string): string {
  return sha256Text(readFileSync(file));
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * One hash over a folder: every regular file below it (names starting with `.` skipped, so an
 * editor's swap file does not count), sorted by relative path with `/` separators, each
 * contributing its path and the hash of its contents (as text: line endings do not count). Renaming, adding, removing or editing
 * a file changes the result; the order the file system lists them in does not.
 */
export function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const relative of listFiles(dir)) {
    hash.update(`${relative}\0${sha256TextFile(join(dir, ...relative.split('/')))}\n`);
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
