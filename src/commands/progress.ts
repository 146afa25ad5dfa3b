/**
 * Progress of a batch: a bar with counts and ETA when stderr is a terminal; otherwise (CI logs)
 * one plain line per finished document on stdout, each prefixed with its count.
 */
import cliProgress from 'cli-progress';
import type { ConsoleIo } from './console-io.js';

export interface Progress {
  /** One document finished; `line` describes it for plain logs. */
  tick(line: string, failed: boolean): void;
  stop(): void;
}

export function startProgress(total: number, label: string, io: ConsoleIo): Progress {
  return io.stderr.isTTY ? progressBar(total, label, io) : progressLines(total, io);
}

function progressBar(total: number, label: string, io: ConsoleIo): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} | 失败 {failed} | 已用 {duration_formatted} | 剩余约 {eta_formatted}`,
      stream: io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      etaBuffer: 20,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let failed = 0;
  bar.start(total, 0, { failed });
  return {
    tick(_line, didFail) {
      if (didFail) failed += 1;
      bar.increment(1, { failed });
    },
    stop() {
      bar.stop();
    },
  };
}

function progressLines(total: number, io: ConsoleIo): Progress {
  const width = String(total).length;
  let done = 0;
  return {
    tick(line) {
      done += 1;
      io.stdout.write(`[${String(done).padStart(width)}/${total}] ${line}\n`);
    },
    stop() {},
  };
}
