/**
 * One delivery of a merged pull request's `pull_request.closed` to a fresh App, on the fake
 * GitHub of a {@link LedgerWorld}, counting every request the App makes (for tests and for
 * `npm run bench -- merge`).
 */
import nock from "nock";
import { API, createApp, github, receive, type TestApp } from "./app.js";
import type { FakePull } from "./fake-github.js";
import type { LedgerWorld } from "./ledger-world.js";

export interface MergeDelivery {
  app: TestApp;
  /** What the delivery failed with (GitHub would show it as failed), or null. */
  failed: unknown;
  /** The GraphQL operations asked about the pull request, by name. */
  operations: string[];
  /** Every request to GitHub: the pull request's, the ledger's, issues and deployments. */
  requests: number;
  /** The same by part: the pull request's (and the check's), the ledger's, the tracker's. */
  parts: { pull: number; ledger: number; tracker: number };
}

/**
 * Delivers the `pull_request.closed` of a merged pull request (again, for a redelivery) on the
 * fake GitHub, and counts what the App asked of it.
 */
export async function deliverMerge(
  world: LedgerWorld,
  pull: FakePull,
  merge: string,
  options: { by?: string } = {},
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
  const ledger = () => world.git.requests.graphql + world.git.requests.rest;
  const tracker = () => Object.values(world.git.tracker.requests).reduce((a, b) => a + b, 0);
  const before = { ledger: ledger(), tracker: tracker() };
  const app = createApp();
  const payload = world.closedPayload(pull, merge, options.by ?? "xu-ming");
  const failed = await receive(app, "pull_request", payload)
    .then(() => null)
    .catch((error: unknown) => error);
  const parts = {
    pull: requests,
    ledger: ledger() - before.ledger,
    tracker: tracker() - before.tracker,
  };
  return { app, failed, operations, requests: parts.pull + parts.ledger + parts.tracker, parts };
}
