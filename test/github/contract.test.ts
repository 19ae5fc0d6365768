/**
 * The queries the app sends are valid against GitHub's published GraphQL schema, in every shape
 * the follow-up builder can give them. (The app tests also execute them against that schema.)
 */
import { validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import {
  BASE_POLICY_QUERY,
  coldPlan,
  firstQuery,
  type FirstPlan,
} from "../../src/github/first-query.js";
import { followUpQuery, type FollowUpPlan } from "../../src/github/snapshot-queries.js";

const pull = { owner: "acme", name: "payments", number: 42 };
const plans: Array<[string, FollowUpPlan]> = [
  ["blobs only", { pages: {}, blobs: ["abc:changes/CHG-2026-0042.yaml"], teams: [] }],
  ["teams only", { pages: {}, blobs: [], teams: [{ org: "acme", slug: "qa", after: null }] }],
  [
    "record folders and change records",
    {
      pages: {},
      blobs: [],
      teams: [],
      recordTrees: ["abc:changes", "abc:incidents"],
      changeTree: "abc:changes",
    },
  ],
  [
    "every next page",
    {
      pages: { files: "c1", commits: "c2", latestOpinionatedReviews: "c3", labels: "c4" },
      checks: { head: "abc", after: "c5" },
      blobs: [],
      teams: [],
    },
  ],
  [
    "everything at once",
    {
      pages: { files: "c1", commits: "c2" },
      checks: { head: "abc", after: "c5" },
      blobs: ["a:x", "b:y"],
      teams: [
        { org: "acme", slug: "qa", after: "c6" },
        { org: "acme", slug: "ops", after: null },
      ],
    },
  ],
];

const cold = coldPlan({ policies: "policies", codeowners: ".github/CODEOWNERS" });
const firstPlans: Array<[string, FirstPlan]> = [
  ["the policy's texts and no guess (a first judgement)", cold],
  [
    "the policy by id and every guess (a re-judgement)",
    {
      ...cold,
      policyTexts: false,
      basePaths: ["changes/CHG-2026-0042.yaml"],
      headPaths: ["changes/CHG-2026-0042.yaml", "docs/a.md"],
      teams: [
        { org: "acme", slug: "qa" },
        { org: "acme", slug: "ops" },
      ],
      changes: "changes",
      records: ["changes", "incidents"],
      evidence: ["CHG-2026-0042", "INC-2026-0001"],
    },
  ],
];

/** Every declared variable is given, and nothing else. */
function declared(query: string): string[] {
  return [...query.matchAll(/\$(\w+):/g)].map((m) => m[1] as string).sort();
}

describe("GraphQL contract", () => {
  it.each(firstPlans)("the first query asking %s is valid against GitHub's schema", (_n, plan) => {
    const { query, variables } = firstQuery(pull, plan);
    expect(validate(query).map((e) => e.message)).toStrictEqual([]);
    expect(Object.keys(variables).sort()).toStrictEqual(declared(query));
  });

  it.each(firstPlans)(
    "the first query asking %s at a given base commit is valid against GitHub's schema",
    (_n, plan) => {
      const { query, variables } = firstQuery(pull, plan, "a".repeat(40));
      expect(validate(query).map((e) => e.message)).toStrictEqual([]);
      expect(Object.keys(variables).sort()).toStrictEqual(declared(query));
      expect(query).toContain("baseAt: object(oid: $baseAt)");
    },
  );

  it("the query for a policy whose id was not cached is valid against GitHub's schema", () => {
    expect(validate(BASE_POLICY_QUERY).map((e) => e.message)).toStrictEqual([]);
  });

  it.each(plans)("a follow-up query with %s is valid against GitHub's schema", (_name, plan) => {
    const { query, variables } = followUpQuery(pull, plan);
    expect(validate(query).map((e) => e.message)).toStrictEqual([]);
    expect(Object.keys(variables).sort()).toStrictEqual(declared(query));
  });

  it("refuses a query GitHub's schema would refuse, so the check above can fail", () => {
    expect(validate("query { repository(owner: 1) { nope } }").length).toBeGreaterThan(0);
  });
});
