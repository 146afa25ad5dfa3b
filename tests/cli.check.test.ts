/**
 * `budget-pdf check` as a user runs it: the built CLI in a child process, its
 * output lines, its JSON and its exit codes (0 clean, 1 errors, 2 unreadable).
 * Needs `npm run build` first (the pretest script runs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/budget/findings.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/budget-pdf.js');
const REFERENCE_FILE = 'data/luolong-zwfwzx-2022.yaml';
const REFERENCE = readFileSync(join(ROOT, REFERENCE_FILE), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'cli-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const runs = new Map<string, Run>();

/** Runs the CLI once per distinct argument list (each run starts Node, which is the slow part). */
function check(...args: string[]): Run {
  const key = JSON.stringify(args);
  let run = runs.get(key);
  if (!run) runs.set(key, (run = spawnCheck(args)));
  return run;
}

function spawnCheck(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, 'check', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `file:line:col  rule-id  message` */
const FINDING_LINE = /^(.+):(\d+):(\d+) {2}([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+) {2}(\S.*)$/;
/** A Node stack frame, as an uncaught exception would print it. */
const STACK_FRAME = /^\s+at /m;

function outputLines(run: Run): string[] {
  return run.stdout.trimEnd().split('\n');
}

/** The reference with the 三公 车辆运行 figure one cent above its 经济分类 line (one consistency error). */
const VEHICLE = 'vehicle_operation: 1.50           # 公务用车运行维护费';
const vehicleLine = REFERENCE.slice(0, REFERENCE.indexOf(VEHICLE)).split('\n').length;
let inconsistent: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (or `npm test`, whose pretest builds)');
  expect(REFERENCE.split(VEHICLE)).toHaveLength(2);
  inconsistent = fixture('inconsistent.yaml', REFERENCE.replace(VEHICLE, VEHICLE.replace('1.50', '1.51')));
});

