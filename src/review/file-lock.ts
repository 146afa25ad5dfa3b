/**
 * A lock for a file that processes read, change and write back (the manifest, when two renders
 * write into one folder at once): a hidden lock file beside it, created with O_EXCL (`wx`), so
 * exactly one process holds it; the others retry after growing, jittered pauses. A holder keeps
 * it for milliseconds, so a lock older than `staleMs` was left by a process that died holding it
 * and is taken over.
 */
import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface LockOptions {
  /** Give up after waiting this long (default 60 s). */
  timeoutMs?: number;
  /** A lock file at least this old is abandoned (default 30 s). */
  staleMs?: number;
}

/** The lock could not be taken in time: another process holds it, or held it and died recently. */
export class LockTimeoutError extends Error {
  constructor(readonly lockFile: string, waitedMs: number) {
    super(`${lockFile} 被另一个进程占用，已等待 ${(waitedMs / 1000).toFixed(0)} 秒；若没有其他 budget-pdf 在写这个文件夹，删除该锁文件后重试`);
    this.name = 'LockTimeoutError';
  }
}

export function lockFileFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.lock`);
}

/** Run `fn` while holding the lock for `file`; the lock is released however `fn` ends. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockFile = lockFileFor(file);
  await acquire(lockFile, options.timeoutMs ?? 60_000, options.staleMs ?? 30_000);
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function acquire(lockFile: string, timeoutMs: number, staleMs: number): Promise<void> {
  const started = Date.now();
  for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await removeIfStale(lockFile, staleMs)) continue;
    if (Date.now() - started >= timeoutMs) throw new LockTimeoutError(lockFile, Date.now() - started);
    // Jitter, so waiters that collided once do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
  }
}

async function removeIfStale(lockFile: string, staleMs: number): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(lockFile);
    if (Date.now() - mtimeMs < staleMs) return false;
  } catch {
    return true; // released meanwhile: try again at once
  }
  await rm(lockFile, { force: true });
  return true;
}
