import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CUSTOMER } from "../../src/cli/demo/records.js";
import { isResidentId } from "../../src/core/privacy/checks.js";
import { captureIO, type CapturedIO } from "./capture-io.js";

/** Every verdict of the story, numbered as the demo prints it, and the conclusion it must reach. */
const EXPECTED = [
  ["1", "requirements provided", "success"],
  ["2", "architecture review provided", "success"],
  ["3", "deployment data provided", "success"],
  ["4", "test conclusion provided", "success"],
  ["5a", "change initiated (QA only)", "pending"],
  ["5b", "change initiated", "success"],
  ["6", "change scheduled", "success"],
  ["7a", "incident collected (refused: personal data)", "failure"],
  ["7b", "incident collected", "success"],
  ["8", "incident analysed", "success"],
  ["9", "analysis disputed", "success"],
  ["10", "dispute arbitrated", "success"],
  ["11", "improvement proposed", "success"],
  ["12", "improvement planned", "success"],
  ["13", "improvement approved", "success"],
  ["14", "refused: self-approval", "pending"],
  ["15", "refused: one person, two entries", "pending"],
  ["16", "refused: separation of duties", "pending"],
];
const STEPS = 16;

describe("gatehouse demo", () => {
  let io: CapturedIO;
  let status: number;
  beforeAll(async () => {
    io = captureIO("/");
    status = await main(["demo"], io);
  }, 60_000);

  it("exits 0 because every step came out as the story expects", () => {
    expect(io.err()).toBe("");
    expect(status).toBe(0);
    expect(io.out()).toContain(
      `All ${EXPECTED.length} verdicts of the ${STEPS} steps came out as the story expects.`,
    );
  });

  it("reaches the expected conclusion at every step", () => {
    const summary = io.out().slice(io.out().lastIndexOf("Summary"));
    const rows = [...summary.matchAll(/^\s+(\d+[ab]?) (.+?)\s{2,}(\w+)\s+(\w+)\s+[✓✗]$/gm)].map(
      (m) => [m[1], m[2], m[4]],
    );
    expect(rows).toEqual(EXPECTED);
  });

  it("numbers the steps as the summary does", () => {
    const headings = [...io.out().matchAll(/^Step (\d+)\/(\d+): /gm)];
    expect(headings.map((m) => m[1])).toEqual(
      Array.from({ length: STEPS }, (_, i) => String(i + 1)),
    );
    expect(new Set(headings.map((m) => m[2]))).toEqual(new Set([String(STEPS)]));
    for (const [step] of EXPECTED.filter(([step]) => /[ab]$/.test(step!))) {
      expect(io.out()).toMatch(new RegExp(`^  ${step}\\. `, "m"));
    }
  });

  it("fails the first collection on the customer's personal data, showing it only masked", () => {
    // The demo's values must be ones the detectors recognise, or the refusal would prove nothing.
    expect(isResidentId(CUSTOMER.residentId)).toBe(true);
    expect(CUSTOMER.mobile).toMatch(/^1[3-9]\d{9}$/);
    expect(io.out()).toMatch(
      /^ {4}incidents\/INC-2026-0001\.yaml:\d+:\d+ privacy\/cn-mobile .*139\*{4}5678/m,
    );
    expect(io.out()).toMatch(
      /^ {4}incidents\/INC-2026-0001\.yaml:\d+:\d+ privacy\/cn-id .*110105\*{8}1239/m,
    );
    expect(io.out()).toMatch(/✔ privacy: no personal data in 1 scanned file/);
  });

  it("never prints the customer's raw mobile number or resident ID", () => {
    expect(io.out()).not.toContain(CUSTOMER.mobile);
    expect(io.out()).not.toContain(CUSTOMER.residentId);
    expect(io.err()).not.toContain(CUSTOMER.mobile);
    expect(io.err()).not.toContain(CUSTOMER.residentId);
  });

  it("shows the check waiting for the release manager before her approval", () => {
    expect(io.out()).toMatch(
      /With only zhao-min approving: pending \(Waiting for release-manager\)/,
    );
  });

  it("gives each refusal its reason", () => {
    expect(io.out()).toMatch(
      /requires\/qa: .*zhao-min holds qa but is the author of this pull request/,
    );
    expect(io.out()).toMatch(
      /security-admin#2: needs an approval from security-admin; guo-fang can give it; xu-ming already fills another security-admin entry/,
    );
    // The tree repeats that reason under each rule; the narrative says why, once.
    expect(io.out()).toMatch(
      /^Refusal 3: .*one person fills only one entry.*The tree names that one missing approval under each rule that asks for it/m,
    );
    expect(io.out()).toMatch(
      /chen-jie acted as ops-lead on CHG-2026-0001 in an earlier pull request/,
    );
  });

  it("signs every commit with the people's throwaway keys, and the check verifies them", () => {
    expect(io.out()).not.toContain("ssh-keygen is not installed");
    expect(io.out()).toMatch(/signed by li-na's ed25519 key/);
    expect(io.out()).not.toMatch(/signatures: .*(not signed|unsigned|untrusted)/i);
  });

  it("removes its temporary repository unless asked to keep it", () => {
    const dir = /The demo repository (\S+) was removed/.exec(io.out())?.[1];
    expect(dir).toMatch(/gatehouse-demo-/);
    expect(existsSync(dir!)).toBe(false);
  });
});

describe("gatehouse demo --keep", () => {
  let io: CapturedIO;
  let dir: string;
  beforeAll(async () => {
    io = captureIO("/");
    expect(await main(["demo", "--keep"], io)).toBe(0);
    dir = /The demo repository is kept at (\S+);/.exec(io.out())?.[1] ?? "";
  }, 60_000);
  afterAll(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a repository that passes gatehouse validate", async () => {
    expect(dir).toMatch(/gatehouse-demo-/);
    const validate = captureIO(dir);
    expect(await main(["validate", "--repo", dir], validate)).toBe(0);
    expect(validate.out()).toBe("3 records and the policy are valid.\n");
  });

  it("keeps the refused personal data out of every branch's history", () => {
    const history = execFileSync("git", ["-C", dir, "log", "-p", "--all"], { encoding: "utf8" });
    expect(history).toContain("INC-2026-0001: collect (desensitised)");
    expect(history).toContain("139****5678");
    expect(history).not.toContain(CUSTOMER.mobile);
    expect(history).not.toContain(CUSTOMER.residentId);
  });
});