describe('--help of each command', () => {
  it.each(['check', 'render', 'verify', 'diff'])('%s lists its exit codes', (command) => {
    const r = spawnSync(process.execPath, [BIN, command, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/退出码：\n {2}0 .+\n {2}1 .+\n {2}2 .+/);
  });
});

describe('budget-pdf check', () => {
  it('passes the reference: exit 0 and only the summary line', () => {
    const run = check(REFERENCE_FILE);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(outputLines(run)).toEqual(['检查 1 个文件：0 个错误，0 个警告，通过']);
  });

  it('reports a consistency error as file:line:col  rule-id  message, exit 1', () => {
    const run = check(inconsistent);
    expect(run.status).toBe(1);
    const [finding, summary, ...rest] = outputLines(run);
    expect(rest).toEqual([]);
    const m = FINDING_LINE.exec(finding);
    expect(m, finding).not.toBeNull();
    const [, file, line, , rule, message] = m!;
    expect(file).toBe(inconsistent);
    expect(Number(line)).toBe(vehicleLine);
    expect(rule).toBe('three-public.economic');
    expect(message).toContain('1.51');
    expect(message).toContain('1.50');
    expect(message).toContain('相差 0.01');
    expect(summary).toBe('检查 1 个文件：1 个错误，0 个警告');
  });

  it('refuses a missing file with exit 2 and a message, no stack trace', () => {
    const missing = join(dir, 'no-such-file.yaml');
    const run = check(missing);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`${missing}  input.missing  `);
    expect(run.stdout).toContain('找不到文件');
    expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME);
  });

  it('says a PDF given as data is a PDF, not text to re-save as UTF-8 (exit 2)', () => {
    // A PDF's header: its second line is binary on purpose, so it is no UTF-8 either.
    const pdf = join(dir, 'out.pdf');
    writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.7\n%', 'latin1'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from('\n1 0 obj\n', 'latin1')]));
    const run = check(pdf);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`${pdf}  input.pdf  ${pdf} 是 PDF 文件，不是数据文件；render 和 check 要的是单位的 YAML 数据文件`);
    expect(run.stdout).not.toMatch(/UTF-8|另存为/);
  });

  it('refuses a YAML syntax error with exit 2, naming line and column, no stack trace', () => {
    const broken = fixture('syntax.yaml', 'format: luoyang-2022\nyear: [2022\nunit: x\n');
    const run = check(broken);
    expect(run.status).toBe(2);
    // At the bracket never closed, not at the key after it where YAML noticed.
    expect(run.stdout).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:7  yaml\\.syntax  YAML 语法错误（第 2 行第 7 列）：第 2 行的“\\[”没有闭合`, 'm'));
    expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME);
  });

  it('checks texts: keys against the format\'s standard texts, suggesting the nearest', () => {
    const file = fixture('glosary.yaml', REFERENCE.replace('special_transfers: []', 'texts:\n  glosary: 本单位的名词解释\nspecial_transfers: []'));
    const run = check(file);
    expect(run.status).toBe(1);
    const [finding, summary] = outputLines(run);
    const m = FINDING_LINE.exec(finding)!;
    expect(m[4]).toBe('texts.unknown-key');
    expect(Number(m[2])).toBe(REFERENCE.slice(0, REFERENCE.indexOf('special_transfers: []')).split('\n').length + 1);
    expect(m[5]).toContain('是否应为“glossary”');
    expect(summary).toBe('检查 1 个文件：1 个错误，0 个警告');
  });

  it('accepts the unit\'s own wording of a table note under texts:', () => {
    const file = fixture('note.yaml', REFERENCE.replace('special_transfers: []', 'texts:\n  08-three-public.footnote: 注：本单位口径。\nspecial_transfers: []'));
    expect(outputLines(check(file))).toEqual(['检查 1 个文件：0 个错误，0 个警告，通过']);
  });

  it('reports a format that does not exist at the format: line, as render would refuse it', () => {
    const file = fixture('no-format.yaml', REFERENCE.replace('format: luoyang-2022', 'format: luoyang-2099'));
    const run = check(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:9  template\\.missing  找不到公开格式“luoyang-2099”`, 'm'));
  });

  it('composes the publication as render would: a character no font has is an error at its line, exit 1', () => {
    const file = fixture('emoji.yaml', REFERENCE.replace('name: 值班费', 'name: 值班费😀'));
    const line = REFERENCE.slice(0, REFERENCE.indexOf('name: 值班费')).split('\n').length;
    const run = check(file);
    expect(run.status).toBe(1);
    const [finding] = outputLines(run).map((l) => FINDING_LINE.exec(l)).filter((m) => m !== null);
    expect(finding!.slice(1, 5)).toEqual([file, String(line), expect.any(String), 'font.missing-glyph']);
    expect(finding![5]).toContain('U+1F600');
  });

  it('names a format that does not exist with exit 1 in render too (the data\'s mistake, as check says)', () => {
    const file = fixture('no-format-render.yaml', REFERENCE.replace('format: luoyang-2022', 'format: luoyang-2099'));
    const r = spawnSync(process.execPath, [BIN, 'render', file, '-o', join(dir, 'no-format.pdf')], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('template.missing');
    expect(existsSync(join(dir, 'no-format.pdf'))).toBe(false);
  });

  it('writes JSON for a usage error too when asked for --format json (exit 2), and the message on stderr', () => {
    const run = check('--format', 'json');
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ files: [], exitCode: 2, usage: expect.stringContaining('files') });
    expect(run.stderr).toContain('files');
  });

  it('composes without loading the PDF renderer (pdfmake, pdfkit)', () => {
    const script = [
      `const { runCheck } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/commands/check.js')).href)});`,
      `const result = runCheck([${JSON.stringify(join(ROOT, 'data', 'luolong-zwfwzx-2022.yaml'))}], { format: 'text' });`,
      `const { createRequire } = await import('node:module');`,
      `console.log(JSON.stringify({ exitCode: result.exitCode, loaded: Object.keys(createRequire(import.meta.url).cache) }));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    const { exitCode, loaded } = JSON.parse(r.stdout) as { exitCode: number; loaded: string[] };
    expect(exitCode).toBe(0);
    expect(loaded.some((path) => path.includes('/node_modules/fontkit/'))).toBe(true); // it did compose, with the fonts
    expect(loaded.filter((path) => /\/node_modules\/(pdfmake|pdfkit)\//.test(path))).toEqual([]);
  });

  it('prints the same findings as JSON with --format json', () => {
    const text = check(inconsistent);
    const run = check(inconsistent, '--format', 'json');
    expect(run.status).toBe(1);
    const json = JSON.parse(run.stdout) as { files: { file: string; readable: boolean; findings: Finding[] }[]; errors: number; warnings: number; exitCode: number };
    expect(json).toMatchObject({ errors: 1, warnings: 0, exitCode: 1 });
    expect(json.files).toHaveLength(1);
    expect(json.files[0]).toMatchObject({ file: inconsistent, readable: true });
    const fromText = outputLines(text).slice(0, -1).map((l) => FINDING_LINE.exec(l)!.slice(1, 5).join(' '));
    const fromJson = json.files[0].findings.map((f) => [f.loc!.file, f.loc!.line, f.loc!.col, f.rule].join(' '));
    expect(fromJson).toEqual(fromText);
    expect(json.files[0].findings[0].message).toContain('相差 0.01');
  });

  it('checks several files in one run; the worst outcome sets the exit code', () => {
    const both = check(REFERENCE_FILE, inconsistent);
    expect(both.status).toBe(1);
    const lines = outputLines(both);
    expect(lines.filter((l) => l.startsWith(`${inconsistent}:`))).toHaveLength(1);
    expect(lines.at(-1)).toBe('检查 2 个文件：1 个错误，0 个警告');

    const missing = join(dir, 'missing.yaml');
    const three = check(REFERENCE_FILE, inconsistent, missing);
    expect(three.status).toBe(2);
    expect(three.stdout).toContain(`${inconsistent}:${vehicleLine}:`);
    expect(three.stdout).toContain(`${missing}  input.missing`);
    expect(outputLines(three).at(-1)).toMatch(/^检查 3 个文件：2 个错误/);

    const json = JSON.parse(check(REFERENCE_FILE, inconsistent, '--format', 'json').stdout) as { schema: string; files: { file: string; findings: { file: string }[] }[] };
    expect(json.schema).toBe('budget-pdf.check/1');
    expect(json.files.map((f) => [f.file, f.findings.length])).toEqual([[REFERENCE_FILE, 0], [inconsistent, 1]]);
    expect(json.files[1]!.findings[0]!.file).toBe(inconsistent);
  });

  it('checks every data file of a folder, as render takes a folder', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), REFERENCE);
    writeFileSync(join(folder, 'b.yaml'), readFileSync(inconsistent, 'utf8'));
    writeFileSync(join(folder, 'notes.txt'), 'not data');
    const run = check(folder);
    expect(run.status).toBe(1);
    expect(outputLines(run).at(-1)).toBe('检查 2 个文件：1 个错误，0 个警告');
    expect(run.stdout).toContain(`${join(folder, 'b.yaml')}:`);
    const empty = join(dir, 'empty-folder');
    mkdirSync(empty);
    expect(check(empty).status).toBe(2);
  });
});
