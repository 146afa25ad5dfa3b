/**
 * Write a file so that readers see either the previous file or the complete new one:
 * a temporary file in the same directory (same file system, so rename is atomic), flushed
 * to disk, then renamed over the target. On any failure the temporary file is removed and
 * the previous file is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<void> {
  const file = path.resolve(target);
  const dir = path.dirname(file);
  // Hidden and unique, so a crash leaves nothing that looks like a finished output.
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const previousMode = await existingMode(file);

  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', 0o666);
    await handle.writeFile(bytes);
    if (previousMode !== undefined) await handle.chmod(previousMode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Make the rename itself durable; some file systems do not allow opening a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort: the data itself was already synced before the rename
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
