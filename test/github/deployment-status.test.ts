/**
 * The statuses of a Deployment gatehouse created go into its change's evidence: each
 * `deployment_status` delivery (a real payload from the examples package) appends one signed
 * document on the deployed commit, filed under the change and chained to its documents, through
 * a GitHub that keeps to its contracts. A redelivery writes nothing; a deployment of another
 * tool costs no request; the change's evidence still verifies for the next judgement.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { CHG, CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { noteLines } from "../../src/core/evidence/append.js";
import { gitBlobSha } from "../../src/core/evidence/build-statement.js";
import { indexDir, indexEntryName } from "../../src/core/evidence/ledger-layout.js";
import { recordEvidence } from "../../src/core/evidence/record-evidence.js";
import { readRecordLedger } from "../../src/github/read-ledger.js";
import { API, APP_ID, createApp, examplePayload, receive } from "./helpers/app.js";
import { isGitQuery } from "./helpers/fake-git.js";
import type { FakePull } from "./helpers/fake-github.js";
import { LedgerWorld } from "./helpers/ledger-world.js";
import { appEvidenceKey, mergeWithEvidence } from "./helpers/ledger-merge.js";
import { noNetwork } from "./helpers/no-network.js";

const unmatched = noNetwork();
/** A GitHub App as a Deployment's `performed_via_github_app` names it. */
const GITHUB_APP = {
  node_id: "MDM6QXBwMQ==",
  owner: null,
  name: "gatehouse",
  description: null,
  external_url: "https://gatehouse.example",
  html_url: "https://github.com/apps/gatehouse",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  permissions: {},
  events: [],
};
const NOTES = "refs/notes/gatehouse";
const key = appEvidenceKey();

/** The ledger begun by trusting the key; the change scheduled in a merge that is then deployed. */
async function deployedWorld(): Promise<{ world: LedgerWorld; deployed: string }> {
  const world = await LedgerWorld.create({ [CHG_PATH]: yamlOf(changeAt.requested) });
  const trust = world.pull("li-na", { "policies/keys/gatehouse-evidence.asc": key().publicKey }, [
    "xu-ming",
    "guo-fang",
  ]);
  await mergeWithEvidence(world, trust, "xu-ming");
  const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
    "chen-jie",
  ]);
  return { world, deployed: await mergeWithEvidence(world, schedule, "li-na") };
}

