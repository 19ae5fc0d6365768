import { describe, expect, it } from "vitest";
import { buildContext } from "../../../src/core/evaluate/context.js";
import { DEFAULT_CONFIG, type Policy } from "../../../src/core/policy/model.js";
import { privacyStage } from "../../../src/core/privacy/stage.js";
import type { ChangedFile, RuleResult, Snapshot } from "../../../src/core/types.js";

const PRIVACY = `version: 1
records: true
paths: ["incidents/**", "improvements/**"]
allow:
  - value: "4111 1111 1111 1111"
    reason: published test card number
`;

function policy(files: Record<string, string>): Policy {
  return {
    config: DEFAULT_CONFIG,
    roles: { roles: new Map(), separationOfDuties: [] },
    owners: [],
    workflows: {
      fourEyes: true,
      kinds: {},
      rules: [],
      signatures: { required: false, paths: [], trustGithubWebCommits: false },
      lists: {},
      links: [],
    },
    files: new Map(Object.entries(files)),
    keys: new Map(),
  };
}

function snapshot(head: Record<string, string>, changed?: ChangedFile[]): Snapshot {
  return {
    repo: "acme/delivery",
    author: "wang-jun",
    base: { sha: "b".repeat(40), files: new Map() },
    head: { sha: "h".repeat(40), files: new Map(Object.entries(head)) },
    changed: changed ?? Object.keys(head).map((path) => ({ path, status: "added" as const })),
    commits: [],
    approvals: [],
    teams: {},
    labels: [],
    checks: {},
    now: new Date("2026-11-25T10:00:00+08:00"),
  };
}

async function run(
  head: Record<string, string>,
  files: Record<string, string> = { "policies/privacy.yml": PRIVACY },
  changed?: ChangedFile[],
): Promise<RuleResult | null> {
  const ctx = buildContext(snapshot(head, changed), policy(files), [], new Map());
  return privacyStage.run(ctx);
}

const INCIDENT = `apiVersion: gatehouse/v1
kind: IncidentAnalysis
id: INC-2026-0107
collection:
  symptoms: "customer 13800138000 could not pay with card 6222600260001072444"
  timeline:
    - "10:02 test card 4111 1111 1111 1111 declined, as expected"
`;

