import type { OptionSpec } from "./command.js";
import { suggest } from "./suggest.js";

/**
 * What node:util's parseArgs said, as a sentence that says what to type instead: a mistyped
 * option gets the command's closest option ("unknown option '--contxt'; did you mean
 * '--context'?"), and `--json`, which many CLIs take, points at `--format json`.
 */
export function optionErrorMessage(error: unknown, options: OptionSpec): string | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== "string") return undefined;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const typed = /'([^']*)'/.exec(message)?.[1];
    if (typed === undefined) return undefined;
    const name = typed.replace(/^-+/, "").replace(/=.*$/, "");
    const known = Object.keys(options);
    const hint =
      (name === "json" || name === "csv" || name === "markdown") && known.includes("format")
        ? `; did you mean '--format ${name}'?`
        : suggest(name, known, "--");
    return `unknown option '${typed}'${hint}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
    if (missing) return `${missing[1]} needs a value`;
    const extra = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
    if (extra) return `${extra[1]} takes no value; write it alone`;
  }
  return undefined;
}
