import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignShards, BatchInputError, batchOutputs, collectDataFiles, lineEndingFreeSize, parseShard, selectShard } from '../src/render/batch-inputs.js';
import type { RenderOutcome, RenderTask } from '../src/render/render-artifact.js';
import { ensureDirectory } from '../src/render/ensure-directory.js';
import { renderEach } from '../src/render/worker-pool.js';
import { readManifest } from '../src/review/manifest.js';
import { generateUnits } from '../src/testdata/generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/budget-pdf.js');

/** The smallest few of a dozen synthetic units (fewest pages, so the fastest to render). */
function smallUnits(count: number): { name: string; yaml: string }[] {
  return generateUnits(12, 7)
    .sort((a, b) => a.yaml.length - b.yaml.length || (a.name < b.name ? -1 : 1))
    .slice(0, count)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function smallUnitPdfs(count: number): string[] {
  return smallUnits(count).map((u) => u.name.replace(/\.yaml$/, '.pdf'));
}

describe('--shard', () => {
  // A deterministic spread of sizes, as a district's files would have.
  const files = Array.from({ length: 37 }, (_, i) => ({ path: `data/u${String(i).padStart(2, '0')}.yaml`, size: 1000 + ((i * 7919) % 23) * 400 }));

  it.each([1, 2, 3, 5, 8, 40])('N=%i: the shards together hold every file exactly once, balanced by size', (n) => {
    const shards = assignShards(files, n);
    expect(shards).toHaveLength(n);
    const all = shards.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(files.map((f) => f.path).sort());
    const size = new Map(files.map((f) => [f.path, f.size]));
    const totals = shards.map((s) => s.reduce((sum, p) => sum + size.get(p)!, 0));
    expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(Math.max(...files.map((f) => f.size)));
    for (const shard of shards) expect(shard).toEqual([...shard].sort());
  });

  it('is the same assignment whatever order the files are listed in', () => {
    const reversed = [...files].reverse();
    expect(assignShards(reversed, 4)).toEqual(assignShards(files, 4));
    expect(selectShard(reversed.map((f) => f.path), { index: 2, count: 4 }, (p) => files.find((f) => f.path === p)!.size)).toEqual(
      assignShards(files, 4)[1],
    );
  });

  it('splits a CRLF checkout (autocrlf on Windows) exactly as the LF one, and ties by path whatever the separator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-pdf-crlf-'));
    try {
      // Equal sizes with LF, but b has many more lines: by raw size a CRLF b would jump ahead of a.
      const files = { 'a.yaml': `${'x'.repeat(99)}\n`, 'b.yaml': 'y\n'.repeat(50), 'c.yaml': `${'z'.repeat(99)}\n` };
      for (const [ending, sub] of [['\n', 'lf'], ['\r\n', 'crlf']] as const) {
        mkdirSync(join(dir, sub));
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, sub, name), text.replace(/\n/g, ending));
      }
      expect(statSync(join(dir, 'crlf', 'b.yaml')).size).toBe(150);
      expect(lineEndingFreeSize(join(dir, 'crlf', 'b.yaml'))).toBe(100);
      const names = (sub: string, k: number): string[] =>
        selectShard(collectDataFiles([join(dir, sub)]), { index: k, count: 2 }).map((f) => basename(f));
      expect([names('lf', 1), names('lf', 2)]).toEqual([['a.yaml', 'c.yaml'], ['b.yaml']]);
      expect([names('crlf', 1), names('crlf', 2)]).toEqual([['a.yaml', 'c.yaml'], ['b.yaml']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // `\\` sorts after `2`, `/` before it: compared raw, data2\\a.yaml would come first on Windows only.
    const windows = [{ path: 'data2\\a.yaml', size: 5 }, { path: 'data\\b.yaml', size: 5 }, { path: 'data\\c.yaml', size: 5 }];
    const posix = windows.map((f) => ({ ...f, path: f.path.replace('\\', '/') }));
    expect(assignShards(posix, 2)).toEqual([['data/b.yaml', 'data2/a.yaml'], ['data/c.yaml']]);
    expect(assignShards(windows, 2).map((s) => s.map((p) => p.replace('\\', '/')).sort())).toEqual([['data/b.yaml', 'data2/a.yaml'], ['data/c.yaml']]);
  });

  it('parses K/N and rejects anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3']) expect(() => parseShard(bad)).toThrow(BatchInputError);
    // One array slot per shard: a mistyped N must be a usage error, not `RangeError: Invalid array length`.
    expect(parseShard('3/10000')).toEqual({ index: 3, count: 10000 });
    for (const huge of ['1/10001', '1/4294967296', '1/99999999999999999999']) expect(() => parseShard(huge)).toThrow(/N 最大为 10000/);
  });
});

