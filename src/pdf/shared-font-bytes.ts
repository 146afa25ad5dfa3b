/**
 * Font files read once into memory shared by every worker thread of a batch.
 *
 * Why: each worker parses the fonts itself (fontkit objects cannot cross threads), and each read
 * the four font files, 56 MB, into memory of its own: a third of a worker's footprint, and once
 * more for every core. The bytes never change, so the batch reads them once into
 * SharedArrayBuffers and every worker parses its fonts from those.
 *
 * The main thread calls `readIntoSharedMemory(files)` and passes the result in `workerData`; a
 * worker calls `provideFontBytes(…)` before it loads fonts, and fonts.ts takes a provided file's
 * bytes instead of reading the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type SharedFontBytes = Record<string, SharedArrayBuffer>;

const provided = new Map<string, Buffer>();

/** Read each file into a SharedArrayBuffer; a file that cannot be read is left out (the worker reads it and reports why). */
export function readIntoSharedMemory(files: readonly string[]): SharedFontBytes {
  const shared: SharedFontBytes = {};
  for (const file of files) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const size = fstatSync(fd).size;
      const memory = new SharedArrayBuffer(size);
      const view = new Uint8Array(memory);
      for (let done = 0; done < size; ) {
        const read = readSync(fd, view, done, size - done, done);
        if (read === 0) throw new Error(`${file} ended early`);
        done += read;
      }
      shared[file] = memory;
    } catch {
      // Left to the worker, which reports an unreadable font like any other render.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return shared;
}

/** In a worker: use these bytes for these files from now on. */
export function provideFontBytes(shared: SharedFontBytes | undefined): void {
  if (!shared) return;
  for (const [file, memory] of Object.entries(shared)) provided.set(file, Buffer.from(memory));
}

/** The provided bytes of a font file, if the batch shared them. */
export function providedFontBytes(file: string): Buffer | undefined {
  return provided.get(file);
}
