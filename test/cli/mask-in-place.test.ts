import {
  chmodSync,
  lstatSync,
  symlinkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO as capture, type CapturedIO } from "./capture-io.js";

const LOG =
  "boot ok\n用户 13800138000 paid with 6222600260001072444\nfrom 10.12.3.4\n电话 010-12345678\n";
const MASKED =
  "boot ok\n用户 138****8000 paid with 622260*********2444\nfrom 10.12.*.*\n电话 010-****5678\n";

function captureIO(stdin = ""): CapturedIO {
  return capture(mkdtempSync(join(tmpdir(), "gatehouse-mask-")), { stdin });
}

/** A repository's privacy.yml whose allow-list lets one address through. */
const POLICY = `version: 1
paths: ["logs/**"]
allow:
  - value: "10.12.3.4"
    detectors: [ipv4]
    reason: the load balancer's documented address
`;

describe("gatehouse mask --in-place", () => {
  it("masks the file where it is, keeps its mode, leaves nothing beside it, and counts", async () => {
    const io = captureIO();
    const file = join(io.cwd, "app.log");
    writeFileSync(file, LOG);
    chmodSync(file, 0o640);
    expect(await main(["mask", "--in-place", "app.log"], io)).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(MASKED);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(io.cwd)).toStrictEqual(["app.log"]);
    expect(io.out()).toBe("");
    expect(io.err()).toBe(
      "gatehouse mask: masked 4 values: 1 bank card number (bank-card), 1 mainland landline number (cn-landline), 1 mainland mobile number (cn-mobile), 1 IPv4 address (ipv4).\n",
    );
  });

  it("changes nothing a second time, and says so", async () => {
    const io = captureIO();
    writeFileSync(join(io.cwd, "app.log"), MASKED);
    expect(await main(["mask", "-i", "app.log"], io)).toBe(0);
    expect(readFileSync(join(io.cwd, "app.log"), "utf8")).toBe(MASKED);
    expect(io.err()).toBe("gatehouse mask: no personal data found; the text is unchanged.\n");
  });

  it("needs a file, and no --output", async () => {
    const io = captureIO(LOG);
    expect(await main(["mask", "--in-place"], io)).toBe(2);
    expect(io.err()).toContain("--in-place masks a file where it is; name the FILE");
    writeFileSync(join(io.cwd, "app.log"), LOG);
    expect(await main(["mask", "-i", "app.log", "-o", "out.log"], io)).toBe(2);
    expect(readFileSync(join(io.cwd, "app.log"), "utf8")).toBe(LOG);
  });

  it("masks the file a symbolic link points to, and keeps the link", async () => {
    const io = captureIO();
    mkdirSync(join(io.cwd, "logs"));
    writeFileSync(join(io.cwd, "logs", "app.log"), LOG);
    symlinkSync("logs/app.log", join(io.cwd, "current.log"));
    expect(await main(["mask", "-i", "current.log"], io)).toBe(0);
    expect(lstatSync(join(io.cwd, "current.log")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(io.cwd, "logs", "app.log"), "utf8")).toBe(MASKED);
    expect(readdirSync(join(io.cwd, "logs"))).toStrictEqual(["app.log"]);
  });
});

describe("gatehouse mask and the repository's allow-list", () => {
  it("applies the repository's privacy.yml as scan does, without --policy", async () => {
    const io = captureIO();
    mkdirSync(join(io.cwd, "policies"));
    writeFileSync(join(io.cwd, "policies", "privacy.yml"), POLICY);
    writeFileSync(join(io.cwd, "app.log"), LOG);
    expect(await main(["mask", "app.log"], io)).toBe(0);
    expect(io.out()).toBe(MASKED.replace("10.12.*.*", "10.12.3.4"));
    expect(io.err()).not.toContain("ipv4");
  });
});

describe("allow-list entries without the value: scan --suggest-allow and sha256", () => {
  it("offers a digest for a value that may not be personal data, and never for a real one", async () => {
    const io = captureIO();
    writeFileSync(join(io.cwd, "app.log"), "lb 10.20.30.40 called 13800138000\n");
    expect(await main(["scan", "--suggest-allow", "app.log"], io)).toBe(0);
    const out = io.out();
    expect(out).not.toContain("10.20.30.40");
    expect(out).not.toContain("13800138000");
    const digest = /sha256: "([0-9a-f]{64})"/.exec(out)?.[1];
    expect(digest).toBeDefined();
    expect(out.match(/sha256:/g)).toHaveLength(1); // the mobile number is not offered
    expect(out).toContain("app.log:1:23 138****8000 (mainland mobile number)");

    // The entry, pasted with a reason, lets exactly that address through.
    mkdirSync(join(io.cwd, "policies"));
    writeFileSync(
      join(io.cwd, "policies", "privacy.yml"),
      `version: 1\nallow:\n  - sha256: "${digest}"\n    detectors: [ipv4]\n    reason: the test load balancer\n`,
    );
    writeFileSync(join(io.cwd, "app.log"), "lb 10.20.30.40 and 10.20.30.41\n");
    const again = captureIO();
    expect(
      await main(
        ["scan", join(io.cwd, "app.log"), "--policy", join(io.cwd, "policies/privacy.yml")],
        again,
      ),
    ).toBe(1);
    expect(again.out()).toContain("ipv4 (");
    expect(again.out().split("\n").filter(Boolean)).toHaveLength(1); // only .41 is found
    expect(again.out()).toContain(":1:20 ");
  });

  it("refuses a sha256 entry that is not a digest", async () => {
    const io = captureIO();
    mkdirSync(join(io.cwd, "policies"));
    writeFileSync(
      join(io.cwd, "policies", "privacy.yml"),
      `version: 1\nallow:\n  - sha256: "13800138000"\n    reason: x\n`,
    );
    writeFileSync(join(io.cwd, "app.log"), "x\n");
    expect(await main(["scan", "app.log"], io)).toBe(2);
    expect(io.err()).toContain("`sha256` must be the 64 hexadecimal digits");
    expect(io.err()).not.toContain("13800138000");
  });
});
