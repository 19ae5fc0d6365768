import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO, type CapturedIO } from "./capture-io.js";

/** Every step of the story and the conclusion the policy must reach for it. */
const EXPECTED = [
  ["requirements provided", "success"],
  ["architecture review provided", "success"],
  ["deployment data provided", "success"],
  ["test conclusion provided", "success"],
  ["change initiated (QA only)", "pending"],
  ["change initiated", "success"],
  ["change scheduled", "success"],
  ["incident collected", "success"],
  ["incident analysed", "success"],
  ["analysis disputed", "success"],
  ["dispute arbitrated", "success"],
  ["improvement proposed", "success"],
  ["improvement planned", "success"],
  ["improvement approved", "success"],
  ["refused: self-approval", "pending"],
  ["refused: one person, two entries", "pending"],
  ["refused: separation of duties", "pending"],
];

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
    expect(io.out()).toContain(`All ${EXPECTED.length} verdicts came out as the story expects.`);
  });

  it("reaches the expected conclusion at every step", () => {
    const summary = io.out().slice(io.out().lastIndexOf("Summary"));
    const rows = [...summary.matchAll(/^\s+\d+\s{2}(.+?)\s{2,}(\w+)\s+(\w+)\s+[✓✗]$/gm)].map(
      (m) => [m[1], m[3]],
    );
    expect(rows).toEqual(EXPECTED);
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
      /xu-ming is the only security-admin approver and already acts as security-admin/,
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
