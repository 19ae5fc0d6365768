/**
 * What the GitHub snapshot loader (src/github/load-snapshot.ts) is given and gives back: the
 * GraphQL client it asks, the pull request, the settings of a load, and the loaded pull request.
 */
import type { LedgerRead } from "../core/evidence/record-evidence.js";
import type { Commit, CommitAdditions, Snapshot, TeamName } from "../core/types.js";
import type { OwnRun } from "./report-check.js";
import type { SnapshotCache } from "./snapshot-cache.js";

/** The part of an Octokit the loader uses; tests and the CLI hand in their own. */
export interface GraphQLClient {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface LoadOptions {
  /** The head the event named: what a push of it touched guides the first query. */
  head?: string | undefined;
  /** The policies directory, from the app configuration. */
  policies: string;
  /** Where CODEOWNERS lives when the configuration asks for it. */
  codeowners?: string;
  /** The configuration with `_extends` resolved; replaces a base file that uses `_extends`. */
  resolvedConfig?: Record<string, unknown> | null;
  /**
   * The policies directory that the base commit's `.github/gatehouse.yml` text names; when it
   * is not `policies`, the first query is asked again with it.
   */
  policiesOf?(configText: string | null): string;
  /** Team names the policy in these base files refers to. */
  teamsOf(baseFiles: Map<string, string>): TeamName[];
  /** Previous paths of renamed files (GraphQL does not tell them); asked only when needed. */
  renames?(): Promise<Map<string, string>>;
  /**
   * What each commit added (GraphQL has no diffs), for the personal-data scan of the branch's
   * history; asked only when the pull request has more than one commit or a merge commit.
   */
  additions?(commits: Commit[]): Promise<{ additions: CommitAdditions[]; requests: number }>;
  /** The name of gatehouse's own check, left out of `checks`. */
  checkName?: string;
  /** The App's id: only its own run of that name is the one to update. */
  appId?: number | undefined;
  /**
   * Judge against this base commit instead of the base branch's tip: a merged pull request is
   * judged again for its evidence against the commit it was merged onto.
   */
  baseAt?: string;
  /** Texts by id and hints of earlier judgements; without it every judgement reads everything. */
  cache?: SnapshotCache | undefined;
  now?: Date;
}

export interface LoadedPullRequest {
  snapshot: Snapshot;
  state: "OPEN" | "CLOSED" | "MERGED";
  baseRef: string;
  /** GitHub requests this load made, for the request budget and the benchmark. */
  requests: number;
  /** gatehouse's own newest run on the head commit, if any. */
  ownRun: OwnRun | null;
  /** The other open pull requests whose head is this one's head commit. */
  sameHead: Array<{ number: number; base: string }>;
  /**
   * The ledger's index folders of these records, read in the first query because the last
   * judgement needed them (src/github/snapshot-evidence.ts uses them when they are the ones it
   * needs, and reads the ledger itself otherwise).
   */
  ledger?: { ids: string[]; read: LedgerRead };
}
