import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceCopy, writeBatchData } from '../src/bench/bench-data.js';
import { checkTargets, formatReport, summarize, type BenchCase, type BenchReport } from '../src/bench/report.js';
import { loadBudget } from '../src/budget/load.js';
import { hasErrors } from '../src/budget/findings.js';

const REFERENCE = new URL('../data/luolong-zwfwzx-2022.yaml', import.meta.url).pathname;

describe('summarize', () => {
  it('gives the median (mean of the middle two for an even count), min and max, runs in order', () => {
    expect(summarize([3, 1, 2], 's')).toEqual({ unit: 's', runs: [3, 1, 2], median: 2, min: 1, max: 3 });
    expect(summarize([4, 1, 3, 2], 'ms').median).toBe(2.5);
    expect(() => summarize([], 's')).toThrow(RangeError);
  });
});

describe('report', () => {
  const cases: Record<string, BenchCase> = {
    'cold-single': { description: 'cold', value: summarize([0.7, 0.9, 0.8], 's'), extra: { 'peak RSS MB': summarize([200], 'MB') } },
    'batch-ref-200': { description: 'batch', value: summarize([10, 11], 'docs/s'), extra: {} },
  };

  it('checks each target against the median and says when a case was not run', () => {
    const results = checkTargets(cases, [
      { caseName: 'cold-single', figure: 'value', comparison: 'atMost', limit: 0.8, label: 'cold' },
      { caseName: 'cold-single', figure: 'peak RSS MB', comparison: 'atMost', limit: 150, label: 'rss' },
      { caseName: 'batch-ref-200', figure: 'value', comparison: 'atLeast', limit: 12, label: 'batch' },
      { caseName: 'warm-artifact', figure: 'value', comparison: 'atMost', limit: 0.15, label: 'warm' },
    ]);
    expect(results.map((r) => [r.label, r.median, r.met])).toEqual([
      ['cold', 0.8, true],
      ['rss', 200, false],
      ['batch', 10.5, false],
      ['warm', null, null],
    ]);
  });

  it('prints every case and target, and serialises to JSON and back', () => {
    const report: BenchReport = {
      version: '0.0.0',
      startedAt: '2022-01-01T00:00:00.000Z',
      quick: true,
      machine: { node: '20', platform: 'linux-x64', cpus: 2, cpuModel: 'cpu', loadAverageStart: 0.5, loadAverageEnd: 1 },
      cases,
      targets: checkTargets(cases, [{ caseName: 'cold-single', figure: 'value', comparison: 'atMost', limit: 0.8, label: 'cold single render (s)' }]),
      notes: ['a note'],
    };
    const text = formatReport(report);
    for (const expected of ['cold-single', 'peak RSS MB', 'batch-ref-200', 'met  cold single render (s): 0.800 ≤ 0.8', 'note: a note']) expect(text).toContain(expected);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('bench data', () => {
  it('copies the reference under another unit name and code, and the copy passes check', () => {
    const copy = referenceCopy(readFileSync(REFERENCE, 'utf8'), 7);
    expect(copy).toMatch(/^ {2}name: 洛龙区政务服务中心第7分中心$/m);
    expect(copy).toMatch(/^ {2}short_name: 区政务服务7分中心/m);
    expect(copy).toMatch(/^ {2}code: "700007"$/m);
    const work = mkdtempSync(join(tmpdir(), 'budget-pdf-bench-data-'));
    try {
      const [file] = writeBatchData(work, 'reference', 1, REFERENCE);
      const loaded = loadBudget(file!);
      expect(hasErrors(loaded.findings)).toBe(false);
      expect(loaded.budget?.unit.name).toBe('洛龙区政务服务中心第1分中心');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
