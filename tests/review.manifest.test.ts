import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderOutcome } from '../src/render/render-artifact.js';
import { hashFolder, sha256Text, sha256TextFile } from '../src/review/input-hashes.js';
import { dataGoneFrom, inputPlaces, locateInput } from '../src/review/locate-inputs.js';
import {
  emptyManifest,
  ManifestError,
  manifestFileName,
  manifestPath,
  mergeManifestEntries,
  parseManifest,
  readManifest,
  runtimeVersion,
  serializeManifest,
  updateManifest,
  type Manifest,
  type ManifestEntry,
} from '../src/review/manifest.js';
import { combineManifests, loadManifests, shardProblems } from '../src/review/manifest-set.js';
import { lockFileFor, LockTimeoutError } from '../src/review/file-lock.js';
import { formatPageTextArtifact, parsePageTextArtifact } from '../src/review/page-text-artifact.js';
import { extractPageTexts } from '../src/review/pdf-text.js';
import { entryProblems } from '../src/review/verify-entry.js';
import { generateUnits } from '../src/testdata/generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/budget-pdf.js');
const sha = (c: string): string => c.repeat(64);

function entry(pdf: string, overrides: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    pdf,
    sha256: sha('a'),
    pages: 3,
    text: { path: pdf.replace(/\.pdf$/, '.txt'), sha256: sha('b') },
    data: { path: `../data/${pdf.replace(/\.pdf$/, '.yaml')}`, sha256: sha('c') },
    templates: { path: '../templates/luoyang-2022', sha256: sha('d') },
    fontConfig: { path: '../fonts/fonts.yaml', sha256: sha('e') },
    fonts: [
      { path: '../fonts/b.ttf', sha256: sha('1') },
      { path: '../fonts/a.ttf', sha256: sha('2') },
    ],
    version: '0.1.0',
    draft: false,
    sourceDateEpoch: null,
    workdir: '..',
    runtime: 'node 20.20.2, icu 77.1',
    ...overrides,
  };
}

describe('manifest JSON', () => {
  it('is the same text whatever order the entries and fonts come in, and has no timestamps', () => {
    const a = serializeManifest({ format: 1, entries: [entry('u2.pdf'), entry('u1.pdf')] });
    const b = serializeManifest({ format: 1, entries: [entry('u1.pdf'), entry('u2.pdf', { fonts: [...entry('x').fonts].reverse() })] });
    expect(a).toBe(b);
    const parsed = parseManifest(a, 'm.json');
    expect(parsed.entries.map((e) => e.pdf)).toEqual(['u1.pdf', 'u2.pdf']);
    expect(parsed.entries[0]!.fonts.map((f) => f.path)).toEqual(['../fonts/a.ttf', '../fonts/b.ttf']);
    // Only the recorded fields, nothing that changes from run to run (no timestamps, no host).
    expect(Object.keys(JSON.parse(a))).toEqual(['format', 'entries']);
    expect(Object.keys(JSON.parse(a).entries[0])).toEqual([
      'pdf', 'sha256', 'pages', 'text', 'data', 'templates', 'fontConfig', 'fonts', 'version', 'draft', 'sourceDateEpoch', 'workdir', 'runtime',
    ]);
    expect(serializeManifest(parsed)).toBe(a);
  });

  it('records the PDFs a run did not write until a later run writes them, and reads them back', () => {
    const failed = { pdf: 'u2.pdf', data: '../data/u2.yaml', reason: '有错误' };
    const first = mergeManifestEntries(emptyManifest(), [entry('u1.pdf')], [failed, { pdf: 'u3.pdf', data: '../data/u3.yaml', reason: '已中断（SIGINT）' }]);
    expect(first.missing?.map((m) => m.pdf)).toEqual(['u2.pdf', 'u3.pdf']);
    const text = serializeManifest(first);
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'entries', 'missing']);
    expect(parseManifest(text, 'm.json').missing).toEqual(first.missing);
    const later = mergeManifestEntries(first, [entry('u3.pdf')]);
    expect(later.missing).toEqual([failed]);
    expect(mergeManifestEntries(later, [entry('u2.pdf')]).missing).toBeUndefined();
    expect(() => parseManifest(JSON.stringify({ format: 1, entries: [], missing: [{ pdf: 'x.pdf' }] }), 'm.json')).toThrow(/missing\[0\]/);
  });

  it('merges by PDF path: a re-render replaces its entry and keeps the others', () => {
    const first = mergeManifestEntries(emptyManifest(), [entry('u1.pdf'), entry('u2.pdf')]);
    const merged = mergeManifestEntries(first, [entry('u2.pdf', { sha256: sha('f') }), entry('u3.pdf')]);
    expect(merged.entries.map((e) => [e.pdf, e.sha256.slice(0, 1)]).sort()).toEqual([
      ['u1.pdf', 'a'],
      ['u2.pdf', 'f'],
      ['u3.pdf', 'a'],
    ]);
  });

  it('rejects text that is not a manifest, saying what is wrong', () => {
    expect(() => parseManifest('{', 'm.json')).toThrow(ManifestError);
    expect(() => parseManifest('{"format":2,"entries":[]}', 'm.json')).toThrow(/format/);
    const bad = JSON.parse(serializeManifest({ format: 1, entries: [entry('u1.pdf')] }));
    bad.entries[0].sha256 = 'not-a-hash';
    expect(() => parseManifest(JSON.stringify(bad), 'm.json')).toThrow(/entries\[0\]\.sha256/);
    expect(() => readManifest(join(tmpdir(), 'no-such-dir-budget-pdf', 'manifest.json'))).toThrow(/不存在/);
  });

  it('stores paths relative to its folder with forward slashes', () => {
    expect(manifestPath('/work/out', '/work/data/u1.yaml')).toBe('../data/u1.yaml');
    expect(manifestPath('/work/out', '/work/out/u1.pdf')).toBe('u1.pdf');
    expect(manifestPath('/work/out', '/work')).toBe('..');
    expect(manifestPath('/work/out', '/work/out')).toBe('.');
  });

  it('reads a manifest written before workdir was recorded', () => {
    const old = JSON.parse(serializeManifest({ format: 1, entries: [entry('u1.pdf')] }));
    delete old.entries[0].workdir;
    expect(parseManifest(JSON.stringify(old), 'm.json').entries[0]!.workdir).toBeNull();
  });
});

