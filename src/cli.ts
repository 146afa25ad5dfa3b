/**
 * The command line. Thin: it parses arguments and calls the commands; each command's
 * modules are imported only when that command runs, so `check` never loads pdfmake.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { dropOutputToClosedPipes } from './commands/closed-pipes.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

interface Output {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function emit(result: Output): number {
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  return result.exitCode;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('应为正整数');
  return n;
}

/** `--format json` asked for: a usage error is then JSON on stdout too, so a CI step parsing it never finds nothing. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--format=json' || (arg === '--format' && argv[i + 1] === 'json'));
}

/** A usage error as the JSON the command would write: check's shape, or diff's findings. */
function usageJson(argv: readonly string[], message: string): string {
  const json =
    argv[0] === 'diff'
      ? { schema: 'budget-pdf.diff/1', exitCode: 2, findings: [{ rule: 'cli.usage', severity: 'error', message }] }
      : { schema: 'budget-pdf.check/1', files: [], errors: 1, warnings: 0, exitCode: 2, usage: message };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export async function main(argv: string[]): Promise<number> {
  dropOutputToClosedPipes();
  let exitCode = 0;
  let usageError = '';
  const program = new Command()
    .name('budget-pdf')
    .description('单位预算公开：由 YAML 数据生成预算说明 PDF')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => {
        usageError += s;
        process.stderr.write(s);
      },
    });

  program
    .command('check')
    .description('检查数据文件的格式与数字是否前后一致')
    .argument('<files...>', '数据文件（YAML），或包含 *.yaml 的文件夹')
    .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
    .addHelpText('after', exitCodes('没有错误（可有警告）', '有数据错误', '文件无法读取或解析，或公开格式（模板）不能用'))
    .action(async (files: string[], opts: { format: 'text' | 'json' }) => {
      // check composes the publication as render does: its fonts are read on another thread meanwhile.
      const { fontsReadAhead, prefetchFonts } = await import('./pdf/font-prefetch.js');
      void prefetchFonts();
      const { runCheck } = await import('./commands/check.js');
      await fontsReadAhead();
      exitCode = emit(runCheck(files, opts));
    });

  program
    .command('render')
    .description('检查后生成预算说明 PDF（有错误时不生成）；文件夹或多个文件时批量生成，并写出文字与清单 manifest.json')
    .argument('<inputs...>', '数据文件（YAML），或包含 *.yaml 的文件夹')
    .option('-o, --out <path>', '单个文件：输出 PDF（以 .pdf 结尾）或文件夹；批量：输出文件夹（默认 output/）')
    .option('--draft', '即使有错误也生成，每页加“草稿”水印')
    .option('--shard <k/n>', '只生成第 K 份（共 N 份，按文件大小均分；N 个 CI 任务合起来恰好各生成一次）')
    .option('-j, --jobs <n>', '并行线程数（默认 CPU 核数）', parsePositiveInt)
    .addHelpText('after', exitCodes('全部生成', '有文件因数据错误未生成', '有文件无法读取、解析或写入，或参数有误') + '\n  130 / 143 被 Ctrl-C（SIGINT）/ SIGTERM 中断（已写出的文件记入清单）')
    .action(async (inputs: string[], opts: { out?: string; draft?: boolean; shard?: string; jobs?: number }) => {
      // One PDF: its fonts are read on another thread while this one loads the rest of the program.
      const { isSingleRender } = await import('./render/batch-inputs.js');
      if (isSingleRender(inputs, opts.shard)) void (await import('./pdf/font-prefetch.js')).prefetchFonts();
      const { runRender } = await import('./commands/render.js');
      exitCode = await runRender(inputs, opts);
    });

  program
    .command('verify')
    .description('按清单重新生成每个 PDF，核对是否逐字节一致、输入是否改动；可一次核验多个清单（如 CI 各分片的清单）')
    .argument('[manifests...]', '清单文件，或含清单的文件夹（manifest.json 与各分片的 manifest-K-of-N.json；默认 output/）')
    .option('-j, --jobs <n>', '并行线程数（默认 CPU 核数）', parsePositiveInt)
    .option('--root <dir>', '生成时的工作目录现在所在的位置（清单文件夹被移动过时用来找数据文件；默认当前目录）')
    .addHelpText('after', exitCodes('每一项都可复现', '有项不一致，或清单记录了没有生成的 PDF', '无法核验：清单读不了、缺分片的清单、找不到数据'))
    .action(async (manifests: string[], opts: { jobs?: number; root?: string }) => {
      const { runVerify } = await import('./commands/verify.js');
      exitCode = await runVerify(manifests, opts);
    });

  program
    .command('diff')
    .description('比较两份 PDF（逐页文字与数字），或两份数据文件（按表、行、列，及正文句子）')
    .argument('<old>', '原 PDF 或数据文件（YAML）')
    .argument('<new>', '新 PDF 或数据文件（YAML）')
    .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
    .addHelpText('after', exitCodes('文字（或数据）相同', '有差异', '文件无法读取（不是 PDF、YAML 有语法错误等）'))
    .action(async (oldPath: string, newPath: string, opts: { format: 'text' | 'json' }) => {
      const [{ runDiff }, { colorEnabled }] = await Promise.all([import('./review/run-diff.js'), import('./commands/console-io.js')]);
      exitCode = emit(await runDiff(oldPath, newPath, { format: opts.format, color: colorEnabled(process.stdout) }));
    });

  program
    .command('fields')
    .description('列出模板可用的字段、helper、表格数字与列表（附本单位的值），供编写公开格式时查阅')
    .argument('<file>', '数据文件（YAML）')
    .action(async (file: string) => {
      const { runFields } = await import('./commands/fields.js');
      exitCode = emit(runFields(file));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      if (wantsJson(argv)) process.stdout.write(usageJson(argv, usageError.trim() || error.message));
      return 2;
    }
    throw error;
  }
  return exitCode;
}

/** The 退出码 part of a command's --help. */
function exitCodes(zero: string, one: string, two: string): string {
  return `\n退出码：\n  0 ${zero}\n  1 ${one}\n  2 ${two}`;
}
