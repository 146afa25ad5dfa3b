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
