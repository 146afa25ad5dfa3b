/**
 * Font files read once into memory that threads share, with their sha256.
 *
 * Why: fontkit objects cannot cross threads, so every thread that renders parses its own fonts,
 * but the bytes never change. A batch reads the four font files (56 MB) once into
 * SharedArrayBuffers and every worker parses from those, instead of each worker holding a copy
 * (a third of its footprint, once more per core). A single render has them read and hashed on
 * another thread while its own thread is still loading the program (font-prefetch.ts).
 * The sha256 goes with the bytes, so the manifest's font fingerprints are of exactly the bytes parsed.
 *
 * The reading thread calls `readIntoSharedMemory(files)` and hands the result over; the rendering
 * thread calls `provideFontBytes(…)` before it loads fonts, and fonts.ts takes a provided file's
 * bytes instead of reading the file.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface SharedFontFile {
  memory: SharedArrayBuffer;
  /** sha256 of the bytes, hex. */
  sha256: string;
}

export type SharedFontBytes = Record<string, SharedFontFile>;

const provided = new Map<string, { bytes: Buffer; sha256: string }>();

/** Read and hash each file into a SharedArrayBuffer; a file that cannot be read is left out (the render reads it and reports why). */
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
      shared[file] = { memory, sha256: createHash('sha256').update(view).digest('hex') };
    } catch {
      // Left to the render, which reports an unreadable font like any other problem.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return shared;
}

/** In a rendering thread: use these bytes for these files from now on. */
export function provideFontBytes(shared: SharedFontBytes | undefined): void {
  if (!shared) return;
  for (const [file, { memory, sha256 }] of Object.entries(shared)) provided.set(file, { bytes: Buffer.from(memory), sha256 });
}

/** The provided bytes of a font file, if they were read ahead. */
export function providedFontBytes(file: string): Buffer | undefined {
  return provided.get(file)?.bytes;
}

/** The sha256 of the provided bytes of a font file, if they were read ahead. */
export function providedFontHash(file: string): string | undefined {
  return provided.get(file)?.sha256;
}
