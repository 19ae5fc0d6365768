/**
 * The App's evidence ledger through a GitHub that keeps to its contracts: GraphQL executed
 * against GitHub's schema, Git Data API bodies checked against its OpenAPI description, refs
 * that move only as fast-forwards. A merge writes its note; a concurrent writer is retried; a
 * redelivery writes nothing new; a later pull request in which an earlier approver acts in a
 * conflicting role is not passed, and the check says why. (The bypass issue: bypass-issue.test.ts.)
 */
import nock from "nock";
import { enums, readPrivateKey, revokeKey } from "openpgp";
import { describe, expect, it } from "vitest";
import { CHG, CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { appendEntries, placeStatements } from "../../src/core/evidence/append.js";
import { draftStatement } from "../../src/core/evidence/build-statement.js";
import { noteLines } from "../../src/core/evidence/append.js";
import { parseTip } from "../../src/core/evidence/ledger-layout.js";
import { signedLine } from "../../src/core/evidence/sign.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { LedgerWorld } from "./helpers/ledger-world.js";
import { appEvidenceKey, deliverMerge } from "./helpers/ledger-merge.js";
import { noNetwork } from "./helpers/no-network.js";
import type { FakePull } from "./helpers/fake-github.js";

const unmatched = noNetwork();
const NOTES = "refs/notes/gatehouse";
const key = appEvidenceKey();

let lastLogs = "";
let lastFailure: unknown = null;

/** Opens, merges and closes a pull request; returns the merge commit. */
async function mergePull(world: LedgerWorld, pull: FakePull, by: string): Promise<string> {
  const merge = world.merge(pull);
  const { app, failed } = await deliverMerge(world, pull, merge, { by });
  lastLogs = app.logs.join("");
  lastFailure = failed;
  return merge;
}

function statementsOf(world: LedgerWorld, commit: string) {
  const path = `${commit.slice(0, 2)}/${commit.slice(2)}`;
  const note = world.git.read(NOTES, path);
  return noteLines(note ?? null).map((line) => {
    const envelope = JSON.parse(line) as { payload: string };
    return JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
  });
}

let trusted: { pull: FakePull; merge: string } | undefined;

/** A world whose ledger began with the merge that trusted the evidence key (#10). */
async function adoptedWorld(): Promise<LedgerWorld> {
  const world = await LedgerWorld.create({ [CHG_PATH]: yamlOf(changeAt.requested) });
  const trust = world.pull("li-na", { "policies/keys/gatehouse-evidence.asc": key().publicKey }, [
    "xu-ming",
    "guo-fang",
  ]);
  trusted = { pull: trust, merge: await mergePull(world, trust, "xu-ming") };
  return world;
}

describe("evidence written on merge", () => {
  it("writes the note on the merge commit, with the records the ledger begins with", async () => {
    const world = await adoptedWorld();
    const tip = world.main;
    const notes = statementsOf(world, tip);
    expect(notes).toHaveLength(1);
    const merge = notes[0];
    expect(merge.subject[0].digest.gitCommit).toBe(tip);
    expect(merge.predicate).toMatchObject({
      event: "merge",
      sequence: 2,
      pullRequest: { number: 10, author: "li-na" },
      merge: { sha: tip, by: "xu-ming" },
      check: { name: "gatehouse", conclusion: "success" },
      bypass: null,
    });
    expect(merge.predicate.acts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: "security-admin", login: "xu-ming", action: "approval" }),
      ]),
    );
    // The baseline (#1) lists the change request that was there before the ledger.
    const index = world.git.read(NOTES, `index/CHG-2026/${CHG}/0000000001`);
    const listed = JSON.parse(
      Buffer.from(JSON.parse(index!).payload, "base64").toString("utf8"),
    ).predicate;
    expect(listed).toMatchObject({ event: "baseline", sequence: 1 });
    expect(listed.baseline).toContainEqual(expect.objectContaining({ id: CHG, path: CHG_PATH }));
    expect(world.git.contractErrors).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
  });

  it("writes nothing new when the merge event is delivered again", async () => {
    const world = await adoptedWorld();
    const before = world.git.refs.get(NOTES);
    const blobs = world.git.blobs.size;
    // The same delivery again.
    const { pull, merge } = trusted!;
    const { app } = await deliverMerge(world, pull, merge);
    expect(app.logs.join("")).toContain('"msg":"evidence already written"');
    expect(world.git.refs.get(NOTES)).toBe(before);
    expect(world.git.blobs.size).toBe(blobs);
    expect(statementsOf(world, world.main)).toHaveLength(1);
  });

  it("places its document after a concurrent writer's when the ref moved first", async () => {
    const world = await adoptedWorld();
    const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
      "chen-jie",
    ]);
    // Another replica appends its own document just before this one moves the ref.
    const theirs = await otherWriter(world);
    world.git.beforeRefUpdate = () => world.git.refs.set(NOTES, theirs.commit);
    const merge = await mergePull(world, schedule, "li-na");
    expect(world.git.refused).toBe(1);
    const [mine] = statementsOf(world, merge);
    expect(mine.predicate.sequence).toBe(theirs.sequence + 1);
    expect(mine.predicate.previous).toBe(theirs.digest);
    expect(parseTip(world.git.read(NOTES, "tip"))).toMatchObject({ sequence: theirs.sequence + 1 });
    // Their document is still there: the ref only ever moved forward.
    expect(
      world.git.read(NOTES, `${theirs.subject.slice(0, 2)}/${theirs.subject.slice(2)}`),
    ).toBeDefined();
    expect(world.git.contractErrors).toStrictEqual([]);
  });
});

