import type { CliIO } from "./io.js";

/**
 * Whether output to stdout may carry ANSI colours: only on a terminal, and never when
 * `NO_COLOR` is set to anything (https://no-color.org), so that logs and pipes stay plain.
 */
export function useColor(io: CliIO): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return io.stdout.isTTY === true;
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };

export type Paint = (style: keyof typeof CODES, text: string) => string;

/** A painter that colours when `enabled`, and otherwise returns the text unchanged. */
export function painter(enabled: boolean): Paint {
  return (style, text) => {
    if (!enabled) return text;
    const [on, off] = CODES[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  };
}
