/**
 * What the App's evidence tests share: the evidence key the App signs with (in its environment
 * for the test file's duration), and a merge on the fake GitHub whose evidence the App writes.
 */
import nock from "nock";
import { afterAll, beforeAll } from "vitest";
import { evidenceKey, type EvidenceKey } from "../../evidence/ledger-repo.js";
import { API, createApp, github, receive, type TestApp } from "./app.js";
import type { FakePull } from "./fake-github.js";
import type { LedgerWorld } from "./ledger-world.js";

/** Gives the App an evidence key for the file's tests; returns a getter of it. */
export function appEvidenceKey(): () => EvidenceKey {
  let key: EvidenceKey | undefined;
  beforeAll(async () => {
    key = await evidenceKey();
    process.env.GATEHOUSE_EVIDENCE_KEY = key.privateKey;
  }, 30_000);
  afterAll(() => {
    delete process.env.GATEHOUSE_EVIDENCE_KEY;
  });
  return () => {
    if (key === undefined) throw new Error("the evidence key is made in beforeAll");
    return key;
  };
}

/** Merges `pull` on the fake GitHub as `by`; the App writes its evidence. Returns the merge. */
export async function mergeWithEvidence(
  world: LedgerWorld,
  pull: FakePull,
  by: string,
): Promise<string> {
  const merge = world.merge(pull);
  const { failed } = await deliverMerge(world, pull, merge, { by });
  if (failed) throw failed;
  return merge;
}

export interface MergeDelivery {
  app: TestApp;
  /** What the delivery failed with (GitHub would show it as failed), or null. */
  failed: unknown;
  /** The GraphQL operations asked about the pull request, by name. */
  operations: string[];
  /** Every request to GitHub: the pull request's, the ledger's, issues and deployments. */
  requests: number;
}

/**
 * Delivers the `pull_request.closed` of a merged pull request (again, for a redelivery) on the
 * fake GitHub, and counts what the App asked of it.
 */
export async function deliverMerge(
  world: LedgerWorld,
  pull: FakePull,
  merge: string,
  options: { by?: string; app?: TestApp } = {},
): Promise<MergeDelivery> {
  nock.cleanAll();
  const gh = github(pull).graphql(10).checks(1);
  world.git.serve(API, pull.owner, pull.name);
  const operations: string[] = [];
  let requests = 0;
  gh.scope.on("request", (_req: unknown, _interceptor: unknown, body: string) => {
    requests += 1;
    const name = /query (\w+)/.exec(body ?? "")?.[1];
    if (name) operations.push(name);
  });
  const others = () =>
    world.git.requests.graphql +
    world.git.requests.rest +
    Object.values(world.git.tracker.requests).reduce((a, b) => a + b, 0);
  const before = others();
  const app = options.app ?? createApp();
  const payload = world.closedPayload(pull, merge, options.by ?? "xu-ming");
  const failed = await receive(app, "pull_request", payload)
    .then(() => null)
    .catch((error: unknown) => error);
  requests += others() - before;
  return { app, failed, operations, requests };
}
