import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBudget, type LoadedBudget } from '../src/budget/load.js';
import type { Budget } from '../src/budget/model.js';
import { runCheck } from '../src/commands/check.js';
import { generateUnits, runGenerate, type GeneratedUnit } from '../src/testdata/generate.js';
import { yamlString } from '../src/testdata/unit-yaml.js';

const SEED = 2022;
const dir = mkdtempSync(join(tmpdir(), 'testdata-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

describe('generateUnits', () => {
  let units: GeneratedUnit[];
  let loaded: LoadedBudget[];
  let budgets: Budget[];

  beforeAll(() => {
    units = generateUnits(40, SEED);
    const unitDir = join(dir, 'units');
    mkdirSync(unitDir);
    loaded = units.map((u) => {
      const file = join(unitDir, u.name);
      writeFileSync(file, u.yaml);
      return loadBudget(file);
    });
    budgets = loaded.map((l) => l.budget!);
  });

  it('writes units that pass every check with no errors and no warnings', () => {
    expect(units.map((u) => u.name).slice(0, 2)).toEqual(['unit-0001.yaml', 'unit-0002.yaml']);
    for (const l of loaded) {
      expect(l.findings.map((f) => `${l.file}: ${f.rule} ${f.message}`)).toEqual([]);
      expect(l.budget).toBeDefined();
    }
  });

  it('covers the spread: 1 and 40+ projects, 政府性基金, every kind of 三公, 特定目标类', () => {
    const projectCounts = budgets.map((b) => b.projects.length);
    expect(Math.min(...projectCounts)).toBe(1);
    expect(Math.max(...projectCounts)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...projectCounts)).toBeLessThanOrEqual(60);
    expect(budgets.some((b) => b.income.government_fund?.greaterThan(0) && b.functionLines.some((l) => l.fund === 'government_fund'))).toBe(true);
    expect(budgets.some((b) => b.income.government_fund === null)).toBe(true);
    const tp = (b: Budget) => b.threePublic;
    expect(budgets.some((b) => [tp(b).abroad, tp(b).reception, tp(b).vehiclePurchase, tp(b).vehicleOperation].every((v) => v?.greaterThan(0)))).toBe(true);
    expect(budgets.some((b) => b.projects.some((p) => p.type === '特定目标类'))).toBe(true);
    expect(new Set(budgets.map((b) => b.functionLines.length)).size).toBeGreaterThan(3);
  });

  it('gives each unit its own name and codes, and every project a unique 21-digit code', () => {
    expect(new Set(budgets.map((b) => b.unit.name)).size).toBe(budgets.length);
    expect(new Set(budgets.map((b) => b.unit.code)).size).toBe(budgets.length);
    for (const b of budgets) {
      expect(b.unit.department.code).toMatch(/^\d{3}$/);
      expect(b.unit.code).toMatch(/^\d{6}$/);
      expect(b.unit.code.startsWith(b.unit.department.code)).toBe(true);
    }
    const projectCodes = budgets.flatMap((b) => b.projects.map((p) => p.code));
    expect(projectCodes.every((c) => /^\d{21}$/.test(c))).toBe(true);
    expect(new Set(projectCodes).size).toBe(projectCodes.length);
  });

  it('is deterministic: same seed, same bytes; unit k does not depend on the count; another seed differs', () => {
    expect(generateUnits(40, SEED)).toEqual(units);
    expect(generateUnits(7, SEED).map((u) => u.yaml)).toEqual(units.slice(0, 7).map((u) => u.yaml));
    expect(generateUnits(7, SEED + 1).map((u) => u.yaml)).not.toEqual(units.slice(0, 7).map((u) => u.yaml));
  });

  it('rejects a bad count or seed', () => {
    expect(() => generateUnits(1.5, 1)).toThrow(RangeError);
    expect(() => generateUnits(1, -1)).toThrow(RangeError);
  });
});

describe('yamlString', () => {
  it('quotes exactly what YAML would misread, in block and flow context', () => {
    const samples = ['>98%', '≥96%', '100%', '12', '1.5', 'true', 'null', '- x', 'a: b', 'a #b', '#x', '"q"', 'a, b', '[x]', '洛龙区（本级）', '3-20分钟'];
    for (const text of samples) {
      expect(parse(`k: ${yamlString(text)}`)).toEqual({ k: text });
      expect(parse(`k: [${yamlString(text, true)}, z]`)).toEqual({ k: [text, 'z'] });
    }
    expect(yamlString('≥96%')).toBe('≥96%');
    expect(yamlString('>98%')).toBe('">98%"');
  });
});

describe('npm run gen (runGenerate)', () => {
  it('writes N files named unit-0001.yaml … with the bytes generateUnits gives', () => {
    const out = join(dir, 'cli');
    const { out: text, io } = capture();
    expect(runGenerate(['--units', '3', '--out', out, '--seed', '9'], io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['unit-0001.yaml', 'unit-0002.yaml', 'unit-0003.yaml']);
    const expected = generateUnits(3, 9);
    for (const u of expected) expect(readFileSync(join(out, u.name), 'utf8')).toBe(u.yaml);
    expect(text.stdout).toContain('已生成 3 个');
    expect(text.stderr).toBe('');

    // Fewer units into the same folder: the older extra file is pointed out, not deleted.
    const again = capture();
    expect(runGenerate(['--units', '2', '--out', out, '--seed', '9'], again.io)).toBe(0);
    expect(again.out.stderr).toContain('unit-0003.yaml');
    expect(readdirSync(out)).toHaveLength(3);
  });

  it('writes units in another format with --format, which pass check in it', () => {
    const out = join(dir, 'other-format');
    const format = join(process.cwd(), 'tests/fixtures/formats/other-city-2023');
    const { io } = capture();
    expect(runGenerate(['--units', '2', '--out', out, '--format', format], io)).toBe(0);
    for (const name of readdirSync(out)) {
      const text = readFileSync(join(out, name), 'utf8');
      expect(text).toContain(`format: ${format}`);
      const checked = runCheck([join(out, name)], { format: 'json' });
      expect(checked.exitCode, checked.stdout).toBe(0);
    }
  });

  it.each([
    [['--units', '0', '--out', 'x'], '单位个数必须是 1 到'],
    [['--units', 'abc', '--out', 'x'], '单位个数必须是 1 到'],
    [['--units', '2', '--out', 'x', '--seed', '-3'], '随机种子必须是 0 到'],
    [['--units', '2'], '--out'],
    [['--out', 'x'], '--units'],
  ])('fails with exit 2 and a clear message for %j', (argv, message) => {
    const { out, io } = capture();
    expect(runGenerate(argv, io)).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('fails with exit 1 when the output folder cannot be made', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const { out, io } = capture();
    expect(runGenerate(['--units', '1', '--out', join(file, 'sub')], io)).toBe(1);
    expect(out.stderr).toContain('无法写入');
  });
});
