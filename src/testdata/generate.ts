/**
 * Synthetic budget units for tests, benchmarks and batch rendering at scale:
 *
 *   npm run gen -- --units N --out DIR [--seed S]
 *
 * writes DIR/unit-0001.yaml … Each unit has the reference's structure and kinds of
 * text with its own name, codes and amounts, and passes every rule of `check`.
 * The same seed gives the same bytes; unit k does not depend on how many are made.
 * Any six consecutive units include one with a single project, one with 40–60
 * projects, units with 政府性基金 spending and units with every kind of 三公 item.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeUnit } from './synth.js';
import { DEFAULT_FORMAT, unitYaml } from './unit-yaml.js';

export const DEFAULT_SEED = 1;
export const MAX_UNITS = 100_000;

export interface GeneratedUnit {
  /** File name: unit-0001.yaml, … (wider numbers past 9999 units). */
  name: string;
  yaml: string;
}

function fileName(position: number, count: number): string {
  return `unit-${String(position).padStart(Math.max(4, String(count).length), '0')}.yaml`;
}

/** `count` units generated from `seed` (an integer 0 … 2^32−1), in memory. */
export function generateUnits(count: number, seed: number = DEFAULT_SEED, format: string = DEFAULT_FORMAT): GeneratedUnit[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_UNITS) throw new RangeError(`count must be an integer 0…${MAX_UNITS}, got ${count}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer 0…4294967295, got ${seed}`);
  return Array.from({ length: count }, (_, i) => ({ name: fileName(i + 1, count), yaml: unitYaml(synthesizeUnit(seed, i), format) }));
}

function integerOption(label: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${label}必须是 ${min} 到 ${max} 之间的整数。`);
    const n = Number(value.trim());
    if (n < min || n > max) throw new InvalidArgumentError(`${label}必须是 ${min} 到 ${max} 之间的整数。`);
    return n;
  };
}

export interface GenerateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: GenerateIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Runs the command line; exit code 0 on success, 1 when the files cannot be written, 2 on bad arguments. */
export function runGenerate(argv: string[], io: GenerateIo = processIo): number {
  let exitCode = 0;
  const program = new Command()
    .name('gen')
    .description('生成合成的单位预算数据文件（测试与性能测试用）')
    .requiredOption('--units <n>', `单位个数（1 到 ${MAX_UNITS}）`, integerOption('单位个数', 1, MAX_UNITS))
    .requiredOption('--out <dir>', '输出文件夹（不存在时创建）')
    .option('--seed <s>', '随机种子（0 到 4294967295）', integerOption('随机种子', 0, 0xffffffff), DEFAULT_SEED)
    .option('--format <format>', '数据文件的公开格式（templates/ 下的文件夹名，或相对于输出文件夹的路径）', DEFAULT_FORMAT)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action((opts: { units: number; out: string; seed: number; format: string }) => {
      exitCode = writeUnits(opts.units, opts.out, opts.seed, opts.format, io);
    });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return exitCode;
}

function writeUnits(count: number, out: string, seed: number, format: string, io: GenerateIo): number {
  const units = generateUnits(count, seed, format);
  try {
    mkdirSync(out, { recursive: true });
    for (const u of units) writeFileSync(join(out, u.name), u.yaml);
  } catch (error) {
    io.stderr(`无法写入 ${out}：${(error as Error).message}\n`);
    return 1;
  }
  const written = new Set(units.map((u) => u.name));
  const stale = readdirSync(out).filter((f) => /^unit-\d+\.yaml$/.test(f) && !written.has(f));
  if (stale.length > 0) {
    io.stderr(`注意：${out} 中还有 ${stale.length} 个以前生成的 unit-*.yaml（如 ${stale[0]}），本次没有覆盖；批量渲染整个文件夹时会包括它们。\n`);
  }
  io.stdout(`已生成 ${count} 个合成单位数据文件到 ${resolve(out)}（种子 ${seed}）\n`);
  return 0;
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = runGenerate(process.argv.slice(2));
