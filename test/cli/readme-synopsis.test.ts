import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./capture-io.js";

const NAMES = [
  "check",
  "validate",
  "scan",
  "mask",
  "init",
  "new",
  "keys",
  "explain",
  "hooks",
  "calendar",
  "audit",
  "demo",
];

const words = (line: string) => line.trim().replace(/\s+/g, " ");

/** The README's synopsis: the code block of the CLI section that starts with `gatehouse check`. */
function readmeSynopsis(): string[] {
  const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
  const block = /```\n(gatehouse check {4}[^`]*)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error("README.md has no synopsis block");
  return block.trimEnd().split("\n").map(words);
}

describe("the README's synopsis of the CLI", () => {
  it("covers every command 'gatehouse --help' lists", async () => {
    const io = captureIO("/");
    expect(await main(["--help"], io)).toBe(0);
    const listed = [...io.out().matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toStrictEqual(NAMES);
  });

  it("is, line for line, what each command's --help prints as its usage", async () => {
    const usages: string[] = [];
    for (const name of NAMES) {
      const io = captureIO("/");
      expect(await main([name, "--help"], io)).toBe(0);
      const usage = /^Usage: ((?:.+\n)+)\n/.exec(io.out())?.[1] ?? "";
      usages.push(...usage.trimEnd().split("\n").map(words));
    }
    expect(readmeSynopsis()).toStrictEqual(usages);
  });
});
