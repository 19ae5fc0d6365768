/**
 * The custom deployment protection rule through the real app: a `deployment_protection_rule`
 * payload built to GitHub's OpenAPI webhook schema (the examples package has none), GitHub's
 * GraphQL answered by the fake over the real schema, REST by nock, and the answer's body
 * checked against the OpenAPI description of the protection-rule review endpoint.
 */
import nock from "nock";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import type { Evidence } from "../../src/core/types.js";
import { changeRecord, INSIDE, OPS, WINDOW } from "../core/deploy/pack-snapshot.js";
import type { FakePull } from "./helpers/fake-github.js";
import { API, createApp, examplePayload, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { restBodyErrors } from "./helpers/openapi.js";
import { financePack } from "./helpers/pull-fixture.js";
import { webhookErrors } from "./helpers/webhook-schema.js";

const unmatched = noNetwork();
const SHA = "d".repeat(40);
const PREVIOUS = "e".repeat(40);
const RUN = 5150;

function repository(changeFields: Record<string, unknown>): FakePull {
  const baseFiles = financePack();
  baseFiles.set(
    "changes/CHG-2026-0001.yaml",
    stringify(changeRecord("CHG-2026-0001", changeFields)),
  );
  const person = {
    name: OPS,
    email: `${OPS}@bank.example`,
    login: OPS,
    date: "2026-11-26T14:00:00Z",
  };
  return {
    owner: "acme",
    name: "payments",
    number: 1,
    state: "MERGED",
    author: OPS,
    body: "",
    baseRef: "main",
    // The fake resolves "<baseSha>:<path>"; the app asks for "main:<path>", the default branch.
    baseSha: "main",
    headSha: SHA,
    baseFiles,
    headFiles: new Map(),
    changed: [],
    commits: [
      {
        sha: SHA,
        tree: "f".repeat(40),
        parents: [PREVIOUS],
        author: person,
        committer: person,
        message: "Deploy the gateway 4.2.0\n\nChange: CHG-2026-0001\n",
        signature: null,
      },
    ],
    reviews: [],
    labels: [],
    checks: [],
    teams: { "acme/qa": ["qa-1"], "acme/ops": ["ops-1"], "acme/architects": [] },
  };
}

/**
 * A payload as GitHub sends it, shaped by the OpenAPI webhook schema: the repository and users
 * are real ones from the examples package (of a `deployment` event), the rest follows the schema.
 */
function protectionPayload(
  pull: FakePull,
  sender: string,
  deploymentPayload: Record<string, unknown> = {},
) {
  const example = examplePayload("deployment", "created", pull);
  const user = (login: string) => ({
    ...example.sender,
    login,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
  });
  return {
    action: "requested",
    environment: "production",
    event: "push",
    sha: SHA,
    ref: "refs/heads/main",
    deployment_callback_url: `${API}/repos/acme/payments/actions/runs/${RUN}/deployment_protection_rule`,
    deployment: {
      ...example.deployment,
      id: 77,
      sha: SHA,
      ref: "main",
      task: "deploy",
      payload: deploymentPayload,
      original_environment: "production",
      environment: "production",
      creator: user("github-actions"),
    },
    pull_requests: [],
    repository: { ...example.repository, default_branch: "main" },
    installation: example.installation,
    sender: user(sender),
  };
}

interface Scenario {
  sender?: string;
  now?: Date;
  changeFields?: Record<string, unknown>;
  /** Files since the last successful deployment (compare), or null for no earlier deployment. */
  files?: string[] | null;
  evidence?: Evidence[];
}

async function deliver(scenario: Scenario) {
  const pull = repository(scenario.changeFields ?? {});
  const app = createApp({
    deployments: {
      now: () => scenario.now ?? INSIDE,
      ...(scenario.evidence ? { evidenceFor: async () => scenario.evidence! } : {}),
    },
  });
  const scope = nock(API);
  const { answerGraphQL } = await import("./helpers/fake-github.js");
  scope
    .post("/graphql")
    .times(2)
    .reply(200, (_uri, body) => answerGraphQL(pull, body as { query: string }));
  const files =
    scenario.files === undefined ? ["deploy/production/payments/app.yaml"] : scenario.files;
  if (files === null) {
    scope.get("/repos/acme/payments/deployments").query(true).reply(200, []);
    scope
      .get(`/repos/acme/payments/git/trees/${SHA}`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: SHA,
        url: "",
        truncated: false,
        tree: [
          { path: "deploy/production/payments/app.yaml", type: "blob", mode: "100644", sha: "1" },
          { path: "README.md", type: "blob", mode: "100644", sha: "2" },
        ],
      });
  } else {
    scope
      .get("/repos/acme/payments/deployments")
      .query({ environment: "production", per_page: "10" })
      .reply(200, [
        { id: 77, sha: SHA },
        { id: 76, sha: PREVIOUS },
      ]);
    scope
      .get("/repos/acme/payments/deployments/76/statuses")
      .query(true)
      .reply(200, [{ id: 1, state: "success" }]);
    scope
      .get(`/repos/acme/payments/compare/${PREVIOUS}...${SHA}`)
      .query(true)
      .reply(200, { files: files.map((filename) => ({ filename, status: "modified" })) });
  }
  const answers: Array<Record<string, unknown>> = [];
  scope
    .post(`/repos/acme/payments/actions/runs/${RUN}/deployment_protection_rule`)
    .reply(204, (_uri, body) => {
      answers.push(body as Record<string, unknown>);
      return "";
    });
  const payload = protectionPayload(pull, scenario.sender ?? OPS);
  expect(webhookErrors("deployment-protection-rule-requested", payload)).toEqual([]);
  await receive(app, "deployment_protection_rule", payload);
  expect(scope.pendingMocks()).toStrictEqual([]);
  expect(unmatched()).toEqual([]);
  expect(answers).toHaveLength(1);
  const answer = answers[0]!;
  expect(
    restBodyErrors(
      "POST",
      "/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule",
      answer,
    ),
  ).toEqual([]);
  return answer as { environment_name: string; state: string; comment: string };
}

