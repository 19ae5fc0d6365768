import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { captureIO as capture, type CapturedIO } from "./capture-io.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const LOG = "boot ok\n用户 13800138000 paid with 6222600260001072444\nfrom 10.12.3.4\n";
const MASKED = "boot ok\n用户 138****8000 paid with 622260*********2444\nfrom 10.12.*.*\n";
const KEY = "0123456789abcdef0123456789abcdef";

/** A CLI io that captures what a command writes, in a fresh temporary working directory. */
function captureIO(stdin = "", env: NodeJS.ProcessEnv = {}): CapturedIO {
  return capture(mkdtempSync(join(tmpdir(), "gatehouse-privacy-cli-")), { stdin, env });
}

describe("gatehouse mask", () => {
  it("writes the text with every value masked to standard output", async () => {
    const io = captureIO(LOG);
    expect(await main(["mask"], io)).toBe(0);
    expect(io.out()).toBe(MASKED);
  });

  it("masks a file into --output, leaving every other byte as it was", async () => {
    const io = captureIO();
    // Latin-1 bytes and a lone continuation byte: not UTF-8, still kept byte for byte.
    const raw = Buffer.concat([Buffer.from(LOG), Buffer.from([0xe9, 0x80, 0x0a])]);
    writeFileSync(join(io.cwd, "app.log"), raw);
    expect(await main(["mask", "app.log", "--output", "masked.log"], io)).toBe(0);
    const out = readFileSync(join(io.cwd, "masked.log"));
    expect(out.equals(Buffer.concat([Buffer.from(MASKED), Buffer.from([0xe9, 0x80, 0x0a])]))).toBe(
      true,
    );
  });

  it("changes nothing when masking masked text", async () => {
    const io = captureIO(MASKED);
    expect(await main(["mask", "-"], io)).toBe(0);
    expect(io.out()).toBe(MASKED);
  });

  it("refuses to write over its input", async () => {
    const io = captureIO();
    writeFileSync(join(io.cwd, "app.log"), LOG);
    expect(await main(["mask", "app.log", "-o", "./app.log"], io)).toBe(2);
    expect(io.err()).toMatch(/the output \.\/app\.log is the input file itself/);
    expect(readFileSync(join(io.cwd, "app.log"), "utf8")).toBe(LOG);
  });

  it("replaces values by stable tokens with --pseudonymize and a key file", async () => {
    const io = captureIO("a 13800138000\nb +86 138 0013 8000\nc 13900139000\n");
    writeFileSync(join(io.cwd, "key"), `${KEY}\n`);
    expect(await main(["mask", "--pseudonymize", "--key-file", "key"], io)).toBe(0);
    const [a, b, c] = io.out().split("\n");
    expect(a).toMatch(/^a <phone:[0-9a-f]{12}>$/);
    expect(b?.slice(2)).toBe(a?.slice(2));
    expect(c?.slice(2)).not.toBe(a?.slice(2));
    expect(io.out() + io.err()).not.toContain(KEY);
  });

  it("gives the same tokens with the key from GATEHOUSE_PSEUDONYM_KEY, across runs", async () => {
    const fromFile = captureIO("13800138000\n");
    writeFileSync(join(fromFile.cwd, "key"), KEY);
    await main(["mask", "--pseudonymize", "--key-file", "key"], fromFile);
    const fromEnv = captureIO("13800138000\n", { GATEHOUSE_PSEUDONYM_KEY: KEY });
    await main(["mask", "--pseudonymize"], fromEnv);
    expect(fromEnv.out()).toBe(fromFile.out());
  });

  it.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
    ["no key", ["mask", "--pseudonymize"], {}, /--pseudonymize needs a key/],
    [
      "a short key",
      ["mask", "--pseudonymize"],
      { GATEHOUSE_PSEUDONYM_KEY: "short" },
      /is 5 bytes; use at least 16/,
    ],
    [
      "a key without --pseudonymize",
      ["mask", "--key-file", "k"],
      {},
      /--key-file is only used with --pseudonymize/,
    ],
    ["a missing input", ["mask", "nope.log"], {}, /cannot read nope\.log: there is no such file/],
    ["two inputs", ["mask", "a", "b"], {}, /mask takes one input file/],
  ])("refuses %s with a one-line message and exit 2", async (_name, argv, env, message) => {
    const io = captureIO("x\n", env);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err().trim().split("\n")).toHaveLength(1);
  });

  it("never prints the key", async () => {
    const io = captureIO("x\n", { GATEHOUSE_PSEUDONYM_KEY: "tooshortsecret" });
    await main(["mask", "--pseudonymize"], io);
    expect(io.err()).not.toContain("tooshortsecret");
  });

  it.each<[string, string, string]>([
    ["86 without +", "tel 8613912345678\n", "tel 86139****5678\n"],
    ["0086", "tel 008613912345678\n", "tel 0086139****5678\n"],
    ["a letter after a mobile number", "13912345678a\n", "139****5678a\n"],
    ["letters before an ID", "id110105199003071239\n", "id110105********1239\n"],
  ])("masks %s, and scanning the result finds nothing", async (_name, raw, masked) => {
    const io = captureIO(raw);
    expect(await main(["mask"], io)).toBe(0);
    expect(io.out()).toBe(masked);
    const again = captureIO(io.out());
    expect(await main(["scan", "-"], again)).toBe(0);
    expect(again.out()).toBe("");
  });
});
