/**
 * A small in-memory GitHub that answers the app's GraphQL queries by executing them against
 * GitHub's real schema (`@octokit/graphql-schema`). A query that the real API would refuse is
 * refused here too, and an answer that breaks the schema's nullability fails, so the loader is
 * tested against the API's contract rather than against hand-written JSON.
 */
import { createHash } from "node:crypto";
import { schema as githubSchema } from "@octokit/graphql-schema";
import type { FakeGit } from "./fake-git.js";
import {
  buildClientSchema,
  graphqlSync,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { blobOid, treeOid } from "../../../src/github/git-object-id.js";

let schema: GraphQLSchema | undefined;
export function githubGraphQLSchema(): GraphQLSchema {
  schema ??= buildClientSchema(githubSchema.json as unknown as IntrospectionQuery);
  return schema;
}

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; login: string | null; date: string };
  committer: { name: string; email: string; login: string | null; date: string };
  message: string;
  signature: { signature: string; payload: string } | null;
  /**
   * What the commit changed, as GitHub's REST "Get a commit" lists it (filename, status, patch);
   * none when absent. For a merge, `parentFiles` is the diff from each parent (compare).
   */
  files?: Array<{ filename: string; status: string; patch?: string; changes?: number }>;
  parentFiles?: Record<
    string,
    Array<{ filename: string; status: string; patch?: string; changes?: number }>
  >;
}

export interface FakeReview {
  login: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commit: string;
  submittedAt: string;
}

export interface FakePull {
  owner: string;
  name: string;
  /** GitHub's id of the repository (default: derived from owner and name). */
  repoId?: number;
  number: number;
  state: "OPEN" | "CLOSED" | "MERGED";
  author: string;
  body: string;
  baseRef: string;
  baseSha: string;
  headSha: string;
  /** The whole tree of the base commit. */
  baseFiles: Map<string, string>;
  /** The whole tree of the head commit. */
  headFiles: Map<string, string>;
  changed: Array<{ path: string; changeType: "ADDED" | "MODIFIED" | "DELETED" | "RENAMED" }>;
  commits: FakeCommit[];
  reviews: FakeReview[];
  labels: string[];
  checks: Array<{
    name: string;
    status: "COMPLETED" | "IN_PROGRESS";
    conclusion: string | null;
    /** For a run the app wrote: its id, its `external_id`, and how many annotations it has. */
    databaseId?: number;
    externalId?: string | null;
    annotations?: number;
    /** The app that made the run (default 99, not gatehouse). */
    app?: number;
  }>;
  /** Commit statuses on the head (Jenkins and other CI that report through the status API). */
  statuses?: Array<{ context: string; state: "SUCCESS" | "PENDING" | "FAILURE" | "ERROR" }>;
  teams: Record<string, string[]>;
  /**
   * The repository's git objects (the evidence ledger, merge commits); the ledger's queries are
   * answered from them, and from an empty repository when absent.
   */
  git?: FakeGit;
  /** Other open pull requests of the repository (number and head), listed but not loadable. */
  otherOpenPulls?: Array<{ number: number; headRefOid: string; baseRefName?: string }>;
  /**
   * Paths that are not regular files, per side: a symbolic link (its text in the files map is
   * the target) or a submodule entry (its text is ignored).
   */
  entries?: { base?: Record<string, SpecialEntry>; head?: Record<string, SpecialEntry> };
  /** The merge queue of the base branch, front first: each entry's group head commit. */
  mergeQueue?: Array<{ number: number; headRefOid: string; groupHead: string }>;
}

/** The most files of one pull request that GitHub lists. */
export const MAX_LISTED_FILES = 3000;

export type SpecialEntry = "symlink" | "submodule" | "binary";

type Args = { first?: number; last?: number; after?: string | null };

function connection<T>(items: T[], args: Args) {
  let start = args.after ? Number(args.after) : 0;
  let end = items.length;
  if (args.first !== undefined) end = Math.min(end, start + args.first);
  if (args.last !== undefined) start = Math.max(start, end - args.last);
  return {
    nodes: items.slice(start, end),
    totalCount: items.length,
    pageInfo: { hasNextPage: end < items.length, endCursor: String(end) },
  };
}

