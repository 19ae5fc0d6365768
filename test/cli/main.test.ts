import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./capture-io.js";

describe("gatehouse without a command, or with one it does not know", () => {
  it("prints the command list and exits 2 when no command is given", async () => {
    const io = captureIO("/");
    expect(await main([], io)).toBe(2);
    expect(io.out()).toMatch(/^Usage: gatehouse <command> \[options\]\n\nCommands:\n/);
    expect(io.out()).toMatch(/^ {2}check {5}Judge a branch/m);
    expect(io.err()).toBe("");
  });

  it.each([
    [["chek"], "gatehouse: unknown command 'chek'; did you mean 'check'?"],
    [
      ["valdiate", "--repo", "."],
      "gatehouse: unknown command 'valdiate'; did you mean 'validate'?",
    ],
    [["Init"], "gatehouse: unknown command 'Init'; did you mean 'init'?"],
    [["mas"], "gatehouse: unknown command 'mas'; did you mean 'mask'?"],
    [["--verison"], "gatehouse: unknown option '--verison'; did you mean '--version'?"],
    [["help", "chek"], "gatehouse help: unknown command 'chek'; did you mean 'check'?"],
    [["deploy-everything"], "gatehouse: unknown command 'deploy-everything'."],
  ])("answers %j with a suggestion when one is close, and exits 2", async (argv, message) => {
    const io = captureIO("/");
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toBe(`${message} Run 'gatehouse --help' for the list.\n`);
    expect(io.out()).toBe("");
  });
});

describe("a command given an option it does not know, or one without its value", () => {
  it.each([
    [
      ["check", "--contxt", "ctx.yml"],
      "gatehouse check: unknown option '--contxt'; did you mean '--context'?",
    ],
    [
      ["check", "--contxt=ctx.yml"],
      "gatehouse check: unknown option '--contxt'; did you mean '--context'?",
    ],
    [
      ["scan", "--formt", "json"],
      "gatehouse scan: unknown option '--formt'; did you mean '--format'?",
    ],
    [
      ["audit", "--recrod", "CHG-2026-0042"],
      "gatehouse audit: unknown option '--recrod'; did you mean '--record'?",
    ],
    [
      ["check", "--json"],
      "gatehouse check: unknown option '--json'; did you mean '--format json'?",
    ],
    [["audit", "--csv"], "gatehouse audit: unknown option '--csv'; did you mean '--format csv'?"],
    [["check", "--verbose"], "gatehouse check: unknown option '--verbose'."],
    [["demo", "--json"], "gatehouse demo: unknown option '--json'."],
    [["check", "--context"], "gatehouse check: --context needs a value."],
    [["mask", "-o"], "gatehouse mask: --output needs a value."],
    [["demo", "--keep=yes"], "gatehouse demo: --keep takes no value; write it alone."],
    [
      ["keys", "lst"],
      "gatehouse keys: unknown subcommand 'lst'; did you mean 'list'? The subcommands are 'list', 'verify' and 'add'.",
    ],
  ])("answers %j with what to type instead, and exits 2", async (argv, message) => {
    const io = captureIO("/");
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toBe(`${message} Run 'gatehouse ${argv[0]} --help'.\n`);
    expect(io.out()).toBe("");
  });

  it("masks personal data typed where an option goes, as every output does", async () => {
    const io = captureIO("/");
    expect(await main(["check", "--13812345678"], io)).toBe(2);
    expect(io.err()).toBe(
      "gatehouse check: unknown option '--138****5678'. Run 'gatehouse check --help'.\n",
    );
  });
});
