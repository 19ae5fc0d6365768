/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are plain JSON the tests read freely */
/**
 * A merge that deploys: the App creates a GitHub Deployment (ref = the merge commit, the
 * environment, the change id with its steps and rollback, auto_merge false) and, for an
 * emergency change, a post-implementation review issue, once (an issue someone else opened does
 * not count). Request bodies are checked against GitHub's OpenAPI description.
 */
import nock from "nock";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { changeRecord, OPS } from "../core/deploy/pack-snapshot.js";
import { answerGraphQL, type FakePull } from "./helpers/fake-github.js";
import { API, APP_ID, createApp, examplePayload, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { restBodyErrors } from "./helpers/openapi.js";
import { financePack } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();
const MERGE = "9".repeat(40);
const FILE = "deploy/production/payments/app.yaml";

function mergedPull(type: string): FakePull {
  const baseFiles = financePack();
  baseFiles.set("changes/CHG-2026-0001.yaml", stringify(changeRecord("CHG-2026-0001", { type })));
  baseFiles.set(FILE, "image: gateway:4.2.0\n");
  return {
    owner: "acme",
    name: "payments",
    number: 12,
    state: "MERGED",
    author: OPS,
    body: "Deploy the gateway.\n\nChange: CHG-2026-0001\n",
    baseRef: "main",
    baseSha: MERGE,
    headSha: "8".repeat(40),
    baseFiles,
    headFiles: new Map([[FILE, "image: gateway:4.2.0\n"]]),
    changed: [{ path: FILE, changeType: "ADDED" }],
    commits: [],
    reviews: [],
    labels: [],
    checks: [],
    teams: { "acme/qa": ["qa-1"], "acme/ops": ["ops-1"], "acme/architects": [] },
  };
}

interface Issue {
  number: number;
  title: string;
  performed_via_github_app: { id: number } | null;
}

async function merge(type: string, existingIssues: Issue[] = []) {
  const pull = mergedPull(type);
  const app = createApp();
  const scope = nock(API);
  // Two queries load the merged pull request (its change records come with the second); the
  // other closed-handler also looks up pull requests that shared the head. The fake answers all.
  let queries = 0;
  scope
    .post("/graphql")
    .times(3)
    .reply(200, (_uri, body) => {
      queries += 1;
      return answerGraphQL(pull, body as { query: string });
    });
  const bodies: Array<{ path: string; body: Record<string, any> }> = [];
  // Whether an earlier delivery of the merge created its Deployment already: none did.
  scope
    .get("/repos/acme/payments/deployments")
    .query({ sha: MERGE, per_page: "100" })
    .reply(200, []);
  scope.post("/repos/acme/payments/deployments").reply(201, (uri, body) => {
    bodies.push({ path: uri, body: body as Record<string, any> });
    return { id: 501 };
  });
  if (type === "emergency") {
    scope
      .get("/repos/acme/payments/issues")
      .query({ labels: "gatehouse:post-implementation-review", state: "all", per_page: "100" })
      .reply(200, existingIssues);
    const reviewed = (i: Issue) =>
      i.performed_via_github_app?.id === APP_ID && i.title.endsWith(" CHG-2026-0001");
    if (!existingIssues.some(reviewed)) {
      scope.post("/repos/acme/payments/issues").reply(201, (uri, body) => {
        bodies.push({ path: uri, body: body as Record<string, any> });
        return { number: 13 };
      });
    }
  }
  const payload = examplePayload("pull_request", "closed", pull);
  payload.pull_request.merged = true;
  payload.pull_request.merge_commit_sha = MERGE;
  payload.pull_request.state = "closed";
  await receive(app, "pull_request", payload);
  expect(unmatched()).toEqual([]);
  expect(scope.pendingMocks()).toStrictEqual([]);
  expect(queries).toBe(3);
  return bodies;
}

describe("a merge that deploys", () => {
  it("creates a GitHub Deployment of the merge commit carrying the change", async () => {
    const [deployment] = await merge("normal");
    expect(restBodyErrors("POST", "/repos/{owner}/{repo}/deployments", deployment!.body)).toEqual(
      [],
    );
    expect(deployment!.body).toMatchObject({
      ref: MERGE,
      environment: "production",
      auto_merge: false,
      required_contexts: [],
      payload: {
        change: "CHG-2026-0001",
        record: "changes/CHG-2026-0001.yaml",
        steps: ["switch 10% of traffic", "switch the rest"],
        rollback: ["switch traffic back to blue"],
        files: [FILE],
      },
    });
  });

  it("opens the post-implementation review of an emergency change for QA and the ops manager", async () => {
    const [, issue] = await merge("emergency");
    // (GitHub's description of this body has a schema ajv cannot compile: "nullable" alone.)
    expect(issue!.body.title).toBe("Post-implementation review of emergency change CHG-2026-0001");
    expect(issue!.body.labels).toEqual(["gatehouse:post-implementation-review"]);
    expect(issue!.body.assignees).toEqual(["qa-1", "example-xu-hong"]);
  });

  it("opens the review once, however often the change is merged again", async () => {
    const bodies = await merge("emergency", [
      {
        number: 13,
        title: "Post-implementation review of emergency change CHG-2026-0001",
        performed_via_github_app: { id: APP_ID },
      },
    ]);
    expect(bodies.map((b) => b.path)).toEqual(["/repos/acme/payments/deployments"]);
  });

  it.each([
    ["someone else opened an issue of its title", "CHG-2026-0001", null],
    ["the App's own issue is another change's", "CHG-2026-00011", { id: APP_ID }],
  ])("opens the review though %s", async (_case, id, app) => {
    const bodies = await merge("emergency", [
      {
        number: 13,
        title: `Post-implementation review of emergency change ${id}`,
        performed_via_github_app: app,
      },
    ]);
    expect(bodies.map((b) => b.path)).toEqual([
      "/repos/acme/payments/deployments",
      "/repos/acme/payments/issues",
    ]);
  });
});
