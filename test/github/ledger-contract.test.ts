/**
 * The ledger's queries are valid against GitHub's published GraphQL schema in every shape they
 * take, and declare exactly the variables they are given (the app tests also execute them).
 */
import { validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import { ledgerStateQuery, recordFoldersQuery } from "../../src/github/ledger-queries.js";
import { MERGE_PARENTS_QUERY, mergeFactsQuery } from "../../src/github/merge-facts.js";

const repo = { owner: "acme", name: "payments" };
const SHA = "a".repeat(40);
const shapes: Array<[string, { query: string; variables: Record<string, unknown> }]> = [
  ["the folders of no record", recordFoldersQuery(repo, [])],
  [
    "the folders of two records",
    recordFoldersQuery(repo, ["index/CHG-2026/CHG-2026-0001", "index/INC-2026/INC-2026-0001"]),
  ],
  [
    "a writer's state when the ledger begins",
    ledgerStateQuery(repo, {
      commit: null,
      notePaths: [],
      folders: [],
      recordDirs: [`${SHA}:changes`],
    }),
  ],
  [
    "a writer's state with notes and folders",
    ledgerStateQuery(repo, {
      commit: SHA,
      notePaths: ["aa/bb", SHA],
      folders: ["index/CHG-2026/CHG-2026-0001"],
      recordDirs: [],
    }),
  ],
  [
    "a writer's state with notes only",
    ledgerStateQuery(repo, { commit: SHA, notePaths: ["aa/bb"], folders: [], recordDirs: [] }),
  ],
  [
    "a merge's parents",
    { query: MERGE_PARENTS_QUERY, variables: { owner: "acme", name: "payments", merge: SHA } },
  ],
  [
    "a merge's facts",
    mergeFactsQuery({ owner: "acme", repo: "payments" }, SHA, ["changes/CHG-2026-0001.yaml"], 3),
  ],
];

describe("the ledger's GraphQL contract", () => {
  it.each(shapes)("%s is valid against GitHub's schema", (_name, { query, variables }) => {
    expect(validate(query).map((e) => e.message)).toStrictEqual([]);
    const declared = [...query.matchAll(/\$(\w+):/g)].map((m) => m[1]).sort();
    expect(Object.keys(variables).sort()).toStrictEqual(declared);
  });
});