describe('shard manifests', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-shards-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, manifest: Manifest): string => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, serializeManifest(manifest));
    return path;
  };

  it('are named after their shard and record it, right after format', () => {
    expect(manifestFileName()).toBe('manifest.json');
    expect(manifestFileName({ index: 2, count: 4 })).toBe('manifest-2-of-4.json');
    const text = serializeManifest({ format: 1, shard: { index: 2, count: 4 }, entries: [entry('u1.pdf')] });
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'shard', 'entries']);
    expect(parseManifest(text, 'm.json').shard).toEqual({ index: 2, count: 4 });
    expect(Object.keys(JSON.parse(serializeManifest({ format: 1, entries: [] })))).toEqual(['format', 'entries']);
    expect(() => parseManifest('{"format":1,"shard":{"index":3,"count":2},"entries":[]}', 'm.json')).toThrow(/shard 应为/);
    // verify lists the shards 1..N it expects: a hand-edited N of billions is refused, not allocated.
    expect(() => parseManifest('{"format":1,"shard":{"index":1,"count":4294967296},"entries":[]}', 'm.json')).toThrow(/≤ 10000/);
  });

  it('are found in a folder (or its subfolders, one artifact each) and combined: an entry once, a disagreement a conflict', () => {
    const merged = join(dir, 'merged');
    write(join(merged, 'manifest-1-of-2.json'), { format: 1, shard: { index: 1, count: 2 }, entries: [entry('u1.pdf'), entry('u3.pdf')] });
    write(join(merged, 'manifest-2-of-2.json'), { format: 1, shard: { index: 2, count: 2 }, entries: [entry('u2.pdf')] });
    writeFileSync(join(merged, 'notes.json'), '{}');
    writeFileSync(join(merged, '.manifest.json.lock'), '1\n');
    const loaded = loadManifests([merged, join(merged, 'manifest-2-of-2.json')]);
    expect(loaded.map((m) => m.file)).toEqual([join(merged, 'manifest-1-of-2.json'), join(merged, 'manifest-2-of-2.json')]);
    expect(shardProblems(loaded)).toEqual([]);
    expect(combineManifests(loaded).entries.map((e) => e.entry.pdf)).toEqual(['u1.pdf', 'u2.pdf', 'u3.pdf']);

    // download-artifact without merge-multiple: one subfolder per artifact.
    const artifacts = join(dir, 'artifacts');
    write(join(artifacts, 'pdfs-1', 'manifest-1-of-3.json'), { format: 1, shard: { index: 1, count: 3 }, entries: [entry('u1.pdf')] });
    write(join(artifacts, 'pdfs-3', 'manifest-3-of-3.json'), { format: 1, shard: { index: 3, count: 3 }, entries: [entry('u1.pdf')] });
    const partial = loadManifests([artifacts]);
    expect(partial).toHaveLength(2);
    expect(shardProblems(partial)).toEqual(['缺少分片 2/3 的清单（manifest-2-of-3.json），不能证明整个发布可复现']);
    expect(shardProblems([...loaded, ...partial])[0]).toMatch(/^分片清单来自份数不同的分片（共 2 份、共 3 份）/);

    // The same PDF recorded twice alike counts once; recorded differently, it is a conflict.
    const twice = write(join(dir, 'twice', 'manifest.json'), { format: 1, entries: [entry('u1.pdf')] });
    const stale = write(join(dir, 'twice', 'manifest-1-of-1.json'), { format: 1, shard: { index: 1, count: 1 }, entries: [entry('u1.pdf', { sha256: sha('f') }), entry('u2.pdf')] });
    const alike = write(join(dir, 'twice', 'manifest-1-of-2.json'), { format: 1, shard: { index: 1, count: 2 }, entries: [entry('u1.pdf')] });
    const same = combineManifests(loadManifests([twice, alike, twice]));
    expect(same.entries.map((e) => e.entry.pdf)).toEqual(['u1.pdf']);
    expect(same.conflicts).toEqual([]);
    rmSync(alike);
    const both = combineManifests(loadManifests([join(dir, 'twice')]));
    expect(both.entries.map((e) => e.entry.pdf)).toEqual(['u2.pdf']);
    expect(both.conflicts).toEqual([{ pdf: join(dir, 'twice', 'u1.pdf'), files: [stale, twice] }]);

    mkdirSync(join(dir, 'none'));
    expect(() => loadManifests([join(dir, 'none')])).toThrow(/没有清单（manifest\.json 或 manifest-K-of-N\.json）/);
  });
});

