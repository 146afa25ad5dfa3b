/**
 * Where verify finds the files a manifest entry was rendered from. Paths in the manifest are
 * relative to its folder, which breaks when the folder moves (a CI artifact downloaded
 * elsewhere); the entry also records the render's working directory, so each input is looked
 * for in two places: beside the manifest as recorded, and under `root` (the working directory
 * verify runs in, or --root) as it lay under the render's working directory. Files are matched
 * by content: the first place whose file has the recorded sha256 wins (text as LF, as recorded).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { sha256TextFile } from './input-hashes.js';
import { resolveManifestPath, type HashedFile, type ManifestEntry } from './manifest.js';

export interface LocatedInput {
  /** The file to use: the first place holding the recorded content, else the first that exists; null when none does. */
  file: string | null;
  /** True when `file` has the recorded sha256. */
  matches: boolean;
  /** Every place looked at, in order (absolute), for messages. */
  looked: string[];
}

/** The places a stored path may be now, most likely first, without duplicates. */
export function inputPlaces(stored: string, entry: Pick<ManifestEntry, 'workdir'>, manifestDir: string, root: string): string[] {
  const places = [resolveManifestPath(manifestDir, stored)];
  if (entry.workdir !== null && !isAbsolute(stored)) {
    const renderWorkdir = resolveManifestPath(manifestDir, entry.workdir);
    places.push(resolve(root, relative(renderWorkdir, resolveManifestPath(manifestDir, stored))));
  }
  return [...new Set(places)];
}

/** For updateManifest: a recorded data file that is in none of its places any more. */
export function dataGoneFrom(manifestDir: string, root: string): (stored: string, workdir: string | null) => boolean {
  return (stored, workdir) => !inputPlaces(stored, { workdir }, manifestDir, root).some((file) => existsSync(file));
}

export function locateInput(
  recorded: HashedFile,
  entry: ManifestEntry,
  manifestDir: string,
  root: string,
  hashOf: (file: string) => string = sha256TextFile,
): LocatedInput {
  const looked = inputPlaces(recorded.path, entry, manifestDir, root);
  const present = looked.filter((file) => existsSync(file));
  const same = present.find((file) => hashOrNull(hashOf, file) === recorded.sha256);
  return { file: same ?? present[0] ?? null, matches: same !== undefined, looked };
}

/** A folder or an unreadable file simply does not match. */
function hashOrNull(hashOf: (file: string) => string, file: string): string | null {
  try {
    return hashOf(file);
  } catch {
    return null;
  }
}