describe("two replicas writing the same merge", () => {
  it("leaves one document when the other replica's write lands between this one's read and its ref update", async () => {
    const world = await adoptedWorld();
    const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
      "chen-jie",
    ]);
    const before = world.git.refs.get(NOTES)!;
    // The other replica handles the merge first and moves the ref.
    const merge = await mergePull(world, schedule, "li-na");
    const theirs = world.git.refs.get(NOTES)!;
    expect(theirs).not.toBe(before);
    // This replica read the ledger before that write: it sees no note and builds on `before`;
    // the other write lands just before its ref update, which GitHub then refuses.
    world.git.refs.set(NOTES, before);
    world.git.beforeRefUpdate = () => world.git.refs.set(NOTES, theirs);
    const { app } = await deliverMerge(world, schedule, merge, { by: "li-na" });
    expect(world.git.refused).toBe(1);
    expect(app.logs.join("")).toContain('"msg":"evidence already written"');
    expect(world.git.refs.get(NOTES)).toBe(theirs);
    expect(statementsOf(world, merge)).toHaveLength(1);
    expect(parseTip(world.git.read(NOTES, "tip"))).toMatchObject({
      sequence: statementsOf(world, merge)[0].predicate.sequence,
    });
    expect(world.git.contractErrors).toStrictEqual([]);
  });
});

describe("a deleted ledger", () => {
  it("is not started again once the base policy trusts the evidence key", async () => {
    const world = await adoptedWorld();
    world.git.refs.delete(NOTES);
    const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
      "chen-jie",
    ]);
    await mergePull(world, schedule, "li-na");
    expect(world.git.refs.has(NOTES)).toBe(false);
    expect(lastLogs).toMatch(
      /refs\/notes\/gatehouse does not exist although the base policy trusts the evidence key: it was deleted/,
    );
    // The delivery fails, so that GitHub shows it and it can be redelivered once restored.
    expect(String(lastFailure)).toMatch(/could not write the merge's evidence: .*it was deleted/);
  });
});

describe("separation of duties across pull requests in the App", () => {
  it("does not pass the ops lead who approved the schedule acting as release manager, and says why", async () => {
    const world = await adoptedWorld();
    const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
      "chen-jie",
    ]);
    await mergePull(world, schedule, "li-na");
    nock.cleanAll();
    const cancel = world.pull(
      "liu-yang",
      { [CHG_PATH]: yamlOf(changeAt.cancelled(DEMO_WINDOW)) },
      ["chen-jie"],
      null,
    );
    const gh = github(cancel)
      .graphql(2 + 1)
      .checks(2);
    const reads = world.git.requests.graphql;
    const app = createApp();
    await receive(app, "pull_request", examplePayload("pull_request", "opened", cancel));
    // The earlier acts come with the query for the changed files' texts, whatever the ledger's
    // length: no request of their own.
    expect(world.git.requests.graphql - reads).toBe(0);
    expect(gh.graphqlRequests).toBe(2);
    const check = gh.last().body;
    expect(check.status).toBe("in_progress");
    const refused = `chen-jie approved ${CHG} as ops-lead in #${schedule.number}; ops-lead and release-manager may not be combined`;
    expect(check.output.summary).toContain(refused);
    expect(gh.contractErrors).toStrictEqual([]);

    // Judged again (a label, a review), the ledger's folders come with the first query, the
    // only request: the same acts, the same refusal.
    cancel.labels = ["urgent"];
    await receive(app, "pull_request", examplePayload("pull_request", "labeled", cancel));
    expect(world.git.requests.graphql - reads).toBe(0);
    expect(gh.graphqlRequests).toBe(2 + 1);
    expect(app.logs.join("")).toMatch(/"requests":1,/);
    expect(gh.last().body.output.summary).toContain(refused);
    expect(unmatched()).toStrictEqual([]);
  });
});

