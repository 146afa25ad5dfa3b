/**
 * `budget-pdf fields` lists what a template author can use. It is built from the objects the
 * renderer uses; these tests hold it to that: every field the reference format's texts quote is
 * listed, with this unit's value, and so is every helper, figure name and list with its keys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runFields } from '../src/commands/fields.js';
import { LIST_CELL_KEYS, LIST_NAMES } from '../src/budget/views.js';
import { TEXT_HELPERS } from '../src/layout/text-helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = join(ROOT, 'data/luolong-zwfwzx-2022.yaml');
const result = runFields(REFERENCE);
const listed = result.stdout.split('\n');

/** The value printed beside a path, or undefined when the path is not listed. */
function valueOf(path: string): string | undefined {
  const line = listed.find((l) => l.trimStart().startsWith(`${path} `));
  return line?.trim().slice(path.length).trim();
}

describe('budget-pdf fields', () => {
  it('lists text fields with this unit’s values', () => {
    expect(result.exitCode).toBe(0);
    expect(valueOf('f.basic')).toBe('245.23');
    expect(valueOf('unit.name')).toBe('“洛龙区政务服务中心”');
    expect(valueOf('year')).toBe('2022');
    expect(valueOf('unit.duties')).toMatch(/^列表，9 项/);
  });

  it('lists every field the reference format’s texts quote', () => {
    const dir = join(ROOT, 'templates/luoyang-2022/text');
    const quoted = new Set<string>();
    for (const name of readdirSync(dir)) {
      const source = readFileSync(join(dir, name), 'utf8');
      // Dotted paths inside {{…}}: f.change.total, threePublic.abroad, unit.name (helpers and keywords have no dot).
      // @root.amountUnit is amountUnit seen from inside a loop.
      for (const [, inner] of source.matchAll(/\{\{([^}]*)\}\}/g)) {
        for (const [path] of inner!.replace(/@root\./g, '').matchAll(/\b[a-zA-Z_]\w*(?:\.\w+)+/g)) quoted.add(path);
      }
    }
    expect(quoted.size).toBeGreaterThan(20);
    const paths = listed.map((l) => l.trim().split(/\s+/)[0]!);
    const missing = [...quoted].filter((q) => !paths.some((p) => p === q || p.startsWith(`${q}.`)));
    expect(missing).toEqual([]);
  });

  it('lists every helper, every table figure with its value, and every list with its keys', () => {
    for (const helper of Object.keys(TEXT_HELPERS)) expect(valueOf(helper), helper).toBeDefined();
    expect(valueOf('income.total')).toBe('866.01');
    expect(valueOf('expense.class.201')).toBeDefined();
    for (const list of LIST_NAMES) {
      const at = listed.findIndex((l) => l.trim().startsWith(`${list}（`));
      expect(at, list).toBeGreaterThan(0);
      expect(listed[at + 1]!.trim()).toBe(LIST_CELL_KEYS[list].join('、'));
    }
  });

  it('refuses a file it cannot read, with the reason and exit 2', () => {
    const missing = runFields(join(ROOT, 'data/no-such-unit.yaml'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no-such-unit.yaml');
    expect(missing.stdout).toBe('');
  });
});
