import type { ParseArgsConfig } from "node:util";
import type { CliIO } from "./io.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** One `gatehouse` sub-command. `main` parses its flags strictly and prints its help. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The synopsis line, as in DESIGN.md's CLI contract. */
  usage: string;
  /** What each option and argument means, shown by `--help`. */
  details: string;
  options: OptionSpec;
  allowPositionals: boolean;
  /** Returns the exit status: 0 all clear, 1 blocked, 2 usage or configuration error. */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}
