/**
 * The first query of a judgement: the pull request with the first page of every connection,
 * gatehouse's own run on the head, the repository's open pull requests, and the base commit's
 * settings and policy — with the policy's texts when they are not cached, or only the ids that
 * name them when they are. Given a hint of what the last judgement read
 * (src/github/judgement-hint.ts), it also asks for the texts of those changed files at the base
 * and the head, the members of those teams, and the ids of those record folders, so that a
 * re-judgement needs no second query.
 */
import { indexDir } from "../core/evidence/ledger-layout.js";
import { LEDGER_FOLDER, ledgerFolderParts } from "./ledger-queries.js";
import {
  BLOB,
  COMMIT,
  CONTEXT,
  ENTRY,
  OPEN_PULLS,
  PAGE,
  PAGE_SIZE,
  POLICY_TREE,
  RECORD_TREE,
  REVIEW,
  teamMembersPart,
} from "./snapshot-queries.js";

/** What the first query asks beyond the pull request itself. */
export interface FirstPlan {
  /** The policies directory and the CODEOWNERS path to read at the base. */
  policies: string;
  codeowners: string;
  /** True: the policy's and CODEOWNERS' texts; false: their ids only (the texts are cached). */
  policyTexts: boolean;
  /** Paths whose texts to read at the base (aliases g0, g1, …) and at the head (h0, h1, …). */
  basePaths: string[];
  headPaths: string[];
  /** Teams whose first page of members to read (aliases t0, t1, …). */
  teams: Array<{ org: string; slug: string }>;
  /** The change records' folder whose id to read at the base (alias `changes`). */
  changes: string | null;
  /** True: the change records' texts too (they are not cached under the id last seen). */
  changeTexts: boolean;
  /** Record folders whose ids to read at the head (aliases rt0, rt1, …). */
  records: string[];
  /** True: their listings too (a pushed commit added a record: the head's folder is new). */
  listRecords: boolean;
  /** Records whose evidence to read: their index folders in the ledger (aliases f0, f1, …). */
  evidence: string[];
}

/** A first query that guesses nothing and reads the policy's texts (a first judgement). */
export function coldPlan(where: { policies: string; codeowners: string }): FirstPlan {
  return {
    ...where,
    policyTexts: true,
    basePaths: [],
    headPaths: [],
    teams: [],
    changes: null,
    changeTexts: false,
    records: [],
    listRecords: false,
    evidence: [],
  };
}

/**
 * The base commit's CODEOWNERS and policy directory, with texts or by id: the first query's and
 * the policy query's selection on a commit.
 */
export function basePolicyFields(texts: boolean): string {
  return texts
    ? `codeowners: file(path: $codeowners) { oid ...EntryText }
       policies: file(path: $policies) { oid type object { ... on Tree { oid ...PolicyTree } } }`
    : `codeowners: file(path: $codeowners) { oid mode type }
       policies: file(path: $policies) { oid type }`;
}

/** The policy query: the base policy's texts, when the first query asked for ids that missed. */
export const BASE_POLICY_QUERY = `query GatehouseBasePolicy($owner: String!, $name: String!, $base: GitObjectID!, $policies: String!, $codeowners: String!) {
  repository(owner: $owner, name: $name) {
    object(oid: $base) { ... on Commit { ${basePolicyFields(true)} } }
  }
}
${BLOB}
${ENTRY}
${POLICY_TREE}`;

/**
 * Builds the first query's document and variables. With `baseAt`, the base commit is that
 * commit (a merged pull request judged again against the commit it was merged onto), not the
 * base branch's tip.
 */
export function firstQuery(
  pull: { owner: string; name: string; number: number },
  plan: FirstPlan,
  baseAt?: string,
): { query: string; variables: Record<string, unknown> } {
  const params = [
    "$owner: String!",
    "$name: String!",
    "$number: Int!",
    "$policies: String!",
    "$codeowners: String!",
  ];
  const variables: Record<string, unknown> = {
    owner: pull.owner,
    name: pull.name,
    number: pull.number,
    policies: plan.policies,
    codeowners: plan.codeowners,
  };
  const path = (alias: string, value: string) => {
    params.push(`$${alias}: String!`);
    variables[alias] = value;
    return `$${alias}`;
  };
  const baseParts = plan.basePaths.map(
    (p, i) => `g${i}: file(path: ${path(`g${i}`, p)}) { ...EntryText }`,
  );
  if (plan.changes !== null) {
    const listing = plan.changeTexts ? "object { ... on Tree { oid ...PolicyTree } }" : "";
    baseParts.push(`changes: file(path: ${path("changes", plan.changes)}) { oid type ${listing} }`);
  }
  const headParts = [
    ...plan.headPaths.map((p, i) => `h${i}: file(path: ${path(`h${i}`, p)}) { ...EntryText }`),
    ...plan.records.map(
      (p, i) =>
        `rt${i}: file(path: ${path(`rt${i}`, p)}) { oid type ${plan.listRecords ? "object { ... on Tree { oid ...RecordTree } }" : ""} }`,
    ),
  ];
  const teams = plan.teams.map((team, i) =>
    teamMembersPart(i, { ...team, after: null }, { params, variables }),
  );
  const base = `... on Commit {
            oid
            config: file(path: ".github/gatehouse.yml") { oid ...EntryText }
            ${basePolicyFields(plan.policyTexts)}
            ${baseParts.join("\n            ")}
          }`;
  if (baseAt !== undefined) {
    params.push("$baseAt: GitObjectID!");
    variables.baseAt = baseAt;
  }
  // Read as the evidence query reads them, at the ledger's newest commit, and fresh every time.
  const ledger =
    plan.evidence.length > 0
      ? ledgerFolderParts(plan.evidence.map(indexDir), { params, variables })
      : [];
  const query = `query GatehousePullRequest(${params.join(", ")}) {
  repository(owner: $owner, name: $name) {
    databaseId
    nameWithOwner
    ${baseAt === undefined ? "" : `baseAt: object(oid: $baseAt) { ${base} }`}
    ${OPEN_PULLS}
    ${ledger.join("\n    ")}
    pullRequest(number: $number) {
      number
      state
      body
      changedFiles
      author { login }
      headRefOid
      baseRefName
      baseRef { target { ${baseAt === undefined ? base : "oid"} } }
      files(first: ${PAGE_SIZE}) { ${PAGE} nodes { path changeType } }
      commits(first: ${PAGE_SIZE}) { ${PAGE} nodes { commit { ...CommitFields } } }
      latestOpinionatedReviews(first: ${PAGE_SIZE}) { ${PAGE} nodes { ...ReviewFields } }
      labels(first: ${PAGE_SIZE}) { ${PAGE} nodes { name } }
      headCommit: commits(last: 1) {
        nodes {
          commit {
            oid
            statusCheckRollup { contexts(first: ${PAGE_SIZE}) { ${PAGE} nodes { ...ContextFields } } }
            ${headParts.join("\n            ")}
          }
        }
      }
    }
  }
  ${teams.join("\n  ")}
}
${BLOB}
${ENTRY}
${plan.policyTexts || (plan.changes !== null && plan.changeTexts) ? POLICY_TREE : ""}
${plan.records.length > 0 && plan.listRecords ? RECORD_TREE : ""}
${ledger.length > 0 ? LEDGER_FOLDER : ""}
${COMMIT}
${REVIEW}
${CONTEXT}`;
  return { query, variables };
}