describe("the deployment protection rule", () => {
  it("approves inside the window, naming the change, its window and the executor", async () => {
    const answer = await deliver({});
    expect(answer).toEqual({
      environment_name: "production",
      state: "approved",
      comment:
        "Approved: production: deploy/production/payments/app.yaml under CHG-2026-0001 (window 2026-11-26 22:00–23:30 (Asia/Shanghai)), executed by example-li-na.",
    });
  });

  it("rejects in a freeze and says so", async () => {
    const answer = await deliver({
      now: new Date("2026-12-29T22:30:00+08:00"),
      changeFields: {
        window: { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:30:00+08:00" },
      },
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      /falls in the freeze "year-end close" \(2026-12-28 to 2027-01-04\); a freeze beats a window/,
    );
  });

  it("rejects an executor who initiated the change", async () => {
    const answer = await deliver({
      evidence: [
        {
          record: "CHG-2026-0001",
          acts: [
            { record: "CHG-2026-0001", role: "release-manager", login: OPS, action: "approval" },
          ],
        },
      ],
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      /example-li-na approved CHG-2026-0001 as release-manager in an earlier pull request; the executor of a change may have no other hand in it/,
    );
  });

  it("rejects a deployment that brings a file outside the change's covers", async () => {
    const answer = await deliver({
      files: ["deploy/production/payments/app.yaml", "deploy/production/ledger/db.yaml"],
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      /deploy\/production\/ledger\/db.yaml is not covered by CHG-2026-0001/,
    );
  });

  it("judges every deployment file of the environment at its first deployment", async () => {
    const answer = await deliver({ files: null });
    expect(answer.state).toBe("approved");
  });

  it("rejects once the window has closed", async () => {
    const answer = await deliver({ now: new Date(WINDOW.end) });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(/closed at 2026-11-26 23:30/);
  });
});
