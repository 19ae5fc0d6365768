/**
 * Issue 15, "the policy is read once per base": a re-judgement asks one query, and a cached
 * text is used only when it proves to be what GitHub now names for the base being judged —
 * never for a base whose policy differs by a byte, another repository, or a retargeted pull
 * request, and never when the cache entry is corrupted.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/evaluate/evaluate.js";
import { loadSnapshot, type GraphQLClient } from "../../src/github/load-snapshot.js";
import { addEvidence } from "../../src/github/snapshot-evidence.js";
import { memoryStore, type JudgeStore } from "../../src/github/judge-store.js";
import { policyTeams } from "../../src/github/policy-teams.js";
import { snapshotCache, type SnapshotCache } from "../../src/github/snapshot-cache.js";
import { answerGraphQL, type FakePull } from "./helpers/fake-github.js";
import { recordingClient } from "./helpers/recording-client.js";
import {
  CHANGE_PATH,
  QA,
  RELEASE_MANAGER,
  approve,
  changeRequest,
  financePack,
  pushCommit,
  requestChangePull,
} from "./helpers/pull-fixture.js";

const client = recordingClient;

const ref = { owner: "acme", repo: "payments", number: 42 };

async function load(pull: FakePull, cache: SnapshotCache) {
  const github = client(pull);
  const loaded = await loadSnapshot(github, ref, {
    policies: "policies",
    teamsOf: policyTeams,
    cache,
  });
  return { ...loaded, queries: github.queries };
}

/** A store that replicas would share, recording the keys written to it. */
function sharedStore(): JudgeStore & { keys: Set<string> } {
  const inner = memoryStore();
  const keys = new Set<string>();
  return {
    ...inner,
    shared: true,
    keys,
    async set(key, value, ttl) {
      keys.add(key);
      await inner.set(key, value, ttl);
    },
  };
}

const ROLES = "policies/roles.yml";
const readsPolicyTexts = (query: string) => query.includes("fragment PolicyTree");

describe("a re-judgement with a warm cache", () => {
  it("reads the pull request in one query, with the policy by id only", async () => {
    const pull = await requestChangePull();
    approve(pull, QA);
    const cache = snapshotCache(null);

    const cold = await load(pull, cache);
    const warm = await load(pull, cache);

    expect(cold.requests).toBe(2);
    expect(warm.requests).toBe(1);
    expect(warm.queries).toHaveLength(1);
    expect(readsPolicyTexts(warm.queries[0] as string)).toBe(false);
    // The same snapshot as a cold read, policy, records, teams and all.
    expect(warm.snapshot.base.files).toEqual(cold.snapshot.base.files);
    expect(warm.snapshot.head.files).toEqual(cold.snapshot.head.files);
    expect(warm.snapshot.teams).toEqual(cold.snapshot.teams);
    expect(warm.snapshot.changeRecords).toEqual(cold.snapshot.changeRecords);
    const [a, b] = await Promise.all([evaluate(cold.snapshot), evaluate(warm.snapshot)]);
    expect(b.summary).toBe(a.summary);
  });

  it("reads the new head's texts after a push, not the last judgement's", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    await pushCommit(pull, "Cancel instead");
    pull.headFiles.set(CHANGE_PATH, changeRequest("cancelled"));

    const { snapshot, requests } = await load(pull, cache);

    expect(requests).toBe(1);
    expect(snapshot.head.files.get(CHANGE_PATH)).toBe(changeRequest("cancelled"));
  });

  it("uses a guessed text only for a path the pull request still changes", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    // The record change is taken out of the pull request; a document is changed instead.
    pull.headFiles.set(CHANGE_PATH, changeRequest("draft"));
    pull.headFiles.set("docs/notes.md", "notes\n");
    pull.changed = [{ path: "docs/notes.md", changeType: "ADDED" }];

    const { snapshot, requests } = await load(pull, cache);

    expect([...snapshot.head.files.keys()]).toEqual(["docs/notes.md"]);
    expect(snapshot.base.files.has(CHANGE_PATH)).toBe(false);
    expect(requests).toBe(2); // the new file's text is read
  });

  it("reads team members afresh: someone removed from a team no longer counts", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const cache = snapshotCache(null);
    expect((await evaluate((await load(pull, cache)).snapshot)).conclusion).toBe("success");

    pull.teams["acme/qa"] = [];
    const { snapshot, requests } = await load(pull, cache);

    expect(requests).toBe(1);
    expect(snapshot.teams["acme/qa"]).toEqual([]);
    expect((await evaluate(snapshot)).conclusion).not.toBe("success");
  });

  it("names a team GitHub refuses in the first query as a permission problem", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    // Warm, the first query asks the teams' members; GitHub refuses one and answers the rest.
    const refusing: GraphQLClient = {
      async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
        expect(query).toContain("t0: organization");
        const answer = answerGraphQL(pull, { query, ...(variables ? { variables } : {}) });
        const errors = [{ type: "FORBIDDEN", path: ["t0"], message: "Resource not accessible" }];
        const data = { ...(answer.data as Record<string, unknown>), t0: null };
        throw Object.assign(new Error("Request failed"), {
          name: "GraphqlResponseError",
          data,
          errors,
        });
      },
    };

    await expect(
      loadSnapshot(refusing, ref, { policies: "policies", teamsOf: policyTeams, cache }),
    ).rejects.toThrow(/members of the team @acme\/\w+ \(FORBIDDEN.*permission problem/);
  });

  it("reads the base's change records again only when their folder changed", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    expect((await load(pull, cache)).requests).toBe(1);

    const other = "changes/CHG-2026-0050.yaml";
    pull.baseFiles.set(other, changeRequest("scheduled").replace("CHG-2026-0042", "CHG-2026-0050"));
    const { snapshot, requests } = await load(pull, cache);

    expect(requests).toBe(2);
    expect(snapshot.changeRecords?.get(other)).toContain("CHG-2026-0050");
  });

  it("lists the head's records again only when a record folder changed", async () => {
    const added = "changes/CHG-2026-0043.yaml";
    const pull = await requestChangePull({
      headFiles: new Map([[added, changeRequest("draft", { id: "CHG-2026-0043" })]]),
    });
    const cache = snapshotCache(null);
    await load(pull, cache);
    const warm = await load(pull, cache);
    expect(warm.requests).toBe(1);
    expect(warm.snapshot.recordPaths?.sort()).toEqual([CHANGE_PATH, added]);

    await pushCommit(pull, "Another record");
    pull.headFiles.set("incidents/INC-2026-0001.yaml", "id: INC-2026-0001\n");
    pull.changed.push({ path: "incidents/INC-2026-0001.yaml", changeType: "ADDED" });
    const { snapshot } = await load(pull, cache);
    expect(snapshot.recordPaths?.sort()).toEqual([
      CHANGE_PATH,
      added,
      "incidents/INC-2026-0001.yaml",
    ]);
  });
});

