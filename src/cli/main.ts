import { parseArgs } from "node:util";
import { maskText } from "../core/privacy/stream-masker.js";
import type { Command } from "./command.js";
import { ConfigError, EXIT, UsageError } from "./errors.js";
import { processIO, type CliIO } from "./io.js";
import { optionErrorMessage } from "./option-error.js";
import { suggest } from "./suggest.js";

/** Commands load lazily so that `gatehouse scan` does not pay for Probot or openpgp. */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  check: () => import("./commands/check.js"),
  validate: () => import("./commands/validate.js"),
  scan: () => import("./commands/scan.js"),
  mask: () => import("./commands/mask.js"),
  init: () => import("./commands/init.js"),
  new: () => import("./commands/new.js"),
  keys: () => import("./commands/keys.js"),
  explain: () => import("./commands/explain.js"),
  hooks: () => import("./commands/hooks.js"),
  calendar: () => import("./commands/calendar.js"),
  audit: () => import("./commands/audit.js"),
  demo: () => import("./commands/demo.js"),
};

async function usage(): Promise<string> {
  const lines = ["Usage: gatehouse <command> [options]", "", "Commands:"];
  for (const load of Object.values(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${command.name.padEnd(10)}${command.summary}`);
  }
  lines.push(
    "",
    "Run 'gatehouse help <command>' (or 'gatehouse <command> --help') for its options.",
  );
  return lines.join("\n") + "\n";
}

function helpOf(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}\n\n${command.details.trimEnd()}\n`;
}

/** `gatehouse help <command>`: the same text as `gatehouse <command> --help`. */
async function helpFor(names: string[], io: CliIO): Promise<number> {
  const [name, ...extra] = names;
  const load = name === undefined || !Object.hasOwn(COMMANDS, name) ? undefined : COMMANDS[name];
  if (!load || extra.length > 0) {
    io.stderr.write(`gatehouse help: ${unknownCommand(names.join(" "))}\n`);
    return EXIT.usage;
  }
  io.stdout.write(helpOf((await load()).command));
  return EXIT.clear;
}

/** "unknown command 'chek'; did you mean 'check'?", and where the list of commands is. */
function unknownCommand(name: string): string {
  // An option where the command goes ("--verison") is compared with the options main knows.
  const option = name.startsWith("-");
  const hint = suggest(name, option ? ["--help", "--version"] : Object.keys(COMMANDS)) || ".";
  return `unknown ${option ? "option" : "command"} '${name}'${hint} Run 'gatehouse --help' for the list.`;
}

/** Runs the CLI and returns its exit status. Never throws for a user's mistake. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "help" && rest.length > 0) return helpFor(rest, io);
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(await usage());
    return name === undefined ? EXIT.usage : EXIT.clear;
  }
  if (name === "--version" || name === "-v") {
    const { createRequire } = await import("node:module");
    const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return EXIT.clear;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`gatehouse: ${unknownCommand(name)}\n`);
    return EXIT.usage;
  }
  const { command } = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(helpOf(command));
    return EXIT.clear;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: command.allowPositionals,
      strict: true,
    });
    return await command.run(parsed, io);
  } catch (error) {
    return reportError(command, error, io, rest);
  }
}

function reportError(command: Command, error: unknown, io: CliIO, args: string[]): number {
  // What went wrong may quote a path or a value: shown masked, as every output is; except a
  // value the user typed whole as an argument (`keys add --gpg wang.jun@acme.example`), which
  // is theirs and is echoed as typed.
  const typed = args.flatMap((arg) => [arg, arg.slice(arg.indexOf("=") + 1)]);
  // Exact patterns: a value entry would match any argument holding the same digits.
  const allow = typed.map((value) => ({
    pattern: new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
    reason: "typed by the user",
  }));
  const text = error instanceof Error ? error.message : String(error);
  const said = maskText(optionErrorMessage(error, command.options) ?? text, { allow });
  if (error instanceof UsageError || isParseArgsError(error)) {
    const message = said.replace(/\. To specify a positional.*$/s, ".").replace(/([^.?])$/, "$1.");
    io.stderr.write(
      `gatehouse ${command.name}: ${message} Run 'gatehouse ${command.name} --help'.\n`,
    );
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`gatehouse ${command.name}: ${said}\n`);
    return EXIT.usage;
  }
  // Not the user's mistake: say so in one line; the stack only when asked for.
  io.stderr.write(`gatehouse ${command.name}: internal error: ${said}\n`);
  if (io.env.GATEHOUSE_DEBUG && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  }
  return EXIT.usage;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
