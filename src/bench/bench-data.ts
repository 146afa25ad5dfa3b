/**
 * Data files for the batch cases of the benchmark: copies of the reference publication under
 * other unit names (reference-sized documents with their own text), and generated units of
 * varied size (1 to 60 projects, so tables run from one page to several).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateUnits } from '../testdata/generate.js';

/** Seed of the generated units; fixed, so every bench run renders the same documents. */
export const GENERATED_SEED = 2022;

/**
 * The reference data under another unit: `unit.name`, `unit.short_name` and `unit.code`
 * changed in the YAML text (so the document's title, running text and tables all differ),
 * everything else, and so the page count, the same. `index` ≥ 1.
 */
export function referenceCopy(yaml: string, index: number): string {
  const replacements: Array<[RegExp, (value: string) => string]> = [
    [/^(unit:\n {2}name: )(\S+)/m, (name) => `${name}第${index}分中心`],
    [/^( {2}short_name: )(\S+)/m, (name) => `${name.replace(/中心$/, '')}${index}分中心`],
    [/^( {2}code: ")(\d+)/m, () => String(700000 + index)],
  ];
  let text = yaml;
  for (const [pattern, replace] of replacements) {
    if (!pattern.test(text)) throw new Error(`bench: the reference data no longer matches ${pattern}; update referenceCopy`);
    text = text.replace(pattern, (_whole, head: string, value: string) => `${head}${replace(value)}`);
  }
  return text;
}

export type BatchKind = 'reference' | 'generated';

/** Write `count` data files of `kind` into `dir` (created); returns their paths. */
export function writeBatchData(dir: string, kind: BatchKind, count: number, referenceFile: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Array<{ name: string; yaml: string }> =
    kind === 'reference'
      ? Array.from({ length: count }, (_, i) => ({
          name: `ref-${String(i + 1).padStart(4, '0')}.yaml`,
          yaml: referenceCopy(readFileSync(referenceFile, 'utf8'), i + 1),
        }))
      : generateUnits(count, GENERATED_SEED);
  return files.map(({ name, yaml }) => {
    const path = join(dir, name);
    writeFileSync(path, yaml);
    return path;
  });
}
