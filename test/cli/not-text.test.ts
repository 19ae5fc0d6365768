import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./capture-io.js";
import { adopt, as, CHANGE, contextFile, governedRepo } from "./governed-repo.js";
import type { TempRepo } from "../git/temp-repo.js";

const utf16 = (text: string) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
const utf16be = (text: string) =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
// "支付网关" in GBK: what an editor set to a Chinese legacy code page saves.
const gbk = (text: string) =>
  Buffer.concat([Buffer.from(text, "utf8"), Buffer.from("title2: \xd6\xa7\xb8\xb6\n", "latin1")]);

const UTF16 =
  "the file is saved as UTF-16 (it starts with a UTF-16 byte-order mark), and gatehouse reads UTF-8 only; save it as UTF-8";
const NOT_UTF8 =
  "the file is not UTF-8 text (GBK or another legacy encoding?), and gatehouse reads UTF-8 only; save it as UTF-8";
const BINARY =
  "the file is binary (it holds a NUL byte); keep records and policy files as YAML text";

describe("gatehouse validate on a file that is not UTF-8 text", () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-not-text-"));
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    adopt(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, string, (dir: string) => Buffer, string]>([
    ["a record saved as UTF-16 (LE)", "changes/CHG-2026-0001.yaml", () => utf16(CHANGE), UTF16],
    ["a record saved as UTF-16 (BE)", "changes/CHG-2026-0001.yaml", () => utf16be(CHANGE), UTF16],
    ["a record in GBK", "changes/CHG-2026-0001.yaml", () => gbk(CHANGE), NOT_UTF8],
    [
      "a binary record",
      "changes/CHG-2026-0001.yaml",
      () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]),
      BINARY,
    ],
    [
      "roles.yml saved as UTF-16",
      "policies/roles.yml",
      (d) => utf16(readFileSync(join(d, "policies/roles.yml"), "utf8")),
      UTF16,
    ],
  ])("names %s once, with what to do, and exits 1", async (_name, path, bytes, message) => {
    writeFileSync(join(dir, path), bytes(dir));
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(1);
    // One problem, one line: not "the file is empty", nor what the loaders then miss in it.
    expect(io.out()).toBe(`${path}:1:1 ${message}\n`);
    expect(io.err()).toBe("gatehouse validate: 1 problem found.\n");
  });

  it("reads a record saved as UTF-8 with a byte-order mark, and with CRLF line ends", async () => {
    const crlf = CHANGE.replace(/\n/g, "\r\n");
    writeFileSync(join(dir, "changes/CHG-2026-0001.yaml"), `\ufeff${crlf}`);
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(0);
    expect(io.out()).toBe("1 record and the policy are valid.\n");
  });
});

describe("gatehouse check on a branch that commits a record saved as UTF-16", () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await governedRepo();
    repo.git("checkout", "-q", "-b", "chg-1");
    repo.write({ "changes/CHG-2026-0001.yaml": utf16(CHANGE) });
    repo.commit("CHG-2026-0001: requirements", as("liu-yang"));
  });
  afterAll(() => repo.dispose());

  it("fails, and says the file was left out because of its encoding, not that it holds personal data", async () => {
    const io = captureIO(repo.dir);
    const context = contextFile(repo.dir, "context.yml", "author: liu-yang\n");
    expect(await main(["check", "--base", "main", "--context", context], io), io.err()).toBe(1);
    expect(io.err()).toContain(
      `gatehouse check: note: changes/CHG-2026-0001.yaml (head) was left out of the check: ${UTF16}.\n`,
    );
    expect(io.out()).toMatch(
      /✖ privacy: 1 of 1 scanned file could not be read for the personal-data scan, so it cannot be shown free of personal data; make it UTF-8 text under the size limit\n/,
    );
    expect(io.out()).not.toMatch(/value of personal data|personal data in /);
  });
});
