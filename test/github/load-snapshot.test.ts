import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/evaluate/evaluate.js";
import { loadSnapshot, type GraphQLClient } from "../../src/github/load-snapshot.js";
import { policyTeams } from "../../src/github/policy-teams.js";
import { signatureFormat } from "../../src/core/signatures/commit-payload.js";
import { answerGraphQL, type FakePull } from "./helpers/fake-github.js";
import {
  AUTHOR,
  CHANGE_PATH,
  QA,
  approve,
  changeRequest,
  pushCommit,
  requestChangePull,
} from "./helpers/pull-fixture.js";

/** A GraphQL client over the fake GitHub that counts its requests. */
function client(pull: FakePull): GraphQLClient & { requests: number } {
  const github = {
    requests: 0,
    async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      github.requests += 1;
      const answer = answerGraphQL(pull, { query, ...(variables ? { variables } : {}) });
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      return answer.data as T;
    },
  };
  return github;
}

const ref = { owner: "acme", repo: "payments", number: 42 };
const options = { policies: "policies", teamsOf: policyTeams };

function withFiles(pull: FakePull, count: number): void {
  for (let i = 0; i < count; i++) {
    const path = `docs/file-${String(i).padStart(4, "0")}.md`;
    pull.headFiles.set(path, `file ${i}\n`);
    pull.changed.push({ path, changeType: "ADDED" });
  }
}

