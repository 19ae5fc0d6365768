import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fillTemplate, nextId } from "../../src/cli/commands/new.js";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./capture-io.js";
import { adopt } from "./governed-repo.js";

const TEMPLATE = `# yaml-language-server: $schema=../../schemas/change-request.schema.json
apiVersion: gatehouse/v1
kind: ChangeRequest
id: CHG-YYYY-NNNN # the file name without .yaml
title: What this change does
state: draft
`;

describe("gatehouse new", () => {
  let dir: string;
  const year = new Date().getUTCFullYear();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-new-"));
    mkdirSync(join(dir, ".gatehouse/templates"), { recursive: true });
    writeFileSync(join(dir, ".gatehouse/templates/change-request.yaml"), TEMPLATE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the first id of the year with the title, keeping the template's comments", async () => {
    const io = captureIO(dir);
    expect(await main(["new", "change", "--title", "Upgrade the core ledger"], io)).toBe(0);
    const path = `changes/CHG-${year}-0001.yaml`;
    expect(io.out()).toBe(`${path}\n`);
    const text = readFileSync(join(dir, path), "utf8");
    expect(text).toContain(`id: CHG-${year}-0001 # the file name without .yaml`);
    expect(text).toContain("title: Upgrade the core ledger");
    expect(text).toContain("$schema=../schemas/change-request.schema.json");
  });

  it("without --title leaves the template's placeholder, says so, and validate refuses it", async () => {
    const repo = mkdtempSync(join(tmpdir(), "gatehouse-untitled-"));
    try {
      expect(await main(["init"], captureIO(repo))).toBe(0);
      adopt(repo);
      const io = captureIO(repo);
      expect(await main(["new", "change"], io)).toBe(0);
      const path = `changes/CHG-${year}-0001.yaml`;
      expect(io.out()).toBe(`${path}\n`);
      expect(io.err()).toBe(
        `gatehouse new: ${path} has no title yet; write it in place of {{title}} (or pass --title next time): validate and the gate refuse the placeholder.\n`,
      );
      const text = readFileSync(join(repo, path), "utf8");
      expect(text).toContain('title: "{{title}}"');
      const validate = captureIO(repo);
      expect(await main(["validate"], validate)).toBe(1);
      expect(validate.out()).toMatch(
        new RegExp(
          `^${path}:\\d+:\\d+ title still holds the template's placeholder \\{\\{title\\}\\}; write the title in its place$`,
          "m",
        ),
      );
      writeFileSync(join(repo, path), text.replace('"{{title}}"', "Payments gateway 4.2"));
      const titled = captureIO(repo);
      expect(await main(["validate"], titled), titled.out()).toBe(0);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it("takes the number after the highest one of this year, ignoring other years", async () => {
    mkdirSync(join(dir, "changes"));
    for (const name of [
      `CHG-${year}-0007.yaml`,
      `CHG-${year}-0002.yml`,
      `CHG-${year - 1}-0042.yaml`,
    ]) {
      writeFileSync(join(dir, "changes", name), "");
    }
    const io = captureIO(dir);
    expect(await main(["new", "change"], io)).toBe(0);
    expect(io.out()).toBe(`changes/CHG-${year}-0008.yaml\n`);
  });

  it("writes into the records directory the configuration names", async () => {
    mkdirSync(join(dir, ".github"));
    writeFileSync(
      join(dir, ".github/gatehouse.yml"),
      "records:\n  ChangeRequest: records/changes\n",
    );
    const io = captureIO(dir);
    expect(await main(["new", "change", "--repo", dir], io)).toBe(0);
    expect(io.out()).toBe(`records/changes/CHG-${year}-0001.yaml\n`);
    expect(readFileSync(join(dir, `records/changes/CHG-${year}-0001.yaml`), "utf8")).toContain(
      "$schema=../../schemas/change-request.schema.json",
    );
  });

  it.each([
    [["new", "foo"], "unknown kind 'foo'; the kinds are change, incident and improvement."],
    [
      ["new", "toString"],
      "unknown kind 'toString'; the kinds are change, incident and improvement.",
    ],
    [
      ["new", "chnage"],
      "unknown kind 'chnage'; did you mean 'change'? The kinds are change, incident and improvement.",
    ],
    [["new"], "say which record to start: change, incident or improvement."],
    [
      ["new", "change", "Fix", "it"],
      "starts one record at a time; 'Fix it' is extra (quote a title with --title).",
    ],
  ])("refuses %j with exit 2 and one line", async (argv, message) => {
    const io = captureIO(dir);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toBe(`gatehouse new: ${message} Run 'gatehouse new --help'.\n`);
    expect(io.out()).toBe("");
  });

  it.each([
    ["", "CHG-2026-0001"],
    ["CHG-2026-0001.yaml CHG-2026-0009.yaml", "CHG-2026-0010"],
    ["CHG-2026-9999.yaml", "CHG-2026-10000"],
    ["INC-2026-0005.yaml notes.md", "CHG-2026-0001"],
    ["CHG-2026-0003.yaml 2025/CHG-2026-0007.yml", "CHG-2026-0008"],
  ])("numbers after [%s] as the next free id", async (names, expected) => {
    const records = join(dir, "numbering");
    mkdirSync(records);
    for (const name of names.split(" ").filter(Boolean)) {
      mkdirSync(dirname(join(records, name)), { recursive: true });
      writeFileSync(join(records, name), "");
    }
    expect(await nextId(records, "CHG", 2026)).toBe(expected);
  });

  it.each(["change-request", "incident-analysis", "improvement-plan"])(
    "fills the %s template in place, keeping every comment where it was",
    (name) => {
      const template = readFileSync(`templates/${name}.yaml`, "utf8");
      const filled = fillTemplate(template, {
        id: "X-2026-0001",
        title: 'A "quoted" title: with a colon',
        path: `records/x/X-2026-0001.yaml`,
      });
      const changed = (a: string, b: string) =>
        a.split("\n").flatMap((line, i) => (line === b.split("\n")[i] ? [] : [line]));
      expect(filled.split("\n")).toHaveLength(template.split("\n").length);
      expect(changed(filled, template)).toEqual([
        expect.stringContaining("$schema=../../schemas/"),
        'id: "X-2026-0001"',
        'title: "A \\"quoted\\" title: with a colon"',
      ]);
    },
  );

  it("fills a template without an id key by adding one", () => {
    const filled = fillTemplate("kind: ChangeRequest\n", {
      id: "CHG-2026-0003",
      title: "x",
      path: "changes/CHG-2026-0003.yaml",
    });
    expect(filled).toBe("kind: ChangeRequest\nid: CHG-2026-0003\ntitle: x\n");
  });
});
