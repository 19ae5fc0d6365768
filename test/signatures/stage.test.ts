import { beforeAll, describe, expect, it } from "vitest";
import { buildContext } from "../../src/core/evaluate/context.js";
import { DEFAULT_CONFIG, type Policy, type SignaturePolicy } from "../../src/core/policy/model.js";
import { signaturesStage } from "../../src/core/signatures/stage.js";
import type { ChangedFile, Commit, Snapshot } from "../../src/core/types.js";
import { commitOf, makePgpKey, payloadOf, signPgp, type PgpKey } from "./helpers/craft.js";

const T0 = Date.UTC(2026, 0, 1) / 1000;
const zhao = { name: "Zhao Min", email: "zhao.min@acme.example" };
const li = { name: "Li Na", email: "li.na@acme.example" };
let zhaoKey: PgpKey;
let webKey: PgpKey;
let good: Commit;
let foreign: Commit;
let web: Commit;

async function signedBy(author: typeof zhao, key: PgpKey, n: number): Promise<Commit> {
  const spec = { author, time: T0 + 3600 * n, message: `change ${n}\n` };
  const payload = payloadOf(spec);
  const signature = await signPgp(payload, key, new Date(spec.time * 1000));
  return commitOf(`${n}`.repeat(40).slice(0, 40), spec, { format: "openpgp", signature, payload });
}

beforeAll(async () => {
  zhaoKey = await makePgpKey({ ...zhao, date: new Date(T0 * 1000) });
  webKey = await makePgpKey({
    name: "GitHub",
    email: "noreply@github.com",
    date: new Date(T0 * 1000),
  });
  good = await signedBy(zhao, zhaoKey, 1);
  foreign = await signedBy(li, zhaoKey, 2);
  web = await signedBy(li, webKey, 3);
});

function policy(signatures: Partial<SignaturePolicy>): Policy {
  return {
    config: DEFAULT_CONFIG,
    roles: { roles: new Map(), separationOfDuties: [] },
    owners: [],
    workflows: {
      fourEyes: false,
      kinds: {},
      rules: [],
      signatures: { required: true, paths: ["**"], trustGithubWebCommits: false, ...signatures },
      lists: {},
      links: [],
    },
    files: new Map(),
    keys: new Map([
      ["policies/keys/zhao-min.asc", zhaoKey.armored],
      ["policies/keys/web-flow.asc", webKey.armored],
    ]),
  };
}

function snapshot(
  commits: Commit[],
  changed: ChangedFile[],
  identities?: Record<string, string>,
): Snapshot {
  return {
    repo: "acme/changes",
    author: "zhao-min",
    base: { sha: "b".repeat(40), files: new Map() },
    head: { sha: "h".repeat(40), files: new Map() },
    changed,
    commits,
    approvals: [],
    teams: {},
    labels: [],
    checks: {},
    now: new Date((T0 + 86_400) * 1000),
    ...(identities ? { identities } : {}),
  };
}

const record: ChangedFile = { path: "changes/CHG-2026-0042.yaml", status: "modified" };

/** Runs the stage as the evaluator does: identities from the stage, then the context. */
async function runStage(p: Policy, s: Snapshot) {
  const extra = await signaturesStage.identities!(p);
  return signaturesStage.run(buildContext(s, p, [], extra));
}

