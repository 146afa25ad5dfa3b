/** Where a long-running command writes as it goes: injected, so tests capture the output. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ConsoleIo {
  stdout: OutputStream;
  stderr: OutputStream;
}

export function processIo(): ConsoleIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/**
 * Colour on `stream`? As Node itself decides: FORCE_COLOR turns it on (unless it is `0` or
 * `false`, which turn it off), else NO_COLOR with any value turns it off, else only on a terminal.
 * CI logs that render ANSI set FORCE_COLOR; people who never want colour set NO_COLOR once.
 */
export function colorEnabled(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined) return false;
  return stream.isTTY === true;
}
