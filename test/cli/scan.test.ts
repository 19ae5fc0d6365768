import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { captureIO as capture, type CapturedIO } from "./capture-io.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const LOG = "boot ok\nuser 13800138000 paid with 6222600260001072444\nfrom 10.12.3.4\n";

/** A CLI io that captures what a command writes, in a fresh temporary working directory. */
function captureIO(stdin = "", env: NodeJS.ProcessEnv = {}): CapturedIO {
  return capture(mkdtempSync(join(tmpdir(), "gatehouse-privacy-cli-")), { stdin, env });
}

describe("gatehouse scan", () => {
  it("prints each finding as path:line:col detector (confidence) masked value and exits 1", async () => {
    const io = captureIO();
    writeFileSync(join(io.cwd, "app.log"), LOG);
    expect(await main(["scan", "app.log"], io)).toBe(1);
    expect(io.out()).toBe(
      [
        "app.log:2:6 cn-mobile (0.90) 138****8000",
        "app.log:2:28 bank-card (0.90) 622260*********2444",
        "app.log:3:6 ipv4 (0.80) 10.12.*.*",
        "",
      ].join("\n"),
    );
    expect(io.err()).toContain("3 values of personal data found");
    expect(io.out() + io.err()).not.toContain("13800138000");
  });

  it("exits 0 and prints nothing when there is nothing to find", async () => {
    const io = captureIO();
    writeFileSync(join(io.cwd, "clean.log"), "order ORD20261125000123 amount=12.50\n");
    expect(await main(["scan", "clean.log"], io)).toBe(0);
    expect(io.out()).toBe("");
  });

  it("reads standard input with -", async () => {
    const io = captureIO("mail li.na@acme-bank.cn\n");
    expect(await main(["scan", "-"], io)).toBe(1);
    expect(io.out()).toBe("-:1:6 email (0.95) l***@acme-bank.cn\n");
  });

  it("prints one JSON document with --format json", async () => {
    const io = captureIO();
    writeFileSync(join(io.cwd, "app.log"), LOG);
    expect(await main(["scan", "app.log", "--format", "json"], io)).toBe(1);
    const doc = JSON.parse(io.out()) as { count: number; findings: Array<Record<string, unknown>> };
    expect(doc.count).toBe(3);
    expect(doc.findings[0]).toStrictEqual({
      path: "app.log",
      line: 2,
      column: 6,
      code: "privacy/cn-mobile",
      detector: "cn-mobile",
      title: "mainland mobile number",
      confidence: 0.9,
      masked: "138****8000",
    });
  });

  it("writes each JSON finding on its own line, exactly as JSON.stringify would, even for an odd file name", async () => {
    const io = captureIO();
    const name = 'we"ird\\name é.log';
    writeFileSync(join(io.cwd, name), LOG);
    expect(await main(["scan", name, "--format", "json"], io)).toBe(1);
    const doc = JSON.parse(io.out()) as { findings: Array<Record<string, unknown>> };
    expect(doc.findings.map((f) => f.path)).toStrictEqual([name, name, name]);
    const lines = io.out().split("\n").slice(1, 4);
    expect(lines).toStrictEqual(
      doc.findings.map((f, i) => `  ${JSON.stringify(f)}${i < 2 ? "," : ""}`),
    );
  });

  it("prints a valid empty JSON document when nothing is found", async () => {
    const io = captureIO("nothing here\n");
    expect(await main(["scan", "-", "--format", "json"], io)).toBe(0);
    expect(JSON.parse(io.out())).toStrictEqual({ findings: [], count: 0 });
  });

  it("walks a directory, skipping .git, node_modules and binary files", async () => {
    const io = captureIO();
    mkdirSync(join(io.cwd, "incidents", "INC-1"), { recursive: true });
    mkdirSync(join(io.cwd, ".git"));
    mkdirSync(join(io.cwd, "node_modules"));
    writeFileSync(join(io.cwd, "incidents", "INC-1", "notes.md"), "phone 13900139000\n");
    writeFileSync(join(io.cwd, ".git", "config"), "13800138000\n");
    writeFileSync(join(io.cwd, "node_modules", "x.js"), "13800138000\n");
    writeFileSync(
      join(io.cwd, "dump.bin"),
      Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(" 13800138000")]),
    );
    expect(await main(["scan"], io)).toBe(1);
    expect(io.out()).toBe("./incidents/INC-1/notes.md:1:7 cn-mobile (0.90) 139****9000\n");
  });

  it("applies the allow-list of policies/privacy.yml in the current directory", async () => {
    const io = captureIO("card 4111 1111 1111 1111 and 5555555555554444\n");
    mkdirSync(join(io.cwd, "policies"));
    writeFileSync(
      join(io.cwd, "policies", "privacy.yml"),
      'version: 1\nallow:\n  - value: "4111111111111111"\n    reason: published test card\n',
    );
    expect(await main(["scan", "-"], io)).toBe(1);
    expect(io.out()).toBe("-:1:30 bank-card (0.90) 555555******4444\n");
  });

  it("counts columns in characters in UTF-8 text", async () => {
    const io = captureIO("客户手机 13800138000\n");
    expect(await main(["scan", "-"], io)).toBe(1);
    expect(io.out()).toBe("-:1:6 cn-mobile (0.90) 138****8000\n");
  });

  it.each<[string, string[], RegExp]>([
    [
      "a missing file",
      ["scan", "nope.log"],
      /cannot read nope\.log: there is no such file or directory/,
    ],
    [
      "an unknown format",
      ["scan", "-", "--format", "xml"],
      /--format must be text or json, not "xml"/,
    ],
    [
      "a broken --policy",
      ["scan", "-", "--policy", "missing.yml"],
      /cannot read the privacy policy missing\.yml/,
    ],
  ])("refuses %s with a one-line message and exit 2", async (_name, argv, message) => {
    const io = captureIO("x\n");
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err().trim().split("\n")).toHaveLength(1);
  });

  it("reports a mistake in the policy file with its place", async () => {
    const io = captureIO("x\n");
    writeFileSync(join(io.cwd, "privacy.yml"), "version: 1\nallow:\n  - value: x\n");
    expect(await main(["scan", "-", "--policy", "privacy.yml"], io)).toBe(2);
    expect(io.err()).toMatch(/privacy\.yml:3:5 this allow-list entry has no reason/);
  });

  describe("without PATH in a governed repository", () => {
    /** A repository whose privacy.yml scans the records and incidents/, and files around it. */
    function repository(config?: string): CapturedIO {
      const io = captureIO();
      const write = (path: string, text: string) => {
        mkdirSync(join(io.cwd, path, ".."), { recursive: true });
        writeFileSync(join(io.cwd, path), text);
      };
      const policies = config === undefined ? "policies" : "governance";
      if (config !== undefined) write(".github/gatehouse.yml", config);
      write(`${policies}/privacy.yml`, 'version: 1\nrecords: true\npaths: ["incidents/**"]\n');
      write(
        `${policies}/keys/li-na.pub`,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI li.na@acme-bank.cn\n",
      );
      write("incidents/INC-1/notes.md", "phone 13900139000\n");
      write("changes/CHG-2026-0001.yaml", "title: call 13800138000\n");
      write("src/app.ts", "const phone = '13700137000';\n");
      return io;
    }

    it("scans the paths and records of policies/privacy.yml, not the keys or the code", async () => {
      const io = repository();
      expect(await main(["scan"], io)).toBe(1);
      expect(io.out()).toBe(
        [
          "changes/CHG-2026-0001.yaml:1:13 cn-mobile (0.90) 138****8000",
          "incidents/INC-1/notes.md:1:7 cn-mobile (0.90) 139****9000",
          "",
        ].join("\n"),
      );
    });

    it("follows the policies and record directories of .github/gatehouse.yml", async () => {
      const io = repository("policies: governance\nrecords:\n  ChangeRequest: src\n");
      expect(await main(["scan"], io)).toBe(1);
      expect(io.out()).toBe(
        [
          "incidents/INC-1/notes.md:1:7 cn-mobile (0.90) 139****9000",
          "src/app.ts:1:16 cn-mobile (0.90) 137****7000",
          "",
        ].join("\n"),
      );
    });

    it("scans what is named when PATHs are given", async () => {
      const io = repository();
      expect(await main(["scan", "policies/keys"], io)).toBe(1);
      expect(io.out()).toBe("policies/keys/li-na.pub:1:39 email (0.95) l***@acme-bank.cn\n");
    });

    it("says so, and exits 0, when the policy scans no file here", async () => {
      const io = captureIO();
      mkdirSync(join(io.cwd, "policies"));
      writeFileSync(join(io.cwd, "policies", "privacy.yml"), "version: 1\nrecords: false\n");
      writeFileSync(join(io.cwd, "app.log"), LOG);
      expect(await main(["scan"], io)).toBe(0);
      expect(io.out()).toBe("");
      expect(io.err()).toMatch(/no file here is in the paths policies\/privacy\.yml scans/);
    });

    it("says in its help what it scans without PATH", async () => {
      const io = captureIO();
      expect(await main(["scan", "--help"], io)).toBe(0);
      expect(io.out().replace(/\s+/g, " ")).toContain(
        "Without PATH, the files the privacy policy scans",
      );
    });
  });

  it.each<[string, (dir: string) => string]>([
    ["an absolute path", (cwd) => join(cwd, "..", "pp.yml")],
    ["a path outside the current directory", () => "../pp.yml"],
    ["a relative path", () => "pp.yml"],
  ])("names a --policy given as %s as the user gave it", async (_name, given) => {
    const io = captureIO("x\n");
    const path = given(io.cwd);
    writeFileSync(resolve(io.cwd, path), "version: 1\nallow:\n  - value: x\n");
    expect(await main(["scan", "-", "--policy", path], io)).toBe(2);
    expect(io.err()).toMatch(
      new RegExp(`^gatehouse scan: ${path.replace(/[.\\/]/g, "\\$&")}:3:5 this allow-list entry`),
    );
  });
});