describe("evidence signed by a key revoked since, in the App", () => {
  it("fails the record instead of counting the earlier acts, and the check says why", async () => {
    const world = await adoptedWorld();
    const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
      "chen-jie",
    ]);
    await mergePull(world, schedule, "li-na");
    // The key is revoked (superseded) a minute after it signed every document; the judgement
    // comes an hour later.
    const { publicKey: revoked } = await revokeKey({
      key: await readPrivateKey({ armoredKey: key().privateKey }),
      reasonForRevocation: { flag: enums.reasonForRevocation.keySuperseded, string: "rotated" },
      date: new Date(Date.now() + 60_000),
      format: "armored",
    });
    world.files.set("policies/keys/gatehouse-evidence.asc", revoked);
    world.main = world.git.commitFiles(world.files, [world.main], "Revoke the evidence key");
    world.git.refs.set("refs/heads/main", world.main);
    nock.cleanAll();
    // li-na had no hand in the change: with its evidence trusted, this cancel would pass.
    const cancel = world.pull(
      "liu-yang",
      { [CHG_PATH]: yamlOf(changeAt.cancelled(DEMO_WINDOW)) },
      ["li-na"],
      null,
    );
    const gh = github(cancel).graphql(2).checks();
    const later = fakeClock(new Date(Date.now() + 3_600_000)).clock;
    await receive(
      createApp({ clock: later }),
      "pull_request",
      examplePayload("pull_request", "opened", cancel),
    );
    const check = gh.last().body;
    expect(check.conclusion).toBe("failure");
    expect(JSON.stringify(check.output)).toMatch(
      /evidence #\d+ of CHG-2026-0001 is signed by key \S+, which was revoked \(superseded\) on [^;]+; the document says it was written on [^,]+, but a document's date is whatever its signer wrote, so an evidence key must still be valid when the evidence is judged/,
    );
    expect(gh.contractErrors).toStrictEqual([]);
  });
});

/** A document another writer appended on top of the ledger, as its commit. */
async function otherWriter(world: LedgerWorld) {
  const git = world.git;
  const head = git.refs.get(NOTES)!;
  const tip = parseTip(git.read(NOTES, "tip"))!;
  const subject = git.commitFiles(new Map([["x", "y"]]), [], "elsewhere");
  const draft = draftStatement(
    {
      repository: "acme/payments",
      pullRequest: { number: 99, author: "wang-jun" },
      baseRef: "main",
      merge: { sha: subject, by: "wang-jun", at: new Date(), commits: [subject] },
      check: { name: "gatehouse", id: 1, conclusion: "success" },
      recordBlobs: new Map(),
      writtenAt: new Date(),
    },
    { base: { sha: subject, files: new Map() }, head: { sha: subject, files: new Map() } },
    {
      conclusion: "success",
      summary: "all requirements met",
      records: [],
      rules: { id: "gatehouse", status: "satisfied", reason: "", children: [] },
      findings: [],
      acts: [],
    },
  );
  const state = { commit: head, tip, noteCommit: subject, note: null, heads: new Map() };
  const placed = await placeStatements([draft], state, (s) => signedLine(s, key().signer));
  const files = git.files(git.commits.get(head)!.tree);
  for (const entry of appendEntries(state, placed)) files.set(entry.path, git.blob(entry.text));
  const commit = git.commit(git.treeOf(files, true), [head], "another replica");
  return { commit, sequence: tip.sequence + 1, digest: placed[0]!.digest, subject };
}