describe("the evidence of the records a judgement needs", () => {
  const evidenceQueries = (queries: string[]) =>
    queries.filter((q) => q.includes("query GatehouseEvidence")).length;

  it("comes with the first query when the last judgement needed the same records", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);

    const warm = await load(pull, cache);
    const github = client(pull);
    await addEvidence(github, ref, warm);

    expect(warm.queries[0]).toContain("ledger: ref(qualifiedName: $ledger)");
    expect(warm.ledger?.ids).toEqual(["CHG-2026-0042"]);
    expect(github.queries).toEqual([]);
    expect(warm.requests).toBe(1);
  });

  it("comes with the query that reads a new record's text, for both records", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    const cold = await load(pull, cache);
    // A first judgement: the evidence comes with the second query, the one for the texts.
    expect(cold.requests).toBe(2);
    expect(cold.ledger?.ids).toEqual(["CHG-2026-0042"]);
    const added = "changes/CHG-2026-0043.yaml";
    pull.headFiles.set(added, changeRequest("draft", { id: "CHG-2026-0043" }));
    pull.changed.push({ path: added, changeType: "ADDED" });

    const warm = await load(pull, cache);
    const github = client(pull);
    await addEvidence(github, ref, warm);

    expect(warm.requests).toBe(2); // the new record's text is read, and the evidence with it
    expect(warm.ledger?.ids).toEqual(["CHG-2026-0042", "CHG-2026-0043"]);
    expect(github.queries).toEqual([]);
  });

  it("is read on its own when the folders read with the queries are not all it needs", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    const warm = await load(pull, cache);
    expect(warm.ledger?.ids).toEqual(["CHG-2026-0042"]);
    // The body now names another change too (as a deployment does): its acts count as well.
    warm.snapshot.body = `${warm.snapshot.body}\nChange: CHG-2026-0050\n`;

    const github = client(pull);
    await addEvidence(github, ref, warm);

    expect(evidenceQueries(github.queries)).toBe(1); // read for both records
    expect(github.queries[0]).toContain("$f1: String!");
    expect(warm.requests).toBe(2);
  });
});