/** Ids as git computes them, so that the App's cache can prove what it kept. */
const SHA1 = "0".repeat(40);
const blob = (text: string) => ({
  __typename: "Blob",
  oid: blobOid(text, SHA1),
  text,
  isBinary: false,
  isTruncated: false,
});

type Special = Record<string, SpecialEntry> | undefined;
type FakeTree = {
  __typename: "Tree";
  oid: string;
  entries: Array<{ name: string; oid: string; mode: number }>;
};

/** A tree entry as GitHub's TreeEntry has it: mode, type, id and object (null for a submodule). */
function entryOf(files: Map<string, string>, path: string, special: Special) {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const text = files.get(path);
  if (text === undefined) {
    const object = tree(files, path, special);
    return object ? { path, name, mode: 0o40000, type: "tree", oid: object.oid, object } : null;
  }
  const kind = special?.[path];
  if (kind === "submodule") {
    const oid = createHash("sha1").update(`submodule ${text}`).digest("hex");
    return { path, name, mode: 0o160000, type: "commit", oid, object: null };
  }
  // GitHub gives no text for a binary blob.
  const object = kind === "binary" ? { ...blob(text), text: null, isBinary: true } : blob(text);
  const mode = kind === "symlink" ? 0o120000 : 0o100644;
  return { path, name, mode, type: "blob", oid: blobOid(text, SHA1), object };
}

function tree(files: Map<string, string>, dir: string, special?: Special): FakeTree | null {
  const prefix = dir === "" ? "" : `${dir}/`;
  const names = new Set<string>();
  for (const path of files.keys()) {
    if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split("/")[0] as string);
  }
  if (names.size === 0) return null;
  const entries = [...names].sort().flatMap((name) => entryOf(files, prefix + name, special) ?? []);
  return { __typename: "Tree", oid: treeOid(entries, SHA1) as string, entries };
}

function lookup(files: Map<string, string>, path: string): unknown {
  const text = files.get(path);
  return text !== undefined ? blob(text) : tree(files, path);
}

function actor(person: FakeCommit["author"]) {
  return {
    name: person.name,
    email: person.email,
    date: person.date,
    user: person.login ? { login: person.login } : null,
  };
}

function commitObject(pull: FakePull, commit: FakeCommit) {
  return {
    __typename: "Commit",
    oid: commit.sha,
    file: ({ path }: { path: string }) =>
      commit.sha === pull.headSha ? entryOf(pull.headFiles, path, pull.entries?.head) : null,
    message: commit.message,
    tree: { oid: commit.tree },
    parents: (args: Args) =>
      connection(
        commit.parents.map((oid) => ({ oid })),
        args,
      ),
    author: actor(commit.author),
    committer: actor(commit.committer),
    signature: commit.signature ? { __typename: "GpgSignature", ...commit.signature } : null,
    statusCheckRollup:
      commit.sha === pull.headSha
        ? {
            contexts: (args: Args) =>
              connection(
                [
                  ...pull.checks.map((c) => ({
                    __typename: "CheckRun",
                    name: c.name,
                    status: c.status,
                    conclusion: c.conclusion,
                    databaseId: c.databaseId ?? null,
                    externalId: c.externalId ?? null,
                    checkSuite: { app: { databaseId: c.app ?? 99 } },
                    annotations: { totalCount: c.annotations ?? 0 },
                  })),
                  ...(pull.statuses ?? []).map((s) => ({ __typename: "StatusContext", ...s })),
                ],
                args,
              ),
          }
        : null,
  };
}

