/**
 * A second publication format needs only a template folder: the reference unit rendered in
 * tests/fixtures/formats/other-city-2023 (see its README) through the CLI, as a user would, with
 * `format:` a path relative to the data file and the command run from another directory. The PDF
 * is read back with pdf-parse: the format's own structure, wording, tables and orientation.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from './support/read-pdf.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FORMAT = join(ROOT, 'tests/fixtures/formats/other-city-2023');
const tmp = mkdtempSync(join(tmpdir(), 'other-format-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const squeeze = (text: string): string => text.replace(/\s+/g, '');

interface ReadBack {
  pages: string[];
  landscape: boolean[];
}

let check: ReturnType<typeof spawnSync>;
let render: ReturnType<typeof spawnSync>;
let pdf: ReadBack;

function cli(args: string[], cwd: string): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [join(ROOT, 'bin/budget-pdf.js'), ...args], { cwd, encoding: 'utf8' });
}

/** The first page (0-based) whose text holds `text`, from `from` on. */
function pageWith(text: string, from = 0): number {
  const page = pdf.pages.findIndex((p, i) => i >= from && squeeze(p).includes(squeeze(text)));
  expect(page, `a page with “${text}”`).toBeGreaterThanOrEqual(0);
  return page;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (or `npm test`, whose pretest builds)');
  cpSync(FORMAT, join(tmp, 'formats/other-city-2023'), { recursive: true });
  mkdirSync(join(tmp, 'data'));
  mkdirSync(join(tmp, 'elsewhere'));
  const reference = readFileSync(join(ROOT, 'data/luolong-zwfwzx-2022.yaml'), 'utf8');
  const data = reference.replace(/^format: luoyang-2022/m, 'format: ../formats/other-city-2023');
  expect(data).not.toBe(reference);
  writeFileSync(join(tmp, 'data/unit.yaml'), data);

  const elsewhere = join(tmp, 'elsewhere');
  check = cli(['check', '../data/unit.yaml'], elsewhere);
  render = cli(['render', '../data/unit.yaml', '-o', join(tmp, 'out/unit.pdf')], elsewhere);
  const read = await readPdf(readFileSync(join(tmp, 'out/unit.pdf')));
  pdf = { pages: read.pages, landscape: read.sizes.map((size) => size.width > size.height) };
}, 60_000);

describe('the reference unit in another format', () => {
  it('checks clean and renders, with format: relative to the data file', () => {
    expect(check.stdout).toContain('0 个错误');
    expect(check.status).toBe(0);
    expect(render.stderr).toBe('');
    expect(render.status).toBe(0);
  });

  it('has the format’s title on a cover of its own, without a page number, and the 目录 from page 2', () => {
    expect(squeeze(pdf.pages[0]!)).toBe('洛龙区政务服务中心2022年部门预算公开说明');
    expect(squeeze(pdf.pages[1]!)).toMatch(/^目录/);
    expect(squeeze(pdf.pages[1]!)).toContain('第2页');
    // The 目录's numbers count the cover: an entry's number is the page its table is on.
    const listed = /部门收支总表\.*(\d+)/.exec(squeeze(pdf.pages[1]!))?.[1];
    expect(Number(listed)).toBe(pageWith('2022年部门收支总表', 2) + 1);
  });

  it('has the format’s chapters and 目录 order, and its page numbers', () => {
    const toc = squeeze(pdf.pages.slice(1, 3).join(''));
    const entries = ['第一章', '第二章', '第三章', '部门收支总表', '财政拨款收支总表', '部门收入总表', '部门支出总表', '一般公共预算支出表',
      '一般公共预算基本支出表', '政府性基金预算支出表', '“三公”经费支出表', '项目支出表', '项目支出绩效目标表'];
    const positions = entries.map((entry) => toc.indexOf(entry));
    expect(positions.every((p) => p >= 0), JSON.stringify(Object.fromEntries(entries.map((e, i) => [e, positions[i]])))).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const numbered = pdf.pages.filter((p) => /第\s*\d+\s*页/.test(p)).length;
    expect(numbered).toBeGreaterThan(pdf.pages.length / 2);
    expect(pdf.pages.some((p) => /—\s*\d+\s*—/.test(p))).toBe(false);
  });

  it('leaves out what the format leaves out', () => {
    const all = squeeze(pdf.pages.join(''));
    expect(all).not.toContain('支出经济分类汇总表');
    expect(all).not.toContain('国有资本经营预算支出预算表');
    expect(all).not.toContain('专项转移支付项目情况');
  });

  it('fills the merged text with the same figures as the tables', () => {
    const page = pageWith('二、收入与支出情况');
    expect(squeeze(pdf.pages.slice(page, page + 2).join(''))).toContain('866.01');
    const totals = pageWith('部门收支总表', 2);
    expect(squeeze(pdf.pages[totals]!)).toContain('866.01');
  });

  it('sets the narrow 三公 table on a portrait page and the 绩效目标表 on landscape pages', () => {
    const threePublic = pageWith('2022年“三公”经费支出表', 2);
    expect(pdf.landscape[threePublic]).toBe(false);
    expect(squeeze(pdf.pages[threePublic]!)).toContain('运行维护费');
    const performance = pageWith('2022年单位预算项目绩效目标表', 2);
    expect(pdf.landscape[performance]).toBe(true);
  });
});
