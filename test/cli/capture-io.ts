import { Readable } from "node:stream";
import type { CliIO } from "../../src/cli/io.js";

export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

/** A CliIO that records what a command prints, for a given working directory. */
export function captureIO(
  cwd: string,
  options: { tty?: boolean; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): CapturedIO {
  let stdout = "";
  let stderr = "";
  return {
    stdout: {
      write: (text: string) => (stdout += text),
      ...(options.tty === undefined ? {} : { isTTY: options.tty }),
    },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin, "utf8")]),
    cwd,
    env: options.env ?? {},
    out: () => stdout,
    err: () => stderr,
  };
}
