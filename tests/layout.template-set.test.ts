/**
 * A template author's mistakes in a format folder are findings naming the file and line when the
 * format is loaded (or, for a field a text names that does not exist, when `check` fills the texts
 * in), never a stack trace at render time; `check` and `render` exit 2 and write nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBudget } from '../src/budget/load.js';
import { narrativeContext } from '../src/layout/narrative.js';
import { TemplateError } from '../src/layout/report-outline.js';
import { loadTemplateSet } from '../src/layout/template-set.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = readFileSync(join(ROOT, 'data/luolong-zwfwzx-2022.yaml'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'template-set-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let count = 0;
/** A copy of the reference format with one file edited. */
function formatWith(file: string, edit: (text: string) => string): string {
  const dir = join(tmp, `format-${++count}`);
  cpSync(join(ROOT, 'templates/luoyang-2022'), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

function loadError(dir: string): TemplateError {
  try {
    loadTemplateSet(dir);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('the format loaded');
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('loading a format checks what report.yaml names', () => {
  it('names a table id without a layout file at its line, with the nearest id', () => {
    const dir = formatWith('report.yaml', (t) => t.replace('{ id: 11-projects,', '{ id: 11-project,'));
    const [finding] = loadError(dir).findings;
    const report = readFileSync(join(dir, 'report.yaml'), 'utf8');
    expect(finding).toMatchObject({ rule: 'template.unknown-table', loc: { file: join(dir, 'report.yaml'), line: lineOf(report, '11-project,') } });
    expect(finding!.message).toContain('是否应为“11-projects”');
  });

  it('refuses a page number pattern with a placeholder other than {page}, or without {page}', () => {
    for (const [pattern, says] of [['第 {pagee} 页', '没有 {pagee}'], ['第 页', '里没有 {page}']] as const) {
      const dir = formatWith('report.yaml', (t) => t.replace('pageNumber: "— {page} —"', `pageNumber: "${pattern}"`));
      const [finding, ...rest] = loadError(dir).findings;
      expect(rest).toEqual([]);
      const report = readFileSync(join(dir, 'report.yaml'), 'utf8');
      expect(finding).toMatchObject({ rule: 'template.page-number', loc: { file: join(dir, 'report.yaml'), line: lineOf(report, pattern) } });
      expect(finding!.message).toContain(says);
    }
  });

  it('names a misnamed text and table in report.yaml in the same run as a broken table file', () => {
    const dir = formatWith('report.yaml', (t) => t.replace('text: overview }', 'text: overveiw }').replace('{ id: 11-projects,', '{ id: 11-project,'));
    const table = join(dir, 'tables/08-three-public.yaml');
    writeFileSync(table, readFileSync(table, 'utf8').replace('list: three-public', 'list: three-publik'));
    const rules = loadError(dir).findings.map((f) => f.rule).sort();
    expect(rules).toContain('template.unknown-text');
    expect(rules).toContain('template.unknown-table');
    expect(rules.filter((r) => !r.startsWith('template.unknown-t'))).not.toEqual([]); // and the table file's own mistake
  });

  it('names a text id without a .hbs file', () => {
    const dir = formatWith('report.yaml', (t) => t.replace('text: overview }', 'text: overveiw }'));
    const [finding] = loadError(dir).findings;
    expect(finding).toMatchObject({ rule: 'template.unknown-text', loc: { file: join(dir, 'report.yaml') } });
    expect(finding!.message).toContain('是否应为“overview”');
  });

  it('names a Handlebars syntax error with its file and line', () => {
    const dir = formatWith('text/three-public.hbs', (t) => t.replace('{{wan threePublic.abroad}}', '{{wan threePublic.abroad}'));
    const [finding] = loadError(dir).findings;
    expect(finding).toMatchObject({ rule: 'template.syntax', loc: { file: join(dir, 'text/three-public.hbs'), line: 5 } });
  });

  it('names a helper that does not exist, with the helpers there are', () => {
    const dir = formatWith('text/expense.hbs', (t) => t.replace('{{wan f.basic}}', '{{wanyuan f.basic}}'));
    const [finding] = loadError(dir).findings;
    expect(finding).toMatchObject({ rule: 'template.unknown-helper', loc: { file: join(dir, 'text/expense.hbs'), line: 1 } });
    expect(finding!.message).toContain('wanyuan');
    expect(finding!.message).toContain('wan、change');
  });

  it('finds an unknown helper inside a block and inside a subexpression', () => {
    for (const [from, to, name] of [
      ['{{wan f.basic}}', '{{#if f.basic}}{{wanyuan f.basic}}{{/if}}', 'wanyuan'],
      ['{{wan f.basic}}', '{{wan (summ f.basic f.project)}}', 'summ'],
    ] as const) {
      const dir = formatWith('text/expense.hbs', (t) => t.replace(from, to));
      const [finding] = loadError(dir).findings;
      expect(finding).toMatchObject({ rule: 'template.unknown-helper', loc: { file: join(dir, 'text/expense.hbs'), line: 1 } });
      expect(finding!.message).toContain(name);
      // A near name is suggested (summ → sum); wanyuan is too far from any.
      if (name === 'summ') expect(finding!.message).toContain('是否应为“sum”？');
      else expect(finding!.message).not.toContain('是否应为');
    }
  });

  it('names a table placeholder that does not exist when the format loads, with the nearest', () => {
    const dir = formatWith('tables/02-income.yaml', (t) => t.replace('title: "{year}', 'title: "{yeer}'));
    const [finding] = loadError(dir).findings;
    expect(finding).toMatchObject({ rule: 'layout.placeholder', loc: { file: join(dir, 'tables/02-income.yaml'), line: lineOf(readFileSync(join(dir, 'tables/02-income.yaml'), 'utf8'), '{yeer}') } });
    expect(finding!.message).toContain('是否应为“{year}”？');
  });

  it('checks the inline texts of report.yaml too', () => {
    const dir = formatWith('report.yaml', (t) => t.replace('title: "{{unit.name}}概况"', 'title: "{{unit.name}概况"'));
    const [finding] = loadError(dir).findings;
    expect(finding).toMatchObject({ rule: 'template.syntax', loc: { file: join(dir, 'report.yaml') } });
  });
});

describe('a text that names a field that does not exist', () => {
  const budget = loadBudget(join(ROOT, 'data/luolong-zwfwzx-2022.yaml')).budget!;
  const unitWith = (dir: string): string => {
    const data = join(tmp, `unit-${count}.yaml`);
    writeFileSync(data, REFERENCE.replace('format: luoyang-2022', `format: ${dir}`));
    return data;
  };

  it('is an error, not 0, when it is a helper argument', () => {
    const dir = formatWith('text/expense.hbs', (t) => t.replace('{{wan f.basic}}', '{{wan f.basik}}'));
    const text = readFileSync(join(dir, 'text/expense.hbs'), 'utf8');
    const findings = loadTemplateSet(dir).narrative.trial(narrativeContext(budget));
    expect(findings).toHaveLength(1);
    // At the path itself: line and column.
    const col = text.split('\n')[0]!.indexOf('f.basik') + 1;
    expect(findings[0]).toMatchObject({ rule: 'template.missing-value', loc: { file: join(dir, 'text/expense.hbs'), line: 1, col } });
    expect(findings[0]!.message).toContain('字段“f.basik”不存在');
    expect(findings[0]!.message).toContain('是否应为“f.basic”');
  });

  it('names a misspelt middle part of a helper argument at its line, not as a syntax error', () => {
    const dir = formatWith('text/general-public.hbs', (t) => t.replace('{{wan f.generalPublic.basic}}', '{{wan f.generalPublc.basic}}'));
    const findings = loadTemplateSet(dir).narrative.trial(narrativeContext(budget));
    expect(findings.map((f) => f.rule)).toEqual(['template.missing-value']);
    expect(findings[0]!.message).toContain('是否应为“f.generalPublic.basic”');
    // render fills the text in and fails there: the same finding, not Handlebars' TypeError.
    const rendered = spawnSync(process.execPath, [join(ROOT, 'bin/budget-pdf.js'), 'render', unitWith(dir), '-o', join(tmp, `out-${count}`, 'u.pdf')], { encoding: 'utf8' });
    expect(rendered.status).toBe(2);
    expect(rendered.stderr).toContain('是否应为“f.generalPublic.basic”');
    expect(rendered.stderr).not.toContain('Cannot read properties');
  });

  it('finds a misspelt field on a branch this unit does not take', () => {
    // The reference unit has no 政府性基金: the {{#if}} branch is never filled in for it.
    const dir = formatWith('text/government-fund.hbs', (t) => t.replace('{{wan f.expenseByFund.government_fund}}', '{{wan f.expenseByFund.goverment_fund}}'));
    const text = readFileSync(join(dir, 'text/government-fund.hbs'), 'utf8');
    const [finding, ...rest] = loadTemplateSet(dir).narrative.trial(narrativeContext(budget));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'template.missing-value', loc: { line: 1, col: text.indexOf('f.expenseByFund.goverment_fund') + 1 } });
    expect(finding!.message).toContain('是否应为“f.expenseByFund.government_fund”');
  });

  it('checks the fields inside {{#each}} of a list this unit leaves empty, and points at @root for an outer field', () => {
    // The reference has no 专项转移支付: its {{#each}} is checked with a stand-in item.
    const dir = formatWith('text/special-transfers.hbs', (t) => t.replace('{{#each specialTransfers}}{{name}}', '{{#each specialTransfers}}{{nmae}}{{year}}'));
    const messages = loadTemplateSet(dir).narrative.trial(narrativeContext(budget)).map((f) => f.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('字段“nmae”不存在（拼写错误？），是否应为“name”');
    expect(messages[1]).toContain('在 {{#each}} 或 {{#with}} 之内，外层的字段要写 @root.year');
  });

  it('follows {{#each}}, {{#with}}, block parameters, ../ and @root to the fields they name', () => {
    const dir = formatWith('text/duties.hbs', () =>
      ['{{#each unit.duties as |duty i|}}{{duty}}{{duty.x}}{{../year}}{{../yaer}}{{@index}}{{/each}}', '{{#with f}}{{basic}}{{basik}}{{/with}}{{f.basic.x}}{{@root.f.basc}}', '{{#each unit.dutys}}{{this}}{{/each}}'].join('\n'),
    );
    const messages = loadTemplateSet(dir).narrative.trial(narrativeContext(budget)).map((f) => `${f.loc!.line}:${f.loc!.col} ${f.message.replace(/^[^：]*：/, '')}`);
    expect(messages).toEqual([
      '1:44 “duty”是文字，没有字段“x”。',
      '1:65 字段“yaer”不存在（拼写错误？），是否应为“year”。',
      '2:23 字段“basik”不存在（拼写错误？），是否应为“basic”。',
      '2:41 “f.basic”是金额，没有下一级字段“x”。',
      '2:54 字段“@root.f.basc”不存在（拼写错误？），是否应为“@root.f.basic”。',
      '3:9 字段“unit.dutys”不存在（拼写错误？）；“unit”下可用的字段：“name”、“shortName”、“scope”、“code”、“department”、“duties”、“composition”。',
    ]);
  });

  it('is an error naming the field when it is printed as it is', () => {
    const dir = formatWith('text/expense.hbs', (t) => t.replace('{{year}}', '{{yaer}}'));
    const findings = loadTemplateSet(dir).narrative.trial(narrativeContext(budget));
    expect(findings.map((f) => f.rule)).toEqual(['template.missing-value']);
    expect(findings[0]!.message).toContain('yaer');
    expect(findings[0]!.message).toContain('是否应为“year”');
  });

  it('names the whole path of a misspelt nested field, with the nearest that exists', () => {
    const dir = formatWith('text/composition.hbs', (t) => t.replace('{{unit.shortName}}', '{{unit.shortNmae}}'));
    const [finding] = loadTemplateSet(dir).narrative.trial(narrativeContext(budget));
    expect(finding!.message).toContain('字段“unit.shortNmae”不存在');
    expect(finding!.message).toContain('是否应为“unit.shortName”');
  });

  it('leaves the reference format without findings', () => {
    expect(loadTemplateSet('luoyang-2022').narrative.trial(narrativeContext(budget))).toEqual([]);
  });
});

describe('check names a text’s mistakes and a table’s in one run', () => {
  it('fills the texts in even when a table layout does not load', () => {
    const dir = formatWith('text/expense.hbs', (t) => t.replace('{{wan f.basic}}', '{{wan f.basik}}'));
    const table = join(dir, 'tables/08-three-public.yaml');
    writeFileSync(table, readFileSync(table, 'utf8').replace(/^title:/m, 'titel:'));
    const data = join(tmp, `unit-${count}-both.yaml`);
    writeFileSync(data, REFERENCE.replace('format: luoyang-2022', `format: ${dir}`));
    const checked = spawnSync(process.execPath, [join(ROOT, 'bin/budget-pdf.js'), 'check', data], { encoding: 'utf8' });
    expect(checked.status).toBe(2);
    expect(checked.stdout).toContain(`${table}:`);
    expect(checked.stdout).toContain(`${join(dir, 'text/expense.hbs')}:1:`);
    expect(checked.stdout).toContain('是否应为“f.basic”');
  });
});

describe('check names every text’s mistakes in one run', () => {
  it('fills the other texts in when one does not compile', () => {
    const dir = formatWith('text/expense.hbs', (t) => t.replace('{{wan f.basic}}', '{{wann f.basic}}'));
    const income = join(dir, 'text/income.hbs');
    writeFileSync(income, readFileSync(income, 'utf8').replace('{{wan income.general_public}}', '{{wan income.generl_public}}'));
    const data = join(tmp, `unit-${count}-texts.yaml`);
    writeFileSync(data, REFERENCE.replace('format: luoyang-2022', `format: ${dir}`));
    const checked = spawnSync(process.execPath, [join(ROOT, 'bin/budget-pdf.js'), 'check', data], { encoding: 'utf8' });
    expect(checked.status).toBe(2);
    expect(checked.stdout).toContain('没有名为“wann”的 helper；是否应为“wan”？');
    expect(checked.stdout).toContain('是否应为“income.general_public”');
    // The text that did not compile is reported once, not also as missing.
    expect(checked.stdout).not.toContain('不存在（text/expense.hbs）');
  });
});

describe('check and render with a broken format', () => {
  function run(...args: string[]) {
    return spawnSync(process.execPath, [join(ROOT, 'bin/budget-pdf.js'), ...args], { encoding: 'utf8' });
  }

  it.each([
    ['a missing table layout', 'report.yaml', (t: string) => t.replace('{ id: 11-projects,', '{ id: 11-project,')],
    ['a misspelt field in a text', 'text/expense.hbs', (t: string) => t.replace('{{wan f.basic}}', '{{wan f.basik}}')],
  ])('exit 2 with the file named, no stack trace and no PDF: %s', (_name, file, edit) => {
    const dir = formatWith(file, edit);
    const data = join(tmp, `unit-${count}.yaml`);
    writeFileSync(data, REFERENCE.replace('format: luoyang-2022', `format: ${dir}`));
    const checked = run('check', data);
    expect(checked.status).toBe(2);
    expect(checked.stdout).toContain(join(dir, file));
    const pdf = join(tmp, `out-${count}`, 'unit.pdf');
    const rendered = run('render', data, '-o', pdf);
    expect(rendered.status).toBe(2);
    expect(rendered.stderr).toContain(join(dir, file));
    expect(`${rendered.stdout}${rendered.stderr}`).not.toMatch(/\n\s+at /);
    expect(existsSync(pdf)).toBe(false);
  });
});
