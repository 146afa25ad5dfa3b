/**
 * A single render reads its font files on another thread while it loads the program
 * (font-prefetch.ts). The bytes it provides and their hashes must be those of the files, a
 * config with problems must settle without providing anything, and fonts.ts must parse the bytes
 * provided. Runs the compiled modules: the worker thread loads dist/pdf/font-read-worker.js.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const dist = (module: string): string => pathToFileURL(path.join(ROOT, 'dist', module)).href;

type Prefetch = typeof import('../src/pdf/font-prefetch.js');
type Shared = typeof import('../src/pdf/shared-font-bytes.js');
type Fonts = typeof import('../src/pdf/fonts.js');

let prefetch: Prefetch;
let shared: Shared;
let fonts: Fonts;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'budget-pdf-prefetch-'));

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/pdf/font-read-worker.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
  [prefetch, shared, fonts] = await Promise.all([import(dist('pdf/font-prefetch.js')), import(dist('pdf/shared-font-bytes.js')), import(dist('pdf/fonts.js'))]);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('prefetchFonts', () => {
  it('provides the bytes of every font file of the config, with their sha256, and fonts.ts parses those bytes', async () => {
    await prefetch.prefetchFonts();
    const set = fonts.loadFontSet();
    expect(set.files.length).toBeGreaterThan(0);
    for (const file of set.files) {
      const bytes = shared.providedFontBytes(file);
      expect(bytes, file).toBeDefined();
      const onDisk = readFileSync(file);
      expect(bytes!.equals(onDisk), file).toBe(true);
      expect(shared.providedFontHash(file)).toBe(createHash('sha256').update(onDisk).digest('hex'));
      expect(Object.values(set.byRole).find((font) => font.file === file)!.data).toBe(bytes);
    }
  });

  it('settles without providing anything for a font file that does not exist, or a config that is not YAML', async () => {
    const missing = path.join(scratch, 'missing.ttf');
    const config = path.join(scratch, 'fonts.yaml');
    writeFileSync(config, `roles:\n  title: ${missing}\n  heading: ${missing}\n`);
    await prefetch.prefetchFonts(config);
    expect(shared.providedFontBytes(missing)).toBeUndefined();

    const broken = path.join(scratch, 'broken.yaml');
    writeFileSync(broken, 'roles: [\n');
    await expect(prefetch.prefetchFonts(broken)).resolves.toBeUndefined();
  });
});
