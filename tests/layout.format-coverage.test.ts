/**
 * A unit's spending that its format prints in no table is a warning (format.data-not-shown) from
 * check and render: the reference unit in the reference format has none; in a copy of the format
 * without the 三公 and project tables it has two, naming the amounts; what the unit does not have
 * (政府性基金) is no warning when its table is left out.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBudget } from '../src/budget/load.js';
import { unshownInFormat } from '../src/layout/format-coverage.js';
import { loadTemplateSet } from '../src/layout/template-set.js';
import { runCheck } from '../src/commands/check.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = join(ROOT, 'data/luolong-zwfwzx-2022.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'format-coverage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the reference format without the attached tables named. */
function formatWithout(tables: string[]): string {
  const dir = join(tmp, `without-${tables.join('-')}`);
  cpSync(join(ROOT, 'templates/luoyang-2022'), dir, { recursive: true });
  const file = join(dir, 'report.yaml');
  const kept = readFileSync(file, 'utf8').split('\n').filter((line) => !tables.some((id) => line.includes(`{ id: ${id},`)));
  writeFileSync(file, kept.join('\n'));
  return dir;
}

const budget = loadBudget(REFERENCE).budget!;

describe('format.data-not-shown', () => {
  it('finds nothing for the reference unit in its own format', () => {
    expect(unshownInFormat(budget, loadTemplateSet('luoyang-2022'))).toEqual([]);
  });

  it('warns of the 三公 and the project spending a format prints nowhere, with the amounts', () => {
    const findings = unshownInFormat(budget, loadTemplateSet(formatWithout(['08-three-public', '11-projects', '12-performance', '09-government-fund'])));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['format.data-not-shown', 'warning'],
      ['format.data-not-shown', 'warning'],
    ]);
    expect(findings[0]!.message).toContain('“三公”经费 1.50 万元');
    expect(findings[1]!.message).toContain('项目支出 620.78 万元');
  });

  it('says nothing of what the format leaves out on purpose (attachments.leavesOut)', () => {
    const dir = formatWithout(['08-three-public', '11-projects', '12-performance']);
    const file = join(dir, 'report.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^attachments:\n/m, 'attachments:\n  leavesOut: [projects]\n'));
    const findings = unshownInFormat(budget, loadTemplateSet(dir));
    expect(findings.map((f) => f.message.slice(0, 20))).toEqual([expect.stringContaining('“三公”经费')]);
    expect(findings[0]!.message).toContain('attachments.leavesOut 中写 three_public');
  });

  it('warns of a leavesOut entry for what the format does print', () => {
    const dir = formatWithout(['11-projects']);
    const file = join(dir, 'report.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^attachments:\n/m, 'attachments:\n  leavesOut: [three_public]\n'));
    const findings = unshownInFormat(budget, loadTemplateSet(dir));
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('leavesOut 写了 three_public，但格式有印出“三公”经费的表格')]);
  });

  it('is reported by check at the data’s format: line, as a warning (exit 0)', () => {
    const dir = formatWithout(['11-projects', '12-performance']);
    const data = join(tmp, 'unit.yaml');
    const text = readFileSync(REFERENCE, 'utf8').replace(/^format: luoyang-2022/m, `format: ${dir}`);
    writeFileSync(data, text);
    const result = runCheck([data], { format: 'text' });
    expect(result.exitCode).toBe(0);
    const line = text.split('\n').findIndex((l) => l.startsWith('format:')) + 1;
    expect(result.stdout).toContain(`${data}:${line}:`);
    expect(result.stdout).toContain('format.data-not-shown');
  });
});
