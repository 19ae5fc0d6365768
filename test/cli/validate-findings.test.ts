import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./capture-io.js";
import { adopt } from "./governed-repo.js";

const CHANGE = (extra: string) => `apiVersion: gatehouse/v1
kind: ChangeRequest
id: CHG-2026-0001
title: Upgrade the payment gateway
state: draft
type: normal
${extra}`;

type Edit = (dir: string) => void;

const edit = (path: string, from: string | RegExp, to: string): Edit => {
  return (dir) => {
    const text = readFileSync(join(dir, path), "utf8");
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`the test's edit of ${path} matched nothing`);
    writeFileSync(join(dir, path), changed);
  };
};
const write =
  (path: string, text: string): Edit =>
  (dir) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

describe("gatehouse validate refuses what check would refuse", () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-validate-"));
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    adopt(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, Edit, RegExp]>([
    [
      "a record in a state its workflow does not know",
      write("changes/CHG-2026-0001.yaml", CHANGE("").replace("state: draft", "state: bananas")),
      /^changes\/CHG-2026-0001\.yaml:5:8 state "bananas" is not a state of ChangeRequest; its workflow knows draft, .*requested.*\.$/,
    ],
    [
      "a record state with a typo, with the state meant",
      write("changes/CHG-2026-0001.yaml", CHANGE("").replace("state: draft", "state: drafted")),
      /^changes\/CHG-2026-0001\.yaml:5:8 state "drafted" is not a state of ChangeRequest; did you mean "draft"\? Its workflow knows draft, .*requested.*\.$/,
    ],
    [
      "a calendar time zone that does not exist",
      edit("policies/calendar.yml", "timezone: Asia/Shanghai", "timezone: Mars/Olympus"),
      /^policies\/calendar\.yml:\d+:11 "Mars\/Olympus" is not a time zone/,
    ],
    [
      "a calendar weekday that does not exist",
      edit("policies/calendar.yml", "days: [tue, thu]", "days: [tue, thurs]"),
      /^policies\/calendar\.yml:15:19 .*found "thurs"; did you mean "thu"\?$/,
    ],
    [
      "a privacy detector that does not exist",
      edit("policies/privacy.yml", "  - cn-mobile\n", "  - cn-mobil\n"),
      /^policies\/privacy\.yml:\d+:\d+ .*cn-mobil/,
    ],
    [
      "a privacy allow entry without a reason",
      edit(
        "policies/privacy.yml",
        "    reason: Visa test card number published in payment gateway documentation\n",
        "",
      ),
      /^policies\/privacy\.yml:\d+:\d+ .*reason/,
    ],
    [
      "a key file holding garbage",
      write("policies/keys/x.asc", "this is not a key\n"),
      /^policies\/keys\/x\.asc:\d+:\d+ \S/,
    ],
    [
      "a change window that ends before it starts",
      write(
        "changes/CHG-2026-0001.yaml",
        CHANGE("window:\n  start: 2026-12-01T22:00:00+08:00\n  end: 2026-12-01T21:00:00+08:00\n"),
      ),
      /^changes\/CHG-2026-0001\.yaml:9:8 window\.end \(2026-12-01T21:00:00\+08:00\) is not after window\.start/,
    ],
  ])("reports %s at its place and exits 1", async (_name, change, expected) => {
    change(dir);
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(1);
    const lines = io.out().trimEnd().split("\n");
    expect(
      lines.some((line) => expected.test(line)),
      io.out(),
    ).toBe(true);
    expect(
      lines.every((line) => /^[^:\s]+:\d+:\d+ \S/.test(line)),
      io.out(),
    ).toBe(true);
    expect(io.err()).toMatch(/^gatehouse validate: \d+ problems? found\.\n$/);
  });

  it("accepts a window that ends after it starts and a known state", async () => {
    write(
      "changes/CHG-2026-0001.yaml",
      CHANGE("window:\n  start: 2026-12-01T22:00:00+08:00\n  end: 2026-12-02T01:00:00+08:00\n"),
    )(dir);
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(0);
    expect(io.out()).toBe("1 record and the policy are valid.\n");
  });
});
