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