describe('manifest updates at the same time', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-lock-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const names = (file: string): string[] => readManifest(file).entries.map((e) => e.pdf);
  const expected = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}.pdf`).sort();

  it('keep every entry when many updates run at once in one process', async () => {
    const file = join(dir, 'one-process.json');
    await Promise.all(expected('u', 25).map((pdf) => updateManifest(file, [entry(pdf)])));
    expect(names(file)).toEqual(expected('u', 25));
    expect(existsSync(lockFileFor(file))).toBe(false);
  });

  it('drop earlier entries and missing records whose data file is gone, and say which', async () => {
    const out = join(dir, 'orphans', 'output');
    mkdirSync(join(dir, 'orphans', 'data'), { recursive: true });
    mkdirSync(out, { recursive: true });
    for (const unit of ['u1', 'u2']) writeFileSync(join(dir, 'orphans', 'data', `${unit}.yaml`), 'x');
    const file = join(out, 'manifest.json');
    const gone = dataGoneFrom(out, join(dir, 'orphans'));
    await updateManifest(file, [entry('u1.pdf'), entry('u2.pdf'), entry('u3.pdf')], { missing: [{ pdf: 'u4.pdf', data: '../data/u4.yaml', reason: '有错误' }] });
    // u3 and u4 have no data file: a rewrite of u1 drops them; u2 stays.
    const { manifest, dropped } = await updateManifest(file, [entry('u1.pdf', { sha256: sha('f') })], { dataGone: gone });
    expect(dropped.map((e) => e.pdf)).toEqual(['u3.pdf']);
    expect(manifest.entries.map((e) => e.pdf).sort()).toEqual(['u1.pdf', 'u2.pdf']);
    expect(manifest.missing).toBeUndefined();
    expect(names(file)).toEqual(['u1.pdf', 'u2.pdf']);
    // An entry written now is never reported dropped, whatever its old data path was.
    const again = await updateManifest(file, [entry('u2.pdf', { data: { path: '../data/u2.yaml', sha256: sha('c') } })], { dataGone: () => true });
    expect(again.dropped.map((e) => e.pdf)).toEqual(['u1.pdf']);
  });

  it('keep every entry when several processes update one manifest at once', async () => {
    const file = join(dir, 'processes.json');
    const script = (k: number): string => `
      import { updateManifest } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/review/manifest.js')).href)};
      const entry = ${JSON.stringify(entry('x.pdf'))};
      for (let i = 0; i < 10; i++) await updateManifest(${JSON.stringify(file)}, [{ ...entry, pdf: 'p${k}-' + String(i).padStart(2, '0') + '.pdf' }]);`;
    const exits = [1, 2, 3].map(
      (k) =>
        new Promise<number | null>((done) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script(k)], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('exit', done);
        }),
    );
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
    expect(names(file)).toEqual([1, 2, 3].flatMap((k) => expected(`p${k}-`, 10)).sort());
  });

  it('take over a lock left by a process that died, and give up on a live one with a clear message', async () => {
    const file = join(dir, 'stale.json');
    writeFileSync(lockFileFor(file), '12345\n');
    const longAgo = new Date(Date.now() - 3_600_000);
    utimesSync(lockFileFor(file), longAgo, longAgo);
    await updateManifest(file, [entry('u1.pdf')]);
    expect(names(file)).toEqual(['u1.pdf']);

    writeFileSync(lockFileFor(file), '12345\n');
    const held = updateManifest(file, [entry('u2.pdf')], { lock: { timeoutMs: 200 } });
    await expect(held).rejects.toThrow(LockTimeoutError);
    await expect(held).rejects.toThrow(`${lockFileFor(file)} 被另一个进程占用`);
    expect(names(file)).toEqual(['u1.pdf']);
    rmSync(lockFileFor(file));
  });
});

describe('page text artifact', () => {
  it('puts each page under a numbered separator and reads back the same pages', () => {
    const pages = ['第一页\n第二行', '', '第三页'];
    const text = formatPageTextArtifact(pages);
    expect(text).toBe('=== 第 1 页 ===\n第一页\n第二行\n\n=== 第 2 页 ===\n\n=== 第 3 页 ===\n第三页\n');
    expect(parsePageTextArtifact(text)).toEqual(pages);
  });
});

describe('template folder hash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-hash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const make = (name: string, files: Record<string, string>): string => {
    const root = join(dir, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    return root;
  };

  it('covers names and contents of every file below, ignores hidden files and listing order', () => {
    const base = hashFolder(make('a', { 'report.yaml': 'r', 'tables/t1.yaml': 't1', 'text/x.hbs': 'x' }));
    expect(hashFolder(make('b', { 'text/x.hbs': 'x', 'tables/t1.yaml': 't1', 'report.yaml': 'r', '.x.swp': 'junk' }))).toBe(base);
    expect(hashFolder(make('c', { 'report.yaml': 'r', 'tables/t1.yaml': 't1', 'text/x.hbs': 'y' }))).not.toBe(base);
    expect(hashFolder(make('d', { 'report.yaml': 'r', 'tables/t2.yaml': 't1', 'text/x.hbs': 'x' }))).not.toBe(base);
  });

  it('hashes text with its line endings as LF, and binary (a NUL byte) as it is', () => {
    const lf = sha256Text(Buffer.from('a: 1\nb: 2\n'));
    expect(sha256Text(Buffer.from('a: 1\r\nb: 2\r\n'))).toBe(lf);
    expect(sha256Text(Buffer.from('a: 1\rb: 2\r'))).toBe(lf);
    expect(sha256Text(Buffer.from('a: 1\r\n\nb: 2\n'))).not.toBe(lf); // an extra line is a change
    expect(sha256Text(Buffer.from('\0\r\n'))).not.toBe(sha256Text(Buffer.from('\0\n')));
    const crlf = hashFolder(make('e', { 'report.yaml': 'r\r\n', 'text/x.hbs': 'x\r\ny' }));
    expect(crlf).toBe(hashFolder(make('f', { 'report.yaml': 'r\n', 'text/x.hbs': 'x\ny' })));
  });
});

describe('locating inputs', () => {
  const moved = entry('u1.pdf', { data: { path: '../data/u1.yaml', sha256: sha('c') }, workdir: '..' });

  it('looks beside the manifest as recorded, then under the root as under the render’s working directory', () => {
    // Rendered in /repo into /repo/output; the artifact now lies in /dl/artifacts/output.
    expect(inputPlaces('../data/u1.yaml', moved, '/dl/artifacts/output', '/ci/repo')).toEqual(['/dl/artifacts/data/u1.yaml', '/ci/repo/data/u1.yaml']);
    expect(inputPlaces('../data/u1.yaml', { ...moved, workdir: '.' }, '/dl/out', '/ci/repo')).toEqual(['/dl/data/u1.yaml', '/ci/data/u1.yaml']);
    expect(inputPlaces('../data/u1.yaml', { ...moved, workdir: null }, '/dl/out', '/ci/repo')).toEqual(['/dl/data/u1.yaml']);
    expect(inputPlaces('/abs/u1.yaml', moved, '/dl/out', '/ci/repo')).toEqual(['/abs/u1.yaml']);
  });

  it('takes the place whose file has the recorded content, else the first that exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-pdf-locate-'));
    try {
      mkdirSync(join(dir, 'dl', 'data'), { recursive: true });
      mkdirSync(join(dir, 'repo', 'data'), { recursive: true });
      writeFileSync(join(dir, 'dl', 'data', 'u1.yaml'), 'stale');
      writeFileSync(join(dir, 'repo', 'data', 'u1.yaml'), 'right');
      const recorded = { path: '../data/u1.yaml', sha256: sha256TextFile(join(dir, 'repo', 'data', 'u1.yaml')) };
      const found = locateInput(recorded, moved, join(dir, 'dl', 'out'), join(dir, 'repo'));
      expect(found).toEqual({ file: join(dir, 'repo', 'data', 'u1.yaml'), matches: true, looked: [join(dir, 'dl', 'data', 'u1.yaml'), join(dir, 'repo', 'data', 'u1.yaml')] });
      const changed = locateInput({ ...recorded, sha256: sha('0') }, moved, join(dir, 'dl', 'out'), join(dir, 'repo'));
      expect(changed).toMatchObject({ file: join(dir, 'dl', 'data', 'u1.yaml'), matches: false });
      expect(locateInput(recorded, moved, join(dir, 'x', 'out'), join(dir, 'nowhere'))).toMatchObject({ file: null, matches: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('entryProblems', () => {
  const recorded = entry('u1.pdf');
  const rerender = (overrides: Partial<RenderOutcome> = {}): RenderOutcome => ({
    file: '/rel/data/u1.yaml',
    status: 0,
    findings: [],
    sha256: recorded.sha256,
    inputs: {
      data: { file: '/rel/data/u1.yaml', sha256: recorded.data.sha256 },
      templates: { file: '/rel/templates/luoyang-2022', sha256: recorded.templates.sha256 },
      fontConfig: { file: '/rel/fonts/fonts.yaml', sha256: recorded.fontConfig.sha256 },
      fonts: [
        { file: '/rel/fonts/a.ttf', sha256: sha('2') },
        { file: '/rel/fonts/b.ttf', sha256: sha('1') },
      ],
      version: '0.1.0',
    },
    milliseconds: 1,
    ...overrides,
  });
  const intact = { disk: { pdfSha256: recorded.sha256, textSha256: recorded.text.sha256 }, shown: (file: string) => file };

  it('finds nothing when disk, inputs and fresh bytes all match', () => {
    expect(entryProblems(recorded, intact, rerender())).toEqual([]);
  });

  it('compares inputs by content: the same files in other places are the same inputs', () => {
    const elsewhere = rerender({
      inputs: {
        data: { file: '/ci/checkout/data/u1.yaml', sha256: recorded.data.sha256 },
        templates: { file: '/usr/lib/budget-pdf/templates/luoyang-2022', sha256: recorded.templates.sha256 },
        fontConfig: { file: '/tmp/f/fonts.yaml', sha256: recorded.fontConfig.sha256 },
        fonts: [
          { file: '/opt/fonts/b-copy.ttf', sha256: sha('1') },
          { file: '/opt/fonts/a-copy.ttf', sha256: sha('2') },
        ],
        version: '0.1.0',
      },
    });
    expect(entryProblems(recorded, { ...intact, fontConfigLooked: ['/gone/fonts.yaml'] }, elsewhere)).toEqual([]);
  });

  it('calls the manifest stale, not the PDF changed, when the PDF on disk is what the inputs give now', () => {
    // A render killed after writing its PDF and before updating the manifest.
    const newer = rerender({ sha256: sha('9') });
    const problems = entryProblems(recorded, { ...intact, disk: { pdfSha256: sha('9'), textSha256: recorded.text.sha256 } }, newer);
    expect(problems.join('\n')).toMatch(/与现在重新生成的相同：清单过期/);
    expect(problems.join('\n')).not.toMatch(/在生成后被改动/);
  });

  it('names a PDF changed after the release, and a missing text file', () => {
    const problems = entryProblems(recorded, { ...intact, disk: { pdfSha256: sha('9'), textSha256: null } }, rerender());
    expect(problems.join('\n')).toMatch(/PDF 文件 u1\.pdf 在生成后被改动/);
    expect(problems.join('\n')).toMatch(/文字文件 u1\.txt 不存在/);
  });

  it('names changed inputs and different fresh bytes', () => {
    const base = rerender();
    const changed = rerender({
      sha256: sha('7'),
      inputs: {
        ...base.inputs!,
        data: { file: '/rel/data/u1.yaml', sha256: sha('8') },
        fontConfig: { file: '/rel/fonts/fonts.yaml', sha256: sha('6') },
        fonts: [{ file: '/rel/fonts/a.ttf', sha256: sha('3') }, { file: '/rel/fonts/c.ttf', sha256: sha('4') }],
        version: '0.2.0',
      },
    });
    const problems = entryProblems(recorded, { ...intact, fontConfigLooked: ['/tmp/f/fonts.yaml', '/rel/f/fonts.yaml'] }, changed);
    expect(problems).toContain('数据文件 /rel/data/u1.yaml 与清单记录的 ../data/u1.yaml 内容不同');
    expect(problems).toContain('字体配置 /rel/fonts/fonts.yaml 与清单记录的 ../fonts/fonts.yaml 内容不同（清单记录的那一份已不在 /tmp/f/fonts.yaml 或 /rel/f/fonts.yaml）');
    expect(problems).toContain('字体文件 /rel/fonts/a.ttf 与清单记录的 ../fonts/a.ttf 内容不同');
    expect(problems).toContain('字体文件 /rel/fonts/c.ttf 是新用的（清单中没有）');
    expect(problems).toContain('清单记录的字体文件 ../fonts/b.ttf 不再使用');
    const text = problems.join('\n');
    expect(text).toMatch(/版本不同（清单 0\.1\.0，现在 0\.2\.0）/);
    expect(text).toMatch(/重新生成的 PDF 与清单不同/);
  });

  it('names the Node and ICU it was rendered with when the same inputs give other bytes there', () => {
    const other = { ...recorded, runtime: 'node 18.0.0, icu 72.1' };
    const [problem, ...rest] = entryProblems(other, intact, rerender({ sha256: sha('7') }));
    expect(rest).toEqual([]);
    expect(problem).toContain(`生成时是 node 18.0.0, icu 72.1，现在是 ${runtimeVersion()}，请用生成时的版本核验`);
    // The same runtime: no such hint.
    expect(entryProblems({ ...recorded, runtime: runtimeVersion() }, intact, rerender({ sha256: sha('7') })).join('')).not.toContain('生成时是');
  });

  it('reports a render that now fails, with its first errors', () => {
    const failed = rerender({
      status: 1,
      sha256: undefined,
      inputs: undefined,
      findings: [{ rule: 'sum.x', severity: 'error', message: '合计不符', loc: { file: 'data/u1.yaml', line: 3, col: 5 } }],
    });
    expect(entryProblems(recorded, intact, failed)).toEqual(['无法重新生成（1 个错误）：data/u1.yaml:3:5 合计不符']);
  });
});

function cli(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verify (through the built CLI)', () => {
  let work: string;
  let out: string;
  let manifestFile: string;
  let rendered: ReturnType<typeof cli>;
  let units: string[];

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (or `npm test`, whose pretest builds)');
    work = mkdtempSync(join(tmpdir(), 'budget-pdf-verify-'));
    mkdirSync(join(work, 'data'));
    // The two smallest of a few synthetic units, renamed u1 and u2.
    units = generateUnits(6, 3)
      .sort((a, b) => a.yaml.length - b.yaml.length || (a.name < b.name ? -1 : 1))
      .slice(0, 2)
      .map((u) => u.yaml);
    units.forEach((yaml, i) => writeFileSync(join(work, 'data', `u${i + 1}.yaml`), yaml));
    out = join(work, 'out');
    manifestFile = join(out, 'manifest.json');
    // Rendered with SOURCE_DATE_EPOCH; verify runs without it and must take it from the manifest.
    // Run in `work` as CI runs in its checkout: `render data -o out`.
    rendered = cli(['render', 'data', '-o', 'out', '--jobs', '2'], { SOURCE_DATE_EPOCH: '1650000000', BUDGET_PDF_FONTS: undefined }, work);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('records every PDF with its inputs, and the .txt holds the page texts', async () => {
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    const manifest = readManifest(manifestFile);
    expect(manifest.entries.map((e) => e.pdf)).toEqual(['u1.pdf', 'u2.pdf']);
    const [first] = manifest.entries;
    expect(first!.data.path).toBe('../data/u1.yaml');
    expect(first!.workdir).toBe('..');
    expect(first!.sourceDateEpoch).toBe('1650000000');
    expect(first!.fonts.length).toBeGreaterThan(0);
    expect(first!.templates.path).toMatch(/templates\/luoyang-2022$/);

    const pages = await extractPageTexts(readFileSync(join(out, 'u1.pdf')));
    expect(first!.pages).toBe(pages.length);
    const text = readFileSync(join(out, 'u1.txt'), 'utf8');
    expect(text.startsWith('=== 第 1 页 ===\n')).toBe(true);
    expect(parsePageTextArtifact(text)).toEqual(pages);
    expect(text).toContain(/^ {2}name: (.+)$/m.exec(units[0]!)![1]);
  });

  it('passes on fresh output (SOURCE_DATE_EPOCH taken from the manifest)', () => {
    const r = cli(['verify', manifestFile], { SOURCE_DATE_EPOCH: undefined });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/2 项：2 项可复现/);
    expect(r.status).toBe(0);
  });

  it('passes on a CRLF checkout of the data (core.autocrlf): line endings are not a change', () => {
    const files = [1, 2].map((i) => join(work, 'data', `u${i}.yaml`));
    const originals = files.map((file) => readFileSync(file));
    try {
      for (const [i, file] of files.entries()) writeFileSync(file, originals[i]!.toString('utf8').replace(/\n/g, '\r\n'));
      expect(readFileSync(files[0]!, 'utf8')).toContain('\r\n');
      const r = cli(['verify', manifestFile]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/2 项：2 项可复现/);
      expect(r.status).toBe(0);
      // A real edit still counts.
      writeFileSync(files[0]!, `${readFileSync(files[0]!, 'utf8')}# 改动\r\n`);
      const edited = cli(['verify', manifestFile]);
      expect(edited.status).toBe(1);
      expect(edited.stderr).toMatch(/数据文件 \S*u1\.yaml 与清单记录的 \.\.\/data\/u1\.yaml 内容不同/);
    } finally {
      files.forEach((file, i) => writeFileSync(file, originals[i]!));
    }
  });

  it('catches a tampered PDF and names it', () => {
    const pdf = join(out, 'u2.pdf');
    const original = readFileSync(pdf);
    const tampered = Buffer.from(original);
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    writeFileSync(pdf, tampered);
    try {
      const r = cli(['verify', manifestFile]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/u2\.pdf：\n {2}PDF 文件 u2\.pdf 在生成后被改动/);
      expect(r.stderr).not.toMatch(/u1\.pdf/);
    } finally {
      writeFileSync(pdf, original);
    }
  });

  it('calls an entry whose templates are gone unverifiable (exit 2), not different: its data is as recorded', () => {
    const formats = join(work, 'formats');
    cpSync(join(ROOT, 'templates', 'luoyang-2022'), join(formats, 'own-2022'), { recursive: true });
    const data = join(work, 'data-own', 'u1.yaml');
    mkdirSync(dirname(data), { recursive: true });
    writeFileSync(data, readFileSync(join(work, 'data', 'u1.yaml'), 'utf8').replace(/^format: .*$/m, 'format: ../formats/own-2022'));
    const ownOut = join(work, 'out-own');
    expect(cli(['render', data, '-o', `${ownOut}/`], {}, work).status).toBe(0);
    renameSync(join(formats, 'own-2022'), join(formats, 'moved-2022'));
    const r = cli(['verify', ownOut], {}, work);
    expect(r.stdout).toMatch(/1 项：0 项可复现，1 项无法核验\n/);
    expect(r.stderr).toContain('无法重新生成');
    expect(r.status).toBe(2);
  });

  it('verifies a moved folder (a downloaded CI artifact) from the render’s working directory, or with --root', () => {
    const moved = join(work, 'downloads', 'artifact', 'out');
    cpSync(out, moved, { recursive: true });
    const fromCheckout = cli(['verify', join(moved, 'manifest.json')], {}, work);
    expect(fromCheckout.stderr).toBe('');
    expect(fromCheckout.stdout).toMatch(/2 项：2 项可复现/);
    expect(fromCheckout.status).toBe(0);
    expect(cli(['verify', join(moved, 'manifest.json'), '--root', work]).status).toBe(0);

    const lost = cli(['verify', join(moved, 'manifest.json')]);
    expect(lost.status).toBe(2);
    // Nothing says these PDFs differ: they cannot be checked from here, and are counted so.
    expect(lost.stdout).toMatch(/2 项：0 项可复现，2 项无法核验\n/);
    // Paths as the user sees them: relative inside the working directory (ROOT here), else absolute.
    const looked = [join(work, 'downloads', 'artifact', 'data', 'u1.yaml'), join('data', 'u1.yaml')];
    expect(lost.stderr).toContain(`u1.pdf：\n  找不到数据文件 ../data/u1.yaml（已查找 ${looked.join('、')}）；请在生成时的工作目录运行 verify，或用 --root 指定它`);
  });

  it('re-renders with the font configuration the manifest recorded, while it is there unchanged', () => {
    // Another fonts.yaml naming the same font files: the PDF bytes are the same as with the default.
    const fonts = join(work, 'f', 'fonts.yaml');
    mkdirSync(join(work, 'f'));
    const config = readFileSync(join(ROOT, 'fonts', 'fonts.yaml'), 'utf8').replace(/: (\S+\.ttf)/g, (_, file: string) => `: ${join(ROOT, 'fonts', file)}`);
    writeFileSync(fonts, config);
    const fout = join(work, 'fout');
    expect(cli(['render', join(work, 'data', 'u1.yaml'), '-o', `${fout}/`], { BUDGET_PDF_FONTS: fonts }).status).toBe(0);
    expect(readFileSync(join(fout, 'u1.pdf')).equals(readFileSync(join(out, 'u1.pdf')))).toBe(false); // different SOURCE_DATE_EPOCH
    expect(readManifest(join(fout, 'manifest.json')).entries[0]!.fontConfig.path).toBe('../f/fonts.yaml');

    const same = cli(['verify', join(fout, 'manifest.json')], { BUDGET_PDF_FONTS: undefined });
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);

    writeFileSync(fonts, `${config}# changed\n`);
    const changed = cli(['verify', join(fout, 'manifest.json')], { BUDGET_PDF_FONTS: undefined });
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain(`字体配置 fonts/fonts.yaml 与清单记录的 ../f/fonts.yaml 内容不同（清单记录的那一份已不在 ${fonts}`);
  });

  it('proves a sharded release: each shard writes manifest-K-of-N.json, verify takes them together and misses none', () => {
    // The CI recipe: N jobs render into output/, the artifacts are downloaded into one folder.
    for (const k of [1, 2]) {
      const shard = cli(['render', 'data', '-o', `shard-${k}`, '--shard', `${k}/2`, '--jobs', '1'], {}, work);
      expect(shard.status).toBe(0);
      expect(shard.stdout).toContain(`清单 shard-${k}/manifest-${k}-of-2.json`);
      expect(readManifest(join(work, `shard-${k}`, `manifest-${k}-of-2.json`)).shard).toEqual({ index: k, count: 2 });
    }
    const release = join(work, 'release');
    for (const k of [1, 2]) cpSync(join(work, `shard-${k}`), release, { recursive: true });
    const merged = cli(['verify', release], {}, work);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toMatch(/核验 2 个清单的 2 项：2 项可复现/);
    expect(merged.status).toBe(0);
    // Or each artifact in its own folder, named one by one.
    expect(cli(['verify', 'shard-1', join(work, 'shard-2', 'manifest-2-of-2.json')], {}, work).status).toBe(0);

    rmSync(join(release, 'manifest-2-of-2.json'));
    const partial = cli(['verify', release], {}, work);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toContain('缺少分片 2/2 的清单（manifest-2-of-2.json），不能证明整个发布可复现');
    // Said before re-rendering anything: no entry was checked.
    expect(partial.stderr).toContain('未重新生成');
    expect(partial.stdout).not.toContain('项可复现');
  });

  it('fails a release folder holding a PDF that no manifest records', () => {
    const folder = join(work, 'with-stray');
    cpSync(out, folder, { recursive: true });
    cpSync(join(folder, 'u1.pdf'), join(folder, 'stray.pdf'));
    const r = cli(['verify', folder], {}, work);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('另有 1 个 PDF 不在任何清单中');
    expect(r.stderr).toContain('stray.pdf：不在任何清单中');
    // Also in a subfolder, where an upload of the whole folder would take it too.
    rmSync(join(folder, 'stray.pdf'));
    mkdirSync(join(folder, 'sub'));
    cpSync(join(folder, 'u1.pdf'), join(folder, 'sub', 'x.pdf'));
    const nested = cli(['verify', folder], {}, work);
    expect(nested.status).toBe(1);
    expect(nested.stderr).toContain(`${join('sub', 'x.pdf')}：不在任何清单中`);
  });

  it('exits 2 for an entry recorded with a SOURCE_DATE_EPOCH that is no date, naming it', () => {
    const odd = join(work, 'odd-epoch');
    cpSync(out, odd, { recursive: true });
    const manifest = readManifest(join(odd, 'manifest.json'));
    writeFileSync(join(odd, 'manifest.json'), serializeManifest({ ...manifest, entries: manifest.entries.map((e, i) => (i === 0 ? { ...e, sourceDateEpoch: '99999999999999' } : e)) }));
    const r = cli(['verify', odd], {}, work);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('u1.pdf：\n  清单记录的 SOURCE_DATE_EPOCH=“99999999999999” 无效');
    expect(r.stderr).not.toMatch(/RangeError|u2\.pdf/);
  });

  it('exits 2 on a manifest it cannot read', () => {
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{"format": 1, "entries": [ {');
    const r = cli(['verify', broken]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/不是有效的 JSON/);
    // The PDF instead of its manifest: named as such, not `Unexpected token '%'`.
    const pdf = cli(['verify', join(out, 'u1.pdf')]);
    expect(pdf.status).toBe(2);
    expect(pdf.stderr).toContain(`${join(out, 'u1.pdf')} 是 PDF 文件，不是清单；verify 要的是 render 写出的 manifest.json`);
    expect(pdf.stderr).not.toMatch(/JSON|Unexpected/);
    expect(cli(['verify', join(work, 'missing.json')]).status).toBe(2);
  });
});