describe("loadSnapshot", () => {
  it("builds the snapshot of a pull request in two queries", async () => {
    const pull = await requestChangePull();
    approve(pull, QA);
    pull.checks.push({ name: "gatehouse", status: "COMPLETED", conclusion: "FAILURE" });
    pull.checks.push({ name: "ci", status: "IN_PROGRESS", conclusion: null });
    const github = client(pull);

    const { snapshot, state, requests } = await loadSnapshot(github, ref, options);

    expect({ state, requests, graphqlCalls: github.requests }).toEqual({
      state: "OPEN",
      requests: 2,
      graphqlCalls: 2,
    });
    expect(snapshot.repo).toBe("acme/payments");
    expect(snapshot.author).toBe(AUTHOR);
    expect(snapshot.base.sha).toBe(pull.baseSha);
    expect(snapshot.head.sha).toBe(pull.headSha);
    expect(snapshot.base.files.get("policies/roles.yml")).toBe(
      pull.baseFiles.get("policies/roles.yml"),
    );
    expect(snapshot.base.files.get(`policies/keys/${AUTHOR}.asc`)).toContain(
      "BEGIN PGP PUBLIC KEY",
    );
    expect(snapshot.base.files.get(CHANGE_PATH)).toBe(changeRequest("draft"));
    expect([...snapshot.head.files.keys()]).toEqual([CHANGE_PATH]);
    expect(snapshot.head.files.get(CHANGE_PATH)).toBe(changeRequest("requested"));
    expect(snapshot.changed).toEqual([{ path: CHANGE_PATH, status: "modified" }]);
    expect(snapshot.commits).toHaveLength(1);
    const [commit] = snapshot.commits;
    expect(commit?.signature?.format).toBe("openpgp");
    expect(commit?.signature?.payload).toBe(pull.commits[0]?.signature?.payload);
    expect(commit?.tree).toBe(pull.commits[0]?.tree);
    expect(commit?.parents).toEqual([pull.baseSha]);
    expect(commit?.author.login).toBe(AUTHOR);
    expect(snapshot.approvals).toEqual([
      {
        user: QA,
        state: "APPROVED",
        commit: pull.headSha,
        submittedAt: new Date("2026-01-02T00:00:00Z"),
      },
    ]);
    expect(snapshot.teams).toEqual({ "acme/architects": [], "acme/ops": [], "acme/qa": [QA] });
    // gatehouse's own earlier verdict never feeds the next one.
    expect(snapshot.checks).toEqual({ ci: "pending" });
    expect(snapshot.body).toBe("Change: CHG-2026-0042");
  });

  it.each([
    { files: 10, requests: 2 },
    { files: 99, requests: 2 },
    { files: 100, requests: 3 },
    { files: 250, requests: 4 },
    { files: 1000, requests: 12 },
  ])(
    "loads a pull request of $files extra files in $requests queries",
    async ({ files, requests }) => {
      const pull = await requestChangePull();
      withFiles(pull, files);
      const github = client(pull);
      const { snapshot } = await loadSnapshot(github, ref, options);
      expect(github.requests).toBe(requests);
      expect(snapshot.changed).toHaveLength(files + 1);
      expect(snapshot.head.files.size).toBe(files + 1);
      expect(snapshot.head.files.get("docs/file-0009.md")).toBe("file 9\n");
    },
  );

  it("follows the next pages of commits, reviews and team members", async () => {
    const pull = await requestChangePull();
    for (let i = 0; i < 150; i++) await pushCommit(pull, `commit ${i}`);
    for (let i = 0; i < 120; i++) approve(pull, `reviewer-${i}`);
    pull.teams["acme/qa"] = Array.from({ length: 230 }, (_, i) => `qa-${i}`);
    const github = client(pull);
    const { snapshot } = await loadSnapshot(github, ref, options);
    expect(snapshot.commits).toHaveLength(151);
    expect(snapshot.commits.at(-1)?.sha).toBe(pull.headSha);
    expect(snapshot.approvals).toHaveLength(120);
    expect(snapshot.teams["acme/qa"]).toHaveLength(230);
    expect(github.requests).toBe(4);
  });

  it("lists the records of the head, nested ones too, in the same queries, when a record is added", async () => {
    const pull = await requestChangePull({
      headFiles: new Map([
        ["changes/CHG-2026-0043.yaml", changeRequest("draft", { id: "CHG-2026-0043" })],
        ["changes/2025/12/CHG-2025-0900.yaml", "id: CHG-2025-0900\n"],
        ["changes/README.md", "not a record\n"],
        ["incidents/INC-2026-0001.yml", "id: INC-2026-0001\n"],
      ]),
    });
    const github = client(pull);
    const { snapshot, requests } = await loadSnapshot(github, ref, options);
    expect(requests).toBe(2);
    expect(snapshot.recordPaths?.sort()).toEqual([
      "changes/2025/12/CHG-2025-0900.yaml",
      CHANGE_PATH,
      "changes/CHG-2026-0043.yaml",
      "incidents/INC-2026-0001.yml",
    ]);
  });

  it("does not list the records when no record is added", async () => {
    const { snapshot } = await loadSnapshot(client(await requestChangePull()), ref, options);
    expect(snapshot.recordPaths).toBeUndefined();
  });

  it("refuses to guess when records lie deeper than it can list", async () => {
    const pull = await requestChangePull({
      headFiles: new Map([
        ["changes/CHG-2026-0043.yaml", changeRequest("draft", { id: "CHG-2026-0043" })],
        ["changes/a/b/c/CHG-2020-0001.yaml", "id: CHG-2020-0001\n"],
      ]),
    });
    await expect(loadSnapshot(client(pull), ref, options)).rejects.toThrow(
      /^changes\/a\/b\/c lies more than three folders deep in a record directory, so gatehouse cannot list the records to show a new id is not taken/,
    );
  });

  it("gives a renamed file its previous path and base version", async () => {
    const pull = await requestChangePull();
    pull.headFiles.set("changes/CHG-2026-0043.yaml", "moved\n");
    pull.baseFiles.set("changes/old.yaml", "before\n");
    pull.changed.push({ path: "changes/CHG-2026-0043.yaml", changeType: "RENAMED" });
    const github = client(pull);
    const { snapshot, requests } = await loadSnapshot(github, ref, {
      ...options,
      renames: async () => new Map([["changes/CHG-2026-0043.yaml", "changes/old.yaml"]]),
    });
    expect(snapshot.changed).toContainEqual({
      path: "changes/CHG-2026-0043.yaml",
      status: "renamed",
      previousPath: "changes/old.yaml",
    });
    expect(snapshot.base.files.get("changes/old.yaml")).toBe("before\n");
    expect(requests).toBe(3);
  });

  it("replaces a base configuration that only extends the organisation's", async () => {
    const pull = await requestChangePull();
    pull.baseFiles.set(".github/gatehouse.yml", "_extends: .github\n");
    const { snapshot } = await loadSnapshot(client(pull), ref, {
      ...options,
      resolvedConfig: { _extends: ".github", policies: "policies", codeowners: false },
    });
    expect(snapshot.base.files.get(".github/gatehouse.yml")).toBe(
      "policies: policies\ncodeowners: false\n",
    );
  });

  it("keeps a base configuration without _extends exactly as committed", async () => {
    const pull = await requestChangePull();
    pull.baseFiles.set(".github/gatehouse.yml", "policies: policies # ours\n");
    const { snapshot } = await loadSnapshot(client(pull), ref, {
      ...options,
      resolvedConfig: { policies: "elsewhere" },
    });
    expect(snapshot.base.files.get(".github/gatehouse.yml")).toBe("policies: policies # ours\n");
  });

  it("fails rather than drop a policy file nested deeper than it can read", async () => {
    const pull = await requestChangePull();
    pull.baseFiles.set("policies/teams/asia/shanghai/roles.yml", "version: 1\n");
    await expect(loadSnapshot(client(pull), ref, options)).rejects.toThrow(
      /^policies\/teams\/asia\/shanghai in the base commit could not be read as policy/,
    );
  });

  it.each([
    ["a submodule entry", "policies/privacy.yml", "submodule"],
    ["a symbolic link", "policies/keys/example-guo-qiang.pub", "symlink"],
    ["a symbolic link", ".github/gatehouse.yml", "symlink"],
  ] as const)("fails rather than read %s in the base policy (%s)", async (_what, path, kind) => {
    const pull = await requestChangePull();
    pull.baseFiles.set(path, "../elsewhere.yml");
    pull.entries = { base: { [path]: kind } };
    const error = await loadSnapshot(client(pull), ref, options).catch((e: unknown) => e);
    expect(String(error)).toContain(
      `${path} in the base commit could not be read as policy (binary, over GitHub's size limit, a symbolic link or submodule entry`,
    );
  });

  it("fails naming a binary file of the keys directory, whatever its name, as a possible private key", async () => {
    const pull = await requestChangePull();
    pull.baseFiles.set("policies/keys/guo-fang.gpg", "\u0095\u0001binary");
    pull.entries = { base: { "policies/keys/guo-fang.gpg": "binary" } };
    const error = await loadSnapshot(client(pull), ref, options).catch((e: unknown) => e);
    expect(String(error)).toMatch(
      /policies\/keys\/guo-fang\.gpg in the base commit could not be read as policy .*; a binary file in policies\/keys\/ may be a private key exported without --armor: if so, remove it from the repository and its history, and rotate it$/,
    );
  });

  it.each([
    ["a policy file becomes a submodule entry", "policies/privacy.yml", "submodule"],
    ["a record becomes a symbolic link", CHANGE_PATH, "symlink"],
  ] as const)("tells the core when %s, and the verdict fails", async (_what, path, kind) => {
    const pull = await requestChangePull({ changeRecord: false });
    pull.headFiles.set(path, "../docs/other.yaml");
    pull.changed.push({ path, changeType: "MODIFIED" });
    pull.entries = { head: { [path]: kind } };
    approve(pull, QA);
    const { snapshot } = await loadSnapshot(client(pull), ref, options);
    expect(snapshot.changed).toEqual([{ path, status: "modified", entry: { head: kind } }]);
    // What a link or submodule holds is not a file's content: it is never judged as one.
    expect(snapshot.head.files.has(path)).toBe(false);
    const verdict = await evaluate(snapshot);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings).toContainEqual(expect.objectContaining({ path, code: "path/entry" }));
  });

  it("reads a policy file three folders deep", async () => {
    const pull = await requestChangePull();
    pull.baseFiles.set("policies/teams/asia/roles.yml", "version: 1\n");
    const { snapshot } = await loadSnapshot(client(pull), ref, options);
    expect(snapshot.base.files.get("policies/teams/asia/roles.yml")).toBe("version: 1\n");
  });

  it("says which pull request it could not find", async () => {
    const pull = await requestChangePull();
    await expect(loadSnapshot(client(pull), { ...ref, number: 7 }, options)).rejects.toThrow(
      /acme\/payments#7 was not found/,
    );
  });
});

describe("signatureFormat", () => {
  it.each([
    ["-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----", "openpgp"],
    ["-----BEGIN SSH SIGNATURE-----\nabc\n-----END SSH SIGNATURE-----", "ssh"],
    ["-----BEGIN SIGNED MESSAGE-----\nabc", "x509"],
    ["garbage", "unknown"],
  ] as const)("reads %j as %s", (armor, format) => {
    expect(signatureFormat(armor)).toBe(format);
  });
});
