/**
 * The queries the app sends are valid against GitHub's published GraphQL schema, in every shape
 * the follow-up builder can give them. (The app tests also execute them against that schema.)
 */
import { validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import {
  PULL_REQUEST_QUERY,
  followUpQuery,
  type FollowUpPlan,
} from "../../src/github/snapshot-queries.js";

const pull = { owner: "acme", name: "payments", number: 42 };
const plans: Array<[string, FollowUpPlan]> = [
  ["blobs only", { pages: {}, blobs: ["abc:changes/CHG-2026-0042.yaml"], teams: [] }],
  ["teams only", { pages: {}, blobs: [], teams: [{ org: "acme", slug: "qa", after: null }] }],
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

describe("GraphQL contract", () => {
  it("the first query is valid against GitHub's schema", () => {
    expect(validate(PULL_REQUEST_QUERY).map((e) => e.message)).toStrictEqual([]);
  });

  it.each(plans)("a follow-up query with %s is valid against GitHub's schema", (_name, plan) => {
    const { query, variables } = followUpQuery(pull, plan);
    expect(validate(query).map((e) => e.message)).toStrictEqual([]);
    // Every declared variable is given, and nothing else.
    const declared = [...query.matchAll(/\$(\w+):/g)].map((m) => m[1]).sort();
    expect(Object.keys(variables).sort()).toStrictEqual(declared);
  });

  it("refuses a query GitHub's schema would refuse, so the check above can fail", () => {
    expect(validate("query { repository(owner: 1) { nope } }").length).toBeGreaterThan(0);
  });
});
