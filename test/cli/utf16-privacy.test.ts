import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { asUtf8, UTF16Encoder } from "../../src/cli/utf16-text.js";
import { captureIO } from "./capture-io.js";

const LOG = "boot ok\n用户 13800138000 paid with 6222600260001072444\nfrom 10.12.3.4\n";
const MASKED = "boot ok\n用户 138****8000 paid with 622260*********2444\nfrom 10.12.*.*\n";

const le = (text: string) => Buffer.from(`\ufeff${text}`, "utf16le");
const be = (text: string) => Buffer.from(`\ufeff${text}`, "utf16le").swap16();

/** A Windows tool's log: personal data in UTF-16 has a NUL byte between its digits. */
describe.each([
  ["UTF-16LE", le],
  ["UTF-16BE", be],
])("gatehouse scan and mask on %s text", (_name, encode) => {
  const dir = () => mkdtempSync(join(tmpdir(), "gatehouse-utf16-"));

  it("scan finds the values in a named file, masked, and exits 1", async () => {
    const io = captureIO(dir());
    writeFileSync(join(io.cwd, "app.log"), encode(LOG));
    expect(await main(["scan", "app.log"], io)).toBe(1);
    expect(io.out()).toBe(
      "app.log:2:4 cn-mobile (0.90) 138****8000\napp.log:2:26 bank-card (0.90) 622260*********2444\napp.log:3:6 ipv4 (0.80) 10.12.*.*\n",
    );
  });

  it("scan walks into it in a directory instead of passing it over as binary", async () => {
    const io = captureIO(dir());
    mkdirSync(join(io.cwd, "logs"));
    writeFileSync(join(io.cwd, "logs/app.log"), encode(LOG));
    expect(await main(["scan", "logs"], io)).toBe(1);
    expect(io.out()).toContain("logs/app.log:2:4 cn-mobile (0.90) 138****8000\n");
  });

  it("mask writes the masked text back in the same encoding, byte-order mark and all", async () => {
    const io = captureIO(dir());
    writeFileSync(join(io.cwd, "app.log"), encode(LOG));
    expect(await main(["mask", "app.log", "--output", "masked.log"], io)).toBe(0);
    expect(readFileSync(join(io.cwd, "masked.log")).equals(encode(MASKED))).toBe(true);
    expect(io.err()).toMatch(/^gatehouse mask: masked 3 values/);
  });
});

describe("asUtf8 and UTF16Encoder", () => {
  it.each([
    ["UTF-16LE", le, "utf-16le"],
    ["UTF-16BE", be, "utf-16be"],
  ] as const)("read %s split at every byte, and write it back", async (_name, encode, encoding) => {
    const bytes = encode("a 用户 😀 z");
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    let found = "";
    const utf8: Buffer[] = [];
    for await (const chunk of asUtf8(Readable.from(chunks), (e) => (found = e))) utf8.push(chunk);
    expect(found).toBe(encoding);
    expect(Buffer.concat(utf8).toString("utf8")).toBe("\ufeffa 用户 😀 z");
    const encoder = new UTF16Encoder(encoding);
    const back = [...Buffer.concat(utf8)].map((b) => encoder.write(Buffer.from([b])));
    expect(Buffer.concat([...back, encoder.end()]).equals(bytes)).toBe(true);
  });

  it("passes other input through byte for byte, a lone first byte too", async () => {
    const chunks = [Buffer.from([0xe9]), Buffer.from("abc"), Buffer.from([0xff])];
    const out: Buffer[] = [];
    let found = "";
    for await (const chunk of asUtf8(Readable.from(chunks), (e) => (found = e))) out.push(chunk);
    expect(found).toBe("utf-8");
    expect(Buffer.concat(out).equals(Buffer.concat(chunks))).toBe(true);
  });
});
