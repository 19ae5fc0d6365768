/**
 * A repository whose production deployment the protection rule judges, for the app tests and
 * `npm run bench -- deploy`: the finance pack and one scheduled change at the default branch,
 * the deployed commit naming it, a `deployment_protection_rule` payload built to GitHub's
 * OpenAPI webhook schema (the examples package has none), and GitHub's answers through nock.
 */
import nock from "nock";
import { stringify } from "yaml";
import { changeRecord, OPS } from "../../core/deploy/pack-snapshot.js";
import { API, examplePayload } from "./app.js";
import { FakeGit, isGitQuery } from "./fake-git.js";
import { answerGraphQL, type FakePull } from "./fake-github.js";
import { financePack } from "./pull-fixture.js";

export const SHA = "d".repeat(40);
export const PREVIOUS = "e".repeat(40);
export const RUN = 5150;
export const CALLBACK = `/repos/acme/payments/actions/runs/${RUN}/deployment_protection_rule`;

/** The repository: the pack and CHG-2026-0001 (with `changeFields`) on main. */
export function protectedRepository(changeFields: Record<string, unknown> = {}): FakePull {
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
export function protectionPayload(
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
    deployment_callback_url: `${API}${CALLBACK}`,
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

export interface ProtectionGitHub {
  scope: nock.Scope;
  /** The bodies of the answers, in the order they came. */
  answers: Array<Record<string, unknown>>;
  /** When each answer came (performance.now()), in the same order. */
  answeredAt: number[];
}

export interface ProtectionGitHubOptions {
  /** Judgements of the deployment GitHub answers (default 1). */
  deliveries?: number;
  /** Answer the repeated GraphQL query from memory (the bench measures gatehouse, not the fake). */
  cached?: boolean;
  /** GraphQL queries of one judgement besides the ledger's (default 2: policy and teams). */
  queries?: number;
}

/**
 * GitHub for judgements of the deployment: the GraphQL reads answered by the fake (the ledger's
 * by the repository's git objects, `pull.git`), and either
 * the files changed since the last successful deployment (`files`) or, with null, no earlier
 * deployment and the whole tree.
 */
export function protectionGitHub(
  pull: FakePull,
  files: string[] | null,
  options: ProtectionGitHubOptions = {},
): ProtectionGitHub {
  const { deliveries = 1, cached = false, queries = 2 } = options;
  // The evidence ledger's queries go to the repository's git objects (an empty ledger unless
  // the test gives some), before the interceptor of the deployment's own queries can take them.
  const git = pull.git ?? new FakeGit();
  nock(API)
    .persist()
    .post("/graphql", (body) => isGitQuery(body))
    .reply(200, (_uri, body) => git.answer(body as { query: string }) as Record<string, unknown>);
  const scope = nock(API);
  const memo = new Map<string, unknown>();
  scope
    .post("/graphql")
    .times(queries * deliveries)
    .reply(200, (_uri, body) => {
      const key = JSON.stringify(body);
      if (cached && memo.has(key)) return memo.get(key);
      const answer = answerGraphQL(pull, body as { query: string });
      if (cached) memo.set(key, answer);
      return answer;
    });
  if (files === null) {
    scope.get("/repos/acme/payments/deployments").query(true).times(deliveries).reply(200, []);
    scope
      .get(`/repos/acme/payments/git/trees/${SHA}`)
      .query({ recursive: "1" })
      .times(deliveries)
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
      .times(deliveries)
      .reply(200, [
        { id: 77, sha: SHA },
        { id: 76, sha: PREVIOUS },
      ]);
    scope
      .get("/repos/acme/payments/deployments/76/statuses")
      .query(true)
      .times(deliveries)
      .reply(200, [{ id: 1, state: "success" }]);
    scope
      .get(`/repos/acme/payments/compare/${PREVIOUS}...${SHA}`)
      .query(true)
      .times(deliveries)
      .reply(200, { files: files.map((filename) => ({ filename, status: "modified" })) });
  }
  const answers: Array<Record<string, unknown>> = [];
  const answeredAt: number[] = [];
  scope
    .post(CALLBACK)
    .times(deliveries)
    .reply(204, (_uri, body) => {
      answers.push(body as Record<string, unknown>);
      answeredAt.push(performance.now());
      return "";
    });
  return { scope, answers, answeredAt };
}