describe('batch inputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-inputs-'));
    mkdirSync(join(dir, 'units', 'nested'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    for (const name of ['b.yaml', 'a.yml', 'notes.txt', '.hidden.yaml', 'nested/c.yaml']) writeFileSync(join(dir, 'units', name), 'x');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a folder’s *.yaml/*.yml files (not subfolders), files as given, each once, sorted', () => {
    const units = join(dir, 'units');
    expect(collectDataFiles([units, join(units, 'b.yaml'), join(units, 'nested', 'c.yaml')])).toEqual([
      join(units, 'a.yml'),
      join(units, 'b.yaml'),
      join(units, 'nested', 'c.yaml'),
    ]);
    expect(() => collectDataFiles([join(dir, 'empty')])).toThrow(/没有数据文件/);
  });

  it('takes a symlink in a folder as what it points to: a file is data, a link to nothing is reported, a folder is skipped', () => {
    const links = join(dir, 'links');
    mkdirSync(links);
    writeFileSync(join(links, 'u.yaml'), 'x');
    symlinkSync(join(dir, 'units', 'b.yaml'), join(links, 'to-file.yaml'));
    symlinkSync(join(dir, 'nowhere.yaml'), join(links, 'broken.yaml'));
    symlinkSync(join(dir, 'units'), join(links, 'folder.yaml'));
    expect(collectDataFiles([links])).toEqual([join(links, 'broken.yaml'), join(links, 'to-file.yaml'), join(links, 'u.yaml')]);
  });

  it('creates the output folder with its parents, and fails (not loops) where it cannot', async () => {
    await ensureDirectory(join(dir, 'out', 'a', 'b'));
    await ensureDirectory(join(dir, 'out', 'a', 'b'));
    expect(readdirSync(join(dir, 'out', 'a'))).toEqual(['b']);
    await expect(ensureDirectory(join(dir, 'units', 'b.yaml', 'x'))).rejects.toThrow();
    // procfs refuses new entries with ENOENT although /proc exists; Node's recursive mkdir spins on that.
    if (existsSync('/proc/self')) await expect(ensureDirectory('/proc/budget-pdf-test/x')).rejects.toThrow(/ENOENT/);
  });

  it('refuses two data files that would write the same PDF', () => {
    expect(batchOutputs(['a/u1.yaml', 'b/u2.yaml'], 'out')).toEqual([join('out', 'u1.pdf'), join('out', 'u2.pdf')]);
    expect(() => batchOutputs(['a/u1.yaml', 'b/u1.yaml'], 'out')).toThrow(/a\/u1\.yaml 和 b\/u1\.yaml 都会生成/);
  });
});

describe('worker pool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-pdf-pool-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands over every outcome once; a worker that dies fails only its own document', async () => {
    // A stand-in worker speaking the same protocol: it exits or throws on request, otherwise answers.
    const worker = join(dir, 'fake-worker.mjs');
    writeFileSync(
      worker,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, task }) => {
  if (task.file === 'exit') process.exit(3);
  if (task.file === 'throw') throw new Error('boom');
  parentPort.postMessage({ id, outcome: { file: task.file, status: 0, findings: [], milliseconds: 0 } });
});`,
    );
    const files = ['a', 'exit', 'b', 'throw', 'c', 'd', 'e'];
    const tasks: RenderTask[] = files.map((file) => ({ file, draft: false, sourceDateEpoch: null, pageTexts: false }));
    const seen: [number, RenderOutcome][] = [];
    await renderEach(tasks, (outcome, index) => {
      seen.push([index, outcome]);
    }, { jobs: 2, workerUrl: pathToFileURL(worker) });
    expect(seen.map(([i]) => i).sort()).toEqual(files.map((_, i) => i));
    for (const [index, outcome] of seen) {
      expect(outcome.file).toBe(files[index]);
      const crashed = files[index] === 'exit' || files[index] === 'throw';
      expect(outcome.status).toBe(crashed ? 2 : 0);
      if (crashed) expect(outcome.findings[0]!.rule).toBe('render.worker-crashed');
    }
  });
});

describe("a batch's main thread", () => {
  it('does not load the renderer (pdfmake, fontkit, Handlebars): only the workers render', () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (or `npm test`, whose pretest builds)');
    // What a batch imports in its main thread; CommonJS packages loaded through ESM are in require.cache.
    const script = [
      `await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/commands/render.js')).href)});`,
      `await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/render/worker-pool.js')).href)});`,
      `const { createRequire } = await import('node:module');`,
      `console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    const loaded = JSON.parse(r.stdout) as string[];
    expect(loaded.some((path) => path.includes('/node_modules/yaml/'))).toBe(true); // the probe sees CommonJS packages
    for (const renderer of ['pdfmake', 'pdfkit', 'fontkit', 'handlebars']) {
      expect(loaded.filter((path) => path.includes(`/node_modules/${renderer}/`))).toEqual([]);
    }
  });
});

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pdfsIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort() : []);

describe('batch render (through the built CLI)', () => {
  let work: string;
  let data: string;
  let batch: ReturnType<typeof cli>;
  let good: string[];

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (or `npm test`, whose pretest builds)');
    work = mkdtempSync(join(tmpdir(), 'budget-pdf-batch-'));
    data = join(work, 'data');
    mkdirSync(data);
    const units = smallUnits(2);
    for (const unit of units) writeFileSync(join(data, unit.name), unit.yaml);
    good = units.map((u) => u.name.replace(/\.yaml$/, ''));
    writeFileSync(join(data, 'broken.yaml'), 'format: luoyang-2022\nyear: [2022\n');
    batch = cli(['render', data, '-o', join(work, 'out'), '--jobs', '2']);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('renders every good file, names the broken one with its findings, and exits 2 for an unreadable file', () => {
    expect(batch.status).toBe(2);
    const pdfs = good.map((name) => `${name}.pdf`);
    expect(pdfsIn(join(work, 'out'))).toEqual(pdfs);
    for (const name of good) expect(existsSync(join(work, 'out', `${name}.txt`))).toBe(true);
    expect(readManifest(join(work, 'out', 'manifest.json')).entries.map((e) => e.pdf)).toEqual(pdfs);
    expect(readManifest(join(work, 'out', 'manifest.json')).missing).toEqual([{ pdf: 'broken.pdf', data: '../data/broken.yaml', reason: expect.any(String) }]);
    expect(batch.stderr).toContain(`失败 1 个：\n${join(data, 'broken.yaml')}：`);
    expect(batch.stderr).toMatch(/broken\.yaml:\d+:\d+ {2}yaml\./);
    expect(batch.stdout).toMatch(/2 个成功，1 个失败/);
  });

  it('logs one plain line per document when not on a terminal', () => {
    const lines = batch.stdout.split('\n').filter((l) => /^\[\d\/3\] /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.includes('已生成'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('失败') && l.includes('broken.yaml'))).toHaveLength(1);
  });

  it('finishes the batch when the reader of its log goes away (`| head`): no EPIPE stack trace, every artifact written', async () => {
    const out = join(work, 'closed-stdout');
    const child = spawn(process.execPath, [BIN, 'render', data, '-o', out, '--jobs', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const status = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
    expect(stderr).not.toMatch(/EPIPE|node:events/);
    expect(status).toBe(2);
    expect(pdfsIn(out)).toEqual(good.map((name) => `${name}.pdf`));
    expect(readManifest(join(out, 'manifest.json')).entries).toHaveLength(good.length);
  });

  it('writes the same bytes as rendering the file on its own', () => {
    const [first] = good;
    const single = cli(['render', join(data, `${first}.yaml`), '-o', join(work, 'single', 'one.pdf')]);
    expect(single.status).toBe(0);
    expect(existsSync(join(work, 'single', 'one.txt'))).toBe(true);
    expect(readManifest(join(work, 'single', 'manifest.json')).entries.map((e) => e.pdf)).toEqual(['one.pdf']);
    expect(readFileSync(join(work, 'single', 'one.pdf')).equals(readFileSync(join(work, 'out', `${first}.pdf`)))).toBe(true);
    expect(readFileSync(join(work, 'single', 'one.txt'), 'utf8')).toBe(readFileSync(join(work, 'out', `${first}.txt`), 'utf8'));
  });

  it('splits the files over --shard 1/2 and 2/2 so together they cover each file once', () => {
    const runs = [1, 2].map((k) => ({ k, out: join(work, `shard${k}`), run: cli(['render', data, '-o', join(work, `shard${k}`), '--shard', `${k}/2`, '--jobs', '1']) }));
    const taken = runs.map(({ run }) => run.stdout.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l)));
    for (const { run } of runs) expect(run.stdout).toMatch(/^分片 [12]\/2：[12] 个文件$/m);
    const names = taken.flat().map((l) => /([\w-]+)\.(pdf|yaml)/.exec(l)![1]);
    expect(names.sort()).toEqual(['broken', ...good].sort());
    const pdfs = runs.flatMap(({ out }) => pdfsIn(out));
    expect(pdfs.sort()).toEqual(good.map((name) => `${name}.pdf`));
    // Each shard records its PDFs in a manifest of its own name, so the artifacts never collide.
    const recorded = runs.flatMap(({ k, out }) => {
      expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual([`manifest-${k}-of-2.json`]);
      return readManifest(join(out, `manifest-${k}-of-2.json`)).entries.map((e) => e.pdf);
    });
    expect(recorded.sort()).toEqual(pdfs);
  });

  it('--shard with one data file and -o X.pdf: the shard that holds the file writes X.pdf, the other none', () => {
    const [first] = good;
    const target = join(work, 'one', 'a.pdf');
    const runs = [1, 2].map((k) => cli(['render', join(data, `${first}.yaml`), '--shard', `${k}/2`, '-o', target]));
    for (const run of runs) expect(run.status).toBe(0);
    expect(runs.map((r) => /^分片 \d\/2：(\d) 个文件$/m.exec(r.stdout)![1]).sort()).toEqual(['0', '1']);
    expect(runs.some((r) => r.stdout.includes(`已生成 ${target}`))).toBe(true);
    expect(pdfsIn(join(work, 'one'))).toEqual(['a.pdf']);
    expect(readFileSync(target).equals(readFileSync(join(work, 'out', `${first}.pdf`)))).toBe(true);

    const folder = cli(['render', data, '-o', join(work, 'x.pdf')]);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain(`-o ${join(work, 'x.pdf')} 是一个 PDF 文件，只能用于一个数据文件；${data} 是文件夹，请让 -o 指向文件夹`);
    const several = cli(['render', ...good.map((name) => join(data, `${name}.yaml`)), '-o', join(work, 'x.pdf')]);
    expect(several.stderr).toContain('这里给了 2 个输入');
    expect(existsSync(join(work, 'x.pdf'))).toBe(false);
  });

  it('exits 1 when the failed files only have data errors, 2 as soon as one cannot be read', () => {
    // The reference with one 三公 figure a cent off its 经济分类 line: readable, but inconsistent.
    const reference = readFileSync(join(ROOT, 'data/luolong-zwfwzx-2022.yaml'), 'utf8');
    const vehicle = 'vehicle_operation: 1.50';
    expect(reference.split(vehicle)).toHaveLength(2);
    const inconsistent = join(work, 'inconsistent.yaml');
    writeFileSync(inconsistent, reference.replace(vehicle, 'vehicle_operation: 1.51'));
    const dataErrors = cli(['render', inconsistent, join(work, 'missing.yaml'), '-o', join(work, 'exit1')]);
    expect(dataErrors.stderr).toMatch(/inconsistent\.yaml：有错误，未生成 PDF/);
    expect(dataErrors.status).toBe(2);
    const again = join(work, 'inconsistent-again.yaml');
    writeFileSync(again, readFileSync(inconsistent));
    const onlyData = cli(['render', inconsistent, again, '-o', join(work, 'exit1')]);
    expect(onlyData.stderr).toMatch(/失败 2 个：\n.*inconsistent-again\.yaml：有错误，未生成 PDF/);
    expect(onlyData.status).toBe(1);
    expect(pdfsIn(join(work, 'exit1'))).toEqual([]);
  });

  it('exits 2 before rendering when the inputs cannot make a batch', () => {
    mkdirSync(join(work, 'none'));
    expect(cli(['render', join(work, 'none'), '-o', join(work, 'x')]).status).toBe(2);
    const bad = cli(['render', data, '--shard', '3/2']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--shard 应为 K\/N/);
    const huge = cli(['render', data, '--shard', '1/4294967296']);
    expect(huge.status).toBe(2);
    expect(huge.stderr).toContain('--shard 1/4294967296：N 最大为 10000');
    expect(huge.stderr).not.toMatch(/RangeError|\n\s+at /);
  });
});

describe('an interrupted batch (SIGINT, SIGTERM)', () => {
  let work: string;
  let data: string;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (or `npm test`, whose pretest builds)');
    work = mkdtempSync(join(tmpdir(), 'budget-pdf-interrupt-'));
    data = join(work, 'data');
    mkdirSync(data);
    for (const unit of smallUnits(5)) writeFileSync(join(data, unit.name), unit.yaml);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A batch into `out`, sent `signal` as soon as it logs its first written PDF. */
  async function interrupted(signal: NodeJS.Signals, jobs: number, out: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, 'render', data, '-o', out, '--jobs', String(jobs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!sent && stdout.includes('已生成')) sent = child.kill(signal);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const status = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
    return { status, stdout, stderr };
  }

  // Workers (their current documents dropped) and one thread (its current document finished).
  it.each([
    ['SIGINT', 2, 130],
    ['SIGTERM', 1, 143],
  ] as const)('%s with --jobs %i: stops, records every PDF written in the manifest, says so, exits %i', async (signal, jobs, code) => {
    const out = join(work, `out-${signal}`);
    const run = await interrupted(signal, jobs, out);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(code);
    expect(run.stdout).toMatch(new RegExp(`^已中断（收到 ${signal}）：生成 5 个文件到 \\S+：[1-4] 个成功，[1-4] 个未生成`, 'm'));
    const pdfs = pdfsIn(out);
    expect(pdfs.length).toBeGreaterThanOrEqual(1);
    expect(pdfs.length).toBeLessThan(5);
    expect(readManifest(join(out, 'manifest.json')).entries.map((e) => e.pdf)).toEqual(pdfs);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]); // no lock or temporary file left
    // What was written is what the manifest says: verify proves it instead of calling it changed,
    // and the PDFs never written are recorded missing, so the release does not pass as complete.
    const missing = readManifest(join(out, 'manifest.json')).missing ?? [];
    expect(missing.map((m) => m.pdf).sort()).toEqual(smallUnitPdfs(5).filter((p) => !pdfs.includes(p)));
    expect(missing.every((m) => m.reason.startsWith('已中断'))).toBe(true);
    const verified = cli(['verify', out]);
    expect(verified.stdout).toMatch(new RegExp(`${pdfs.length} 项可复现；另有 ${missing.length} 个 PDF 最近一次没有生成，发布不完整`));
    expect(verified.stderr).not.toMatch(/不一致/);
    expect(verified.status).toBe(1);
    // Rendered again, the batch completes the release.
    const rerun = cli(['render', data, '-o', out]);
    expect(rerun.status).toBe(0);
    expect(readManifest(join(out, 'manifest.json')).missing).toBeUndefined();
    expect(cli(['verify', out]).status).toBe(0);
  });
});
