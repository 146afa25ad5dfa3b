import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/pdf/atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'budget-pdf-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one, leaving no temporary file', async () => {
    const target = path.join(dir, 'out.pdf');
    await writeFileAtomic(target, Buffer.from('first'));
    expect(await readFile(target, 'utf8')).toBe('first');
    await writeFileAtomic(target, Buffer.from('second, longer'));
    expect(await readFile(target, 'utf8')).toBe('second, longer');
    expect(await readdir(dir)).toEqual(['out.pdf']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const target = path.join(dir, 'out.pdf');
    await writeFile(target, 'old');
    await chmod(target, 0o640);
    await writeFileAtomic(target, Buffer.from('new'));
    expect((await stat(target)).mode & 0o777).toBe(0o640);
  });

  it('leaves the previous file intact and removes the temporary file when writing fails', async () => {
    const target = path.join(dir, 'out.pdf');
    await writeFile(target, 'previous');
    // Not bytes: the write itself throws after the temporary file was created.
    await expect(writeFileAtomic(target, { not: 'bytes' } as unknown as Uint8Array)).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['out.pdf']);
  });

  it('removes the temporary file when the rename fails', async () => {
    const target = path.join(dir, 'taken');
    await mkdir(target);
    await writeFile(path.join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, Buffer.from('new'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readdir(target)).toEqual(['inside']);
  });

  it('fails without creating anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'out.pdf'), Buffer.from('x'))).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