describe("a cached policy is never used for a different base", () => {
  it("reads a policy that differs by one byte again", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    const changed = `${pull.baseFiles.get(ROLES) as string} `;
    pull.baseFiles.set(ROLES, changed);

    const { snapshot, requests, queries } = await load(pull, cache);

    expect(snapshot.base.files.get(ROLES)).toBe(changed);
    expect(requests).toBe(2); // the first query named another id; the texts were read
    expect(readsPolicyTexts(queries[1] as string)).toBe(true);
    expect((await load(pull, cache)).requests).toBe(1); // and that base is cached now
  });

  it("reads a base whose policy gained a link again, and fails closed", async () => {
    const pull = await requestChangePull();
    const cache = snapshotCache(null);
    await load(pull, cache);
    pull.baseFiles.set("policies/keys/example-he-fang.pub", "../../elsewhere.pub");
    pull.entries = { base: { "policies/keys/example-he-fang.pub": "symlink" } };

    await expect(load(pull, cache)).rejects.toThrow(/could not be read as policy/);
    // Cached, a policy that fails closed still fails closed.
    await expect(load(pull, cache)).rejects.toThrow(/could not be read as policy/);
  });

  it.each([
    ["the same texts", (_text: string) => _text],
    ["texts that differ", (text: string) => text.replace("li-qa", "someone-else")],
  ])("never uses another repository's cached policy at the same paths, with %s", async (_n, f) => {
    const pull = await requestChangePull();
    pull.repoId = 1001;
    const cache = snapshotCache(null);
    await load(pull, cache);
    // The repository was deleted and made again under the same name, or another installation
    // holds one of that name: GitHub gives it another id.
    pull.repoId = 2002;
    for (const [path, text] of pull.baseFiles) pull.baseFiles.set(path, f(text));

    const { snapshot, requests } = await load(pull, cache);

    expect(requests).toBe(3); // the policy and the change records, read for this repository
    expect(snapshot.base.files.get(ROLES)).toBe(pull.baseFiles.get(ROLES));
    expect(snapshot.changeRecords?.get(CHANGE_PATH)).toBe(pull.baseFiles.get(CHANGE_PATH));
  });

  it("reads the new base's policy when the pull request is retargeted", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const cache = snapshotCache(null);
    expect((await evaluate((await load(pull, cache)).snapshot)).conclusion).toBe("success");

    // Retargeted to a release branch whose roles name another qa.
    pull.baseRef = "release/2.4";
    const roles = (pull.baseFiles.get(ROLES) as string).replace("@acme/qa", "@release-qa");
    pull.baseFiles.set(ROLES, roles);
    const { snapshot } = await load(pull, cache);

    expect(snapshot.base.ref).toBe("release/2.4");
    expect(snapshot.base.files.get(ROLES)).toBe(roles);
    expect((await evaluate(snapshot)).conclusion).not.toBe("success");
  });
});

describe("a cache entry that cannot be trusted is read again from GitHub", () => {
  type Tamper = (value: string) => string;
  const tampers: Array<[string, Tamper]> = [
    ["garbage", () => "{not json"],
    ["another version", (v) => v.replace('"v":1', '"v":99')],
    ["a text changed by one character", (v) => v.replace("security-admin", "security-admim")],
    [
      "a key folder left out",
      (v) => {
        const entry = JSON.parse(v) as { tree: { entries: Array<{ name: string }> } };
        entry.tree.entries = entry.tree.entries.filter((e) => e.name !== "keys");
        return JSON.stringify(entry);
      },
    ],
    ["an empty entry", () => ""],
    [
      "a text left out, its file passed off as binary",
      (v) => {
        const entry = JSON.parse(v) as {
          tree: { entries: Array<{ name: string; object: unknown }> };
        };
        const calendar = entry.tree.entries.find((e) => e.name === "calendar.yml");
        if (calendar) calendar.object = { text: null, isBinary: true, isTruncated: false };
        return JSON.stringify(entry);
      },
    ],
  ];

  it.each(tampers)("a policy entry holding %s", async (_name, tamper) => {
    const pull = await requestChangePull();
    const store = sharedStore();
    await load(pull, snapshotCache(store));
    const keys = [...store.keys].filter((k) => k.startsWith("cache:tree:policy:"));
    expect(keys).toHaveLength(1);
    const key = keys[0] as string;
    const kept = (await store.get(key)) as string;
    expect(tamper(kept)).not.toBe(kept);
    await store.set(key, tamper(kept), 60);

    // Another replica: its memory is empty, the shared store holds the tampered entry, which
    // does not prove out: the first query reads the policy's texts, as if nothing were cached.
    const { snapshot, queries } = await load(pull, snapshotCache(store));

    expect(readsPolicyTexts(queries[0] as string)).toBe(true);
    const policy = (files: Map<string, string>) =>
      new Map([...files].filter(([path]) => path.startsWith("policies/")));
    expect(policy(snapshot.base.files)).toEqual(policy(pull.baseFiles));
  });

  it("a hint holding garbage is ignored", async () => {
    const pull = await requestChangePull();
    const store = sharedStore();
    await load(pull, snapshotCache(store));
    for (const key of store.keys) if (key.startsWith("cache:hint:")) await store.set(key, "[1", 60);

    const { snapshot, requests } = await load(pull, snapshotCache(store));

    expect(requests).toBe(2);
    expect(snapshot.head.files.get(CHANGE_PATH)).toBe(changeRequest("requested"));
  });

  it("a shared store that fails is a miss, and is said", async () => {
    const pull = await requestChangePull();
    const broken: JudgeStore = {
      ...memoryStore(),
      shared: true,
      getMany: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")),
      set: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")),
    };
    const warnings: string[] = [];
    const log = {
      warn: (_d: Record<string, unknown>, message: string) => void warnings.push(message),
    };

    const { snapshot, requests } = await load(pull, snapshotCache(broken, { log }));

    expect(requests).toBe(2);
    expect(snapshot.base.files.get(ROLES)).toBe(financePack().get(ROLES));
    expect(warnings).toContain("the shared cache could not be read; reading from GitHub instead");
    expect(warnings).toContain(
      "the shared cache could not be written; reading from GitHub instead",
    );
  });
});
