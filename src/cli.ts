/**
 * The command line. Thin: it parses arguments and calls the commands; each command's
 * modules are imported only when that command runs, so `check` never loads pdfmake.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';

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

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('budget-pdf')
    .description('单位预算公开：由 YAML 数据生成预算说明 PDF')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('check')
    .description('检查数据文件的格式与数字是否前后一致')
    .argument('<files...>', '数据文件（YAML）')
    .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
    .action(async (files: string[], opts: { format: 'text' | 'json' }) => {
      const { runCheck } = await import('./commands/check.js');
      exitCode = emit(runCheck(files, opts));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return exitCode;
}
