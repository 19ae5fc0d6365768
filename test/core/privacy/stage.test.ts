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

function snapshot(
  head: Record<string, string>,
  changed?: ChangedFile[],
  extra: Partial<Snapshot> = {},
): Snapshot {
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
    ...extra,
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
          "mainland mobile number 138****8000 (detector cn-mobile, confidence 0.90); desensitise it with `gatehouse mask`",
      },
      {
        path: "incidents/INC-2026-0107.yaml",
        line: 5,
        column: 59,
        code: "privacy/bank-card",
        message:
          "bank card number 622260*********2444 (detector bank-card, confidence 0.90); desensitise it with `gatehouse mask`",
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
    // Not read is not shown to hold personal data: the reasons say what happened.
    expect(result?.reason).toBe(
      "1 of 1 scanned file could not be read for the personal-data scan, so it cannot be shown free of personal data; make it UTF-8 text under the size limit",
    );
    expect(result?.children[0]?.reason).toBe(
      "could not be read for the personal-data scan; make it UTF-8 text under the size limit",
    );
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

describe("privacyStage reads YAML as YAML reads it", () => {
  it.each<[string, string, string]>([
    [
      "\\u escapes in double quotes",
      'symptoms: "call \\u0031\\u0033\\u0038\\u0030\\u0030\\u0031\\u0033\\u0038\\u0030\\u0030\\u0030"\n',
      "privacy/cn-mobile",
    ],
    [
      "\\x escapes in double quotes",
      'symptoms: "\\x31\\x33\\x38\\x30\\x30\\x31\\x33\\x38\\x30\\x30\\x30"\n',
      "privacy/cn-mobile",
    ],
    [
      "a line continuation in double quotes",
      'symptoms: "call 138001\\\n    38000 now"\n',
      "privacy/cn-mobile",
    ],
    [
      "a literal block split over lines",
      "symptoms: |\n  call 138\n  0013\n  8000\n",
      "privacy/cn-mobile",
    ],
    ["a folded block", "symptoms: >-\n  card 6222600260\n  001072444\n", "privacy/bank-card"],
    [
      "a plain scalar over two lines",
      "symptoms: customer 110101\n  199003074573 called\n",
      "privacy/cn-id",
    ],
    [
      "a key",
      '"\\u0031\\u0033\\u0038\\u0030\\u0030\\u0031\\u0033\\u0038\\u0030\\u0030\\u0030": caller\n',
      "privacy/cn-mobile",
    ],
    ["a plain key", "13800138000: caller\n", "privacy/cn-mobile"],
  ])("finds a value written with %s", async (_name, yaml, code) => {
    const result = await run({ "incidents/INC-2026-0107.yaml": yaml });
    expect(result?.status).toBe("failed");
    expect(result?.findings?.map((f) => f.code)).toStrictEqual([code]);
    expect(JSON.stringify(result)).not.toMatch(/13800138000|6222600260001072444|199003074573/);
  });

  it("points at the value holding a number YAML joins from its lines, and says so", async () => {
    const yaml = "id: INC-1\nsymptoms: |\n  call 138\n  0013\n  8000\n";
    const [finding] = (await run({ "incidents/INC-2026-0107.yaml": yaml }))?.findings ?? [];
    expect(finding).toMatchObject({ line: 2, column: 11 });
    expect(finding?.message).toContain("138 **** 8000");
    expect(finding?.message).toContain("as YAML reads it");
  });

  it("points at an escaped number where it stands", async () => {
    const yaml =
      'id: INC-1\nsymptoms: "\\u0031\\u0033\\u0038\\u0030\\u0030\\u0031\\u0033\\u0038\\u0030\\u0030\\u0030"\n';
    const [finding] = (await run({ "incidents/INC-2026-0107.yaml": yaml }))?.findings ?? [];
    expect(finding).toMatchObject({ line: 2, column: 12 });
  });

  it("reports a value written plainly in a quoted scalar once", async () => {
    const result = await run({ "incidents/INC-2026-0107.yaml": 'a: "call 13800138000"\n' });
    expect(result?.findings).toHaveLength(1);
  });

  it("fails closed on a scanned YAML file nested too deeply to read", async () => {
    const deep = `notes: ${"[".repeat(100)}${"]".repeat(100)}\n`;
    const result = await run({ "incidents/INC-2026-0107/notes.yaml": deep });
    expect(result?.status).toBe("failed");
    expect(result?.findings?.[0]?.message).toContain("nested too deeply (limit 64)");
  });
});

describe("privacyStage reads file names", () => {
  it("fails on personal data in the name of a scanned file, and never shows the name raw", async () => {
    const result = await run({ "incidents/13800138000-call.log": "nothing here\n" });
    expect(result?.status).toBe("failed");
    expect(result?.findings).toStrictEqual([
      expect.objectContaining({
        path: "incidents/138****8000-call.log",
        code: "privacy/name/cn-mobile",
      }),
    ]);
    expect(JSON.stringify(result)).not.toContain("13800138000");
  });

  it("leaves names outside the scanned paths to the other rules", async () => {
    expect((await run({ "src/13800138000.ts": "x\n" }))?.status).toBe("skipped");
  });
});

describe("privacyStage reads every commit", () => {
  const commit = (sha: string, parents = ["p".repeat(40)]) => ({
    sha,
    parents,
    author: { name: "w", email: "w@acme.example", date: new Date(0) },
    committer: { name: "w", email: "w@acme.example", date: new Date(0) },
    message: "m",
  });
  const A = "a".repeat(40);
  const B = "b".repeat(40);
  const clean = "symptoms: customer could not pay\n";

  function history(additions: Snapshot["additions"], head: Record<string, string>) {
    const ctx = buildContext(
      snapshot(head, undefined, {
        commits: [commit(A), commit(B, [A])],
        ...(additions ? { additions } : {}),
      }),
      policy({ "policies/privacy.yml": PRIVACY }),
      [],
      new Map(),
    );
    return privacyStage.run(ctx);
  }

  it("finds a value one commit added and a later one masked, naming the commit", async () => {
    const result = await history(
      [
        {
          sha: A,
          files: [{ path: "incidents/INC-1.yaml", text: "  phone: 13800138000", lines: [4] }],
        },
        { sha: B, files: [{ path: "incidents/INC-1.yaml", text: clean, lines: [4] }] },
      ],
      { "incidents/INC-1.yaml": clean },
    );
    expect(result?.status).toBe("failed");
    expect(result?.findings).toStrictEqual([
      expect.objectContaining({
        path: "incidents/INC-1.yaml",
        line: 4,
        column: 10,
        code: "privacy/history/cn-mobile",
      }),
    ]);
    const message = result?.findings?.[0]?.message ?? "";
    expect(message).toContain(`commit ${A.slice(0, 7)} added mainland mobile number 138****8000`);
    expect(message).toContain("Rewrite the branch");
    expect(JSON.stringify(result)).not.toContain("13800138000");
  });

  it("says which commit added a value the head still holds", async () => {
    const result = await history(
      [{ sha: A, files: [{ path: "incidents/INC-1.yaml", text: "call 13800138000", lines: [1] }] }],
      { "incidents/INC-1.yaml": "call 13800138000\n" },
    );
    expect(result?.findings).toHaveLength(1);
    expect(result?.findings?.[0]?.message).toContain(`commit ${A.slice(0, 7)} added it`);
  });

  it("finds a file a commit added under a name holding personal data and a later one renamed", async () => {
    const result = await history(
      [{ sha: A, files: [{ path: "incidents/13800138000.log", text: "", lines: [] }] }],
      {},
    );
    expect(result?.findings).toStrictEqual([
      expect.objectContaining({
        path: "incidents/138****8000.log",
        code: "privacy/name/cn-mobile",
      }),
    ]);
  });

  it("fails closed on what a commit added that could not be read", async () => {
    const result = await history(
      [
        {
          sha: A,
          files: [{ path: "incidents/dump.bin", text: "", lines: [], unreadable: "binary" }],
        },
      ],
      {},
    );
    expect(result?.findings?.[0]?.code).toBe("privacy/unreadable");
  });

  it("fails closed when the commits of a pull request were not read one by one", async () => {
    const result = await history(undefined, { "incidents/INC-1.yaml": clean });
    expect(result?.status).toBe("failed");
    expect(result?.findings?.[0]?.code).toBe("privacy/history-unread");
  });

  it("passes a clean history and counts its commits", async () => {
    const result = await history(
      [
        { sha: A, files: [{ path: "incidents/INC-1.yaml", text: clean, lines: [1] }] },
        { sha: B, files: [{ path: "src/app.ts", text: "13800138000", lines: [1] }] },
      ],
      { "incidents/INC-1.yaml": clean },
    );
    expect(result?.status).toBe("satisfied");
    expect(result?.reason).toBe("no personal data in 1 scanned file and what 2 commits added");
  });
});

describe("privacyStage remedies", () => {
  it("suggests allow-listing a weak detection without writing the value out", async () => {
    const result = await run({ "incidents/INC-1/app.log": "peer 10.12.3.4 up\n" });
    expect(result?.findings?.[0]?.message).toContain("`gatehouse scan --suggest-allow FILE`");
  });

  it("never suggests allow-listing a value that passes every check", async () => {
    const result = await run({ "incidents/INC-1/app.log": "id 110101199003074573\n" });
    expect(result?.findings?.[0]?.message).not.toContain("allow");
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