describe("signaturesStage", () => {
  it("is skipped when workflows.yml does not require signatures", async () => {
    const result = await runStage(policy({ required: false }), snapshot([foreign], [record]));
    expect(result).toEqual({
      id: "signatures",
      status: "skipped",
      reason: "signed commits are not required by workflows.yml",
      children: [],
    });
  });

  it("is skipped when no changed path needs signatures", async () => {
    const result = await runStage(policy({ paths: ["deploy/**"] }), snapshot([foreign], [record]));
    expect(result?.status).toBe("skipped");
    expect(result?.reason).toBe("no changed file matches signatures.paths of workflows.yml");
  });

  it.each<[string, string[], ChangedFile]>([
    ["a glob that matches the new path", ["changes/**"], record],
    [
      "a glob that matches a renamed file's old path",
      ["deploy/**"],
      { path: "x/a.yaml", status: "renamed", previousPath: "deploy/a.yaml" },
    ],
    [
      "a glob that matches a dot file",
      ["**"],
      { path: ".github/gatehouse.yml", status: "modified" },
    ],
    ["an empty list, which means everywhere", [], record],
  ])("judges the commits when signatures.paths is %s", async (_, paths, changed) => {
    const result = await runStage(policy({ paths }), snapshot([foreign], [changed]));
    expect(result?.status).toBe("failed");
  });

  it("gives one child per commit and fails when any commit fails", async () => {
    const known = { "li.na@acme.example": "li-na" };
    const result = await runStage(policy({}), snapshot([good, foreign], [record], known));
    expect(result).toMatchObject({
      id: "signatures",
      status: "failed",
      reason: expect.stringMatching(
        /^1 of 2 commits fail the signature rule; first: 2222222 is signed by the key of zhao-min/,
      ),
    });
    expect(result?.children.map((c) => [c.id, c.status])).toEqual([
      ["signatures/1111111", "satisfied"],
      ["signatures/2222222", "failed"],
    ]);
    expect(result?.children[0]?.reason).toMatch(
      /^1111111 signed by zhao-min's ed25519 key 0x[0-9A-F]{16}$/,
    );
  });

  it("maps an author to a login by the e-mail of a trusted key's user id", async () => {
    const result = await runStage(policy({}), snapshot([good], [record]));
    expect(result).toMatchObject({
      status: "satisfied",
      reason: "the commit is signed by its author's trusted key",
    });
  });

  it("fails a commit whose author no identity maps to a login", async () => {
    const result = await runStage(policy({}), snapshot([web], [record]));
    expect(result?.reason).toMatch(/^the commit fails the signature rule: 3333333 was made in/);
    expect(result?.children[0]?.reason).toMatch(
      /^3333333 was made in GitHub's web interface and signed by GitHub's/,
    );
    const trusted = await runStage(
      policy({ trustGithubWebCommits: true }),
      snapshot([web], [record]),
    );
    expect(trusted?.children[0]).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/by an unknown contributor \(l\*\*\*@acme\.example\)/),
    });
  });

  it("accepts a web-interface commit by a known login only when the policy trusts web commits", async () => {
    const known = { "li.na@acme.example": "li-na" };
    const refused = await runStage(policy({}), snapshot([web], [record], known));
    expect(refused?.status).toBe("failed");
    const trusted = await runStage(
      policy({ trustGithubWebCommits: true }),
      snapshot([web], [record], known),
    );
    expect(trusted?.children[0]?.reason).toMatch(
      /^3333333 was made in GitHub's web interface by li-na/,
    );
    expect(trusted?.status).toBe("satisfied");
  });

  it("lists unreadable key files as findings when a commit fails, to explain it", async () => {
    const p = policy({});
    p.keys.set(
      "policies/keys/li-na.asc",
      "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbroken\n-----END PGP PUBLIC KEY BLOCK-----\n",
    );
    const known = { "li.na@acme.example": "li-na" };
    const failing = await runStage(p, snapshot([foreign], [record], known));
    expect(failing?.findings?.map((f) => [f.path, f.code])).toEqual([
      ["policies/keys/li-na.asc", "keys/unreadable"],
    ]);
    const passing = await runStage(p, snapshot([good], [record]));
    expect(passing?.status).toBe("satisfied");
    expect(passing).not.toHaveProperty("findings");
  });

  it("fails closed on a pull request without commits", async () => {
    const result = await runStage(policy({}), snapshot([], [record]));
    expect(result?.status).toBe("failed");
  });

  it("names the configured policies directory in its advice", async () => {
    const p = { ...policy({}), config: { ...DEFAULT_CONFIG, policies: "governance" } };
    const unsigned: Commit = { ...good };
    delete unsigned.signature;
    const result = await runStage(p, snapshot([unsigned], [record]));
    expect(result?.children[0]?.reason).toBe(
      '1111111 is not signed; sign it with "git commit -S" and a key listed in governance/keys',
    );
  });
});
