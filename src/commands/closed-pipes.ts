/**
 * A reader that goes away (`budget-pdf render data/ | head`, a CI log collector that stops)
 * closes our stdout or stderr; Node then reports EPIPE as an unhandled error and the process
 * dies with a stack trace, in a batch before its manifest is written. Instead, output to a
 * closed stream is dropped and the command finishes its work: PDFs, texts and manifest.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();

/** Idempotent: each stream gets one listener however often a command runs in this process. */
export function dropOutputToClosedPipes(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // A closed reader: nothing more can be said there. Anything else is a real failure.
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