function root(pull: FakePull) {
  const treeCommit = (oid: string, files: Map<string, string>, special: Special) => ({
    __typename: "Commit",
    oid,
    file: ({ path }: { path: string }) => entryOf(files, path, special),
  });
  const baseCommit = treeCommit(pull.baseSha, pull.baseFiles, pull.entries?.base);
  const pullRequest = {
    number: pull.number,
    state: pull.state,
    body: pull.body,
    author: { __typename: "User", login: pull.author },
    headRefOid: pull.headSha,
    baseRefName: pull.baseRef,
    baseRef: { target: baseCommit },
    // GitHub lists at most 3,000 files of a pull request; `changedFiles` still counts them all.
    changedFiles: pull.changed.length,
    files: (args: Args) => connection(pull.changed.slice(0, MAX_LISTED_FILES), args),
    commits: (args: Args) =>
      connection(
        pull.commits.map((c) => ({ commit: commitObject(pull, c) })),
        args,
      ),
    latestOpinionatedReviews: (args: Args) =>
      connection(
        pull.reviews.map((r) => ({
          author: { __typename: "User", login: r.login },
          state: r.state,
          submittedAt: r.submittedAt,
          commit: { oid: r.commit },
        })),
        args,
      ),
    labels: (args: Args) =>
      connection(
        pull.labels.map((name) => ({ name })),
        args,
      ),
  };
  const openPulls = [
    ...(pull.state === "OPEN"
      ? [{ number: pull.number, headRefOid: pull.headSha, baseRefName: pull.baseRef }]
      : []),
    ...(pull.otherOpenPulls ?? []).map((p) => ({ baseRefName: "main", ...p })),
  ];
  const repository = {
    databaseId: repoIdOf(pull),
    nameWithOwner: `${pull.owner}/${pull.name}`,
    pullRequests: (args: Args & { states?: string[] }) => {
      if (args.states?.length !== 1 || args.states[0] !== "OPEN") {
        throw new Error("the fake lists open pull requests only");
      }
      return connection(openPulls, args);
    },
    pullRequest: ({ number }: { number: number }) => (number === pull.number ? pullRequest : null),
    mergeQueue: ({ branch }: { branch: string }) =>
      branch === pull.baseRef && pull.mergeQueue
        ? {
            entries: (args: Args) =>
              connection(
                (pull.mergeQueue ?? []).map((e, i) => ({
                  position: i + 1,
                  headCommit: { oid: e.groupHead },
                  pullRequest: { number: e.number, headRefOid: e.headRefOid },
                })),
                args,
              ),
          }
        : null,
    // The ledger lives in the repository's git objects: a query of the pull request may read it.
    ref: ({ qualifiedName }: { qualifiedName: string }) => pull.git?.refNode(qualifiedName) ?? null,
    object: ({ expression, oid }: { expression?: string; oid?: string }) => {
      if (expression?.startsWith("refs/")) return pull.git?.objectAt({ expression }) ?? null;
      if (oid !== undefined) {
        const commit = pull.commits.find((c) => c.sha === oid);
        const files =
          oid === pull.baseSha
            ? treeCommit(oid, pull.baseFiles, pull.entries?.base)
            : oid === pull.headSha
              ? treeCommit(oid, pull.headFiles, pull.entries?.head)
              : null;
        return commit ? { ...commitObject(pull, commit), ...files } : files;
      }
      const [sha, ...rest] = (expression ?? "").split(":");
      const files =
        sha === pull.baseSha ? pull.baseFiles : sha === pull.headSha ? pull.headFiles : null;
      return files ? lookup(files, rest.join(":")) : null;
    },
  };
  return {
    repository: ({ owner, name }: { owner: string; name: string }) =>
      owner === pull.owner && name === pull.name ? repository : null,
    organization: ({ login }: { login: string }) => ({
      team: ({ slug }: { slug: string }) => {
        const members = pull.teams[`${login}/${slug}`];
        return members
          ? {
              members: (args: Args) =>
                connection(
                  members.map((m) => ({ login: m })),
                  args,
                ),
            }
          : null;
      },
    }),
  };
}

/** The repository's id: the one the test gave, or one GitHub could have given for its name. */
export function repoIdOf(pull: FakePull): number {
  if (pull.repoId !== undefined) return pull.repoId;
  return parseInt(
    createHash("sha1").update(`${pull.owner}/${pull.name}`).digest("hex").slice(0, 7),
    16,
  );
}

/** Answers one GraphQL request body the way api.github.com would for this pull request. */
export function answerGraphQL(
  pull: FakePull,
  body: { query: string; variables?: Record<string, unknown> },
): { data?: unknown; errors?: unknown[] } {
  const result = graphqlSync({
    schema: githubGraphQLSchema(),
    source: body.query,
    rootValue: root(pull),
    variableValues: body.variables ?? {},
  });
  return JSON.parse(JSON.stringify(result)) as { data?: unknown; errors?: unknown[] };
}
