/**
 * Create an output folder and its missing parents. Not `mkdir({ recursive: true })`: on some
 * file systems (e.g. /proc) creating a child fails with ENOENT although the parent exists,
 * and Node's recursive mkdir then retries forever; here that becomes an error.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export async function ensureDirectory(dir: string): Promise<void> {
  const path = resolve(dir);
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await isDirectory(path))) return;
    if (code !== 'ENOENT') throw error;
    const parent = dirname(path);
    // The parent is there, yet the child cannot be made: retrying would not help.
    if (parent === path || (await isDirectory(parent))) throw error;
    await ensureDirectory(parent);
    await mkdir(path);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