/** GitHub as the status's delivery finds it: the ledger, the Git Data API, the record's file. */
function serve(world: LedgerWorld) {
  nock.cleanAll();
  nock(API)
    .persist()
    .post("/graphql", (body) => isGitQuery(body))
    .reply(200, (_uri, body) => world.git.answer(body as { query: string }) as object);
  world.git.serve(API, "acme", "payments");
  const reads: string[] = [];
  nock(API)
    .persist()
    .get(/^\/repos\/acme\/payments\/contents\//)
    .query(true)
    .reply((uri) => {
      const url = new URL(uri, API);
      const path = decodeURIComponent(url.pathname.replace("/repos/acme/payments/contents/", ""));
      const ref = url.searchParams.get("ref") ?? "";
      reads.push(`${path}@${ref}`);
      const text = world.git.read(ref, path);
      if (text === undefined) return [404, { message: "Not Found" }];
      const content = Buffer.from(text).toString("base64");
      return [200, { type: "file", path, name: path, sha: gitBlobSha(text), content }];
    });
  return reads;
}

function statusPayload(
  deployed: string,
  status: { id: number; state: string },
  deploymentPayload: Record<string, unknown> = { change: CHG, record: CHG_PATH },
  createdBy: number | null = APP_ID,
) {
  const payload = examplePayload("deployment_status", "created", {
    owner: "acme",
    name: "payments",
  } as FakePull);
  payload.deployment = {
    ...payload.deployment,
    id: 4242,
    sha: deployed,
    ref: "main",
    environment: "production",
    payload: deploymentPayload,
    performed_via_github_app:
      createdBy === null ? null : { ...GITHUB_APP, id: createdBy, slug: `app-${createdBy}` },
  };
  payload.deployment_status = {
    ...payload.deployment_status,
    id: status.id,
    state: status.state,
    environment: "production",
    description: status.state === "success" ? "gateway 4.2.0 rolled out" : "health checks failed",
    created_at: "2026-11-26T14:40:00Z",
  };
  return payload;
}

function statements(world: LedgerWorld, commit: string) {
  const note = world.git.read(NOTES, `${commit.slice(0, 2)}/${commit.slice(2)}`) ?? null;
  return noteLines(note).map((line) => {
    const envelope = JSON.parse(line) as { payload: string };
    return JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
  });
}

describe("deployment statuses in the change's evidence", () => {
  it("appends each status on the deployed commit, filed under the change and chained to it", async () => {
    const { world, deployed } = await deployedWorld();
    const reads = serve(world);
    const [merge] = statements(world, deployed);
    await receive(
      createApp(),
      "deployment_status",
      statusPayload(deployed, { id: 1, state: "success" }),
    );
    const notes = statements(world, deployed);
    expect(notes).toHaveLength(2);
    const status = notes[1].predicate;
    expect(status).toMatchObject({
      event: "deployment-status",
      sequence: merge.predicate.sequence + 1,
      pullRequest: null,
      merge: { sha: deployed, at: "2026-11-26T14:40:00Z" },
      acts: [],
      deployment: {
        id: 4242,
        environment: "production",
        statusId: 1,
        state: "success",
        description: "gateway 4.2.0 rolled out",
      },
      verdict: { conclusion: "success" },
    });
    expect(status.records).toEqual([
      {
        id: CHG,
        kind: "ChangeRequest",
        path: CHG_PATH,
        from: "scheduled",
        to: "scheduled",
        blob: gitBlobSha(world.git.read(deployed, CHG_PATH)!),
        previous: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    ]);
    expect(reads).toEqual([`${CHG_PATH}@${deployed}`]);
    // Filed under the change, next to its merges.
    const index = world.git.read(NOTES, `${indexDir(CHG)}/${indexEntryName(status.sequence)}`);
    expect(index).toBeDefined();
    expect(world.git.contractErrors).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);

    // The same delivery again writes nothing; a later status writes its own document.
    const ref = world.git.refs.get(NOTES);
    await receive(
      createApp(),
      "deployment_status",
      statusPayload(deployed, { id: 1, state: "success" }),
    );
    expect(world.git.refs.get(NOTES)).toBe(ref);
    await receive(
      createApp(),
      "deployment_status",
      statusPayload(deployed, { id: 2, state: "failure" }),
    );
    const after = statements(world, deployed);
    expect(after).toHaveLength(3);
    expect(after[2].predicate).toMatchObject({
      deployment: { statusId: 2, state: "failure" },
      verdict: { conclusion: "failure" },
    });

    // The change's evidence still verifies for the next judgement, documents and all.
    const client = {
      graphql: async <T>(query: string, variables?: Record<string, unknown>) =>
        (world.git.answer({ query, variables: variables ?? {} }) as { data: T }).data,
    };
    const ledger = await readRecordLedger(client as never, { owner: "acme", repo: "payments" }, [
      CHG,
    ]);
    const evidence = await recordEvidence(
      {
        base: { sha: world.main, files: world.files },
        changed: [],
        body: `Change: ${CHG}`,
        changeRecords: new Map([[CHG_PATH, world.files.get(CHG_PATH)!]]),
        now: new Date("2026-11-26T23:00:00+08:00"),
      },
      ledger,
    );
    expect(evidence.filter((e) => e.verification?.status === "failed")).toEqual([]);
    expect(evidence.map((e) => e.document?.event)).toEqual(
      expect.arrayContaining(["merge", "deployment-status", "deployment-status"]),
    );
  });

  it("leaves a deployment that names no change alone, without a request", async () => {
    const { world, deployed } = await deployedWorld();
    nock.cleanAll();
    const before = world.git.refs.get(NOTES);
    await receive(
      createApp(),
      "deployment_status",
      statusPayload(deployed, { id: 3, state: "success" }, { tool: "argo" }),
    );
    expect(world.git.refs.get(NOTES)).toBe(before);
    expect(unmatched()).toStrictEqual([]);
  });

  it.each([
    ["another GitHub App", 4711],
    ["a person or a workflow's token", null],
  ])(
    "files no status of a deployment created by %s, even one naming the change",
    async (_who, createdBy) => {
      const { world, deployed } = await deployedWorld();
      nock.cleanAll();
      const before = world.git.refs.get(NOTES);
      await receive(
        createApp(),
        "deployment_status",
        statusPayload(deployed, { id: 5, state: "success" }, undefined, createdBy),
      );
      expect(world.git.refs.get(NOTES)).toBe(before);
      expect(statements(world, deployed)).toHaveLength(1);
      expect(unmatched()).toStrictEqual([]);
    },
  );
});