describe("privacyStage", () => {
  it("fails with one finding per value, at its line and column, with a masked preview", async () => {
    const result = await run({ "incidents/INC-2026-0107.yaml": INCIDENT });
    expect(result?.status).toBe("failed");
    expect(result?.findings).toStrictEqual([
      {
        path: "incidents/INC-2026-0107.yaml",
        line: 5,
        column: 23,
        code: "privacy/cn-mobile",
        message:
          "mainland mobile number 138****8000 (detector cn-mobile, confidence 0.90); desensitise it with `gatehouse mask`, or add an allow-list entry with a reason to policies/privacy.yml",
      },
      {
        path: "incidents/INC-2026-0107.yaml",
        line: 5,
        column: 59,
        code: "privacy/bank-card",
        message:
          "bank card number 622260*********2444 (detector bank-card, confidence 0.90); desensitise it with `gatehouse mask`, or add an allow-list entry with a reason to policies/privacy.yml",
      },
    ]);
    expect(result?.reason).toBe(
      "personal data in 1 of 1 scanned file; desensitise it with `gatehouse mask` before merging",
    );
  });

  it("never puts a raw value anywhere in its result", async () => {
    const result = await run({ "incidents/INC-2026-0107.yaml": INCIDENT });
    const serialized = JSON.stringify(result);
    expect(serialized).toContain("138****8000");
    expect(serialized).not.toContain("13800138000");
    expect(serialized).not.toContain("6222600260001072444");
    expect(serialized).not.toContain("0013800");
  });

  it("lets allow-listed values pass", async () => {
    const result = await run({ "incidents/INC-2026-0107.yaml": INCIDENT });
    // Line 7 holds the published test card of the allow-list; without the entry it is found.
    expect(result?.findings?.map((f) => f.line)).toStrictEqual([5, 5]);
    const strict = await run(
      { "incidents/INC-2026-0107.yaml": INCIDENT },
      { "policies/privacy.yml": "version: 1\n" },
    );
    expect(strict?.findings?.map((f) => f.line)).toStrictEqual([5, 5, 7]);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      "a clean record",
      { "changes/CHG-2026-0042.yaml": "title: upgrade the payment gateway\n" },
      "satisfied",
    ],
    [
      "a record with a phone number",
      { "changes/CHG-2026-0042.yaml": "notes: call 13800138000\n" },
      "failed",
    ],
    [
      "an attachment under incidents/",
      { "incidents/INC-2026-0107/app.log": "ip 10.12.3.4\n" },
      "failed",
    ],
    [
      "a file the policy does not scan",
      { "src/app.ts": "const phone = '13800138000';\n" },
      "skipped",
    ],
  ])("judges %s as %s", async (_name, head, status) => {
    expect((await run(head))?.status).toBe(status);
  });

  it("does not scan removed files", async () => {
    const result = await run({}, undefined, [
      { path: "incidents/INC-2026-0107.yaml", status: "removed" },
    ]);
    expect(result?.status).toBe("skipped");
  });

  it("fails closed on a scanned file it could not read", async () => {
    const result = await run({}, undefined, [
      { path: "incidents/INC-2026-0107/dump.bin", status: "added" },
    ]);
    expect(result?.status).toBe("failed");
    expect(result?.findings?.[0]).toMatchObject({
      path: "incidents/INC-2026-0107/dump.bin",
      code: "privacy/unreadable",
    });
  });

  it("is skipped, and says how to turn it on, without privacy.yml", async () => {
    const result = await run({ "incidents/INC-2026-0107.yaml": INCIDENT }, {});
    expect(result).toStrictEqual({
      id: "privacy",
      status: "skipped",
      reason: "personal-data scanning is not configured: add policies/privacy.yml to turn it on",
      children: [],
    });
  });

  it("fails with the policy's own findings when privacy.yml is broken", async () => {
    const broken = "version: 1\nallow:\n  - value: '4111111111111111'\n";
    const result = await run(
      { "incidents/INC-2026-0107.yaml": INCIDENT },
      { "policies/privacy.yml": broken },
    );
    expect(result?.status).toBe("failed");
    expect(result?.findings).toStrictEqual([
      expect.objectContaining({
        path: "policies/privacy.yml",
        line: 3,
        column: 5,
        code: "privacy/allow-reason",
      }),
    ]);
  });

  it("reads privacy.yml from the configured policies directory", async () => {
    const ctx = buildContext(
      snapshot({ "incidents/INC-1.yaml": "13800138000\n" }),
      {
        ...policy({ "governance/privacy.yml": PRIVACY }),
        config: { ...DEFAULT_CONFIG, policies: "governance" },
      },
      [],
      new Map(),
    );
    expect((await privacyStage.run(ctx))?.status).toBe("failed");
  });

  it("reports each scanned file as a child", async () => {
    const result = await run({
      "incidents/INC-2026-0107.yaml": INCIDENT,
      "changes/CHG-2026-0042.yaml": "title: clean\n",
    });
    expect(result?.children.map((c) => [c.id, c.status])).toStrictEqual([
      ["privacy/incidents/INC-2026-0107.yaml", "failed"],
      ["privacy/changes/CHG-2026-0042.yaml", "satisfied"],
    ]);
  });
});

describe("privacyStage reasons", () => {
  /** Every reason in a result tree, the root's first. */
  function reasons(result: RuleResult | null): string[] {
    if (result === null) return [];
    return [result.reason, ...result.children.flatMap((child) => reasons(child))];
  }

  it.each<[string, () => Promise<RuleResult | null>]>([
    ["a clean file", () => run({ "changes/CHG-2026-0042.yaml": "title: clean\n" })],
    ["a file with personal data", () => run({ "incidents/INC-2026-0107.yaml": INCIDENT })],
    [
      "an unreadable file",
      () => run({}, undefined, [{ path: "incidents/INC-1/dump.bin", status: "added" }]),
    ],
    ["no scanned file", () => run({ "src/app.ts": "x\n" })],
    ["no privacy.yml", () => run({ "incidents/INC-1.yaml": INCIDENT }, {})],
    [
      "a broken privacy.yml",
      () => run({ "incidents/INC-1.yaml": INCIDENT }, { "policies/privacy.yml": "version: [\n" }),
    ],
  ])("end without a period, as every other rule's do, for %s", async (_name, judge) => {
    const all = reasons(await judge());
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((reason) => reason.endsWith("."))).toStrictEqual([]);
  });

  it("counts the scanned files of a clean change", async () => {
    const result = await run({ "changes/CHG-2026-0042.yaml": "title: clean\n" });
    expect(result?.reason).toBe("no personal data in 1 scanned file");
  });
});
