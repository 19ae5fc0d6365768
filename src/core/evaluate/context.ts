import type { Policy, RolesPolicy } from "../policy/model.js";
import { roleHolders } from "../policy/roles.js";
import type { ParsedRecord } from "../records/model.js";
import { filesById } from "../records/record-ids.js";
import type { FileStatus, Login, Review, RoleId, Snapshot } from "../types.js";
import { identityMap, loginKey, resolveLogin, type Identities } from "./resolve-login.js";

/** One changed record: its base and head versions (null where it does not exist). */
export interface RecordPair {
  path: string;
  status: FileStatus;
  /** For a rename: the path in the base commit. */
  previousPath?: string;
  before: ParsedRecord | null;
  after: ParsedRecord | null;
}

/** A commit with its author and committer resolved to logins (null when unknown). */
export interface Contributor {
  sha: string;
  author: Login | null;
  committer: Login | null;
  authorEmail: string;
}

/** Why a person's approval never counts on this pull request. */
export type Exclusion = "author" | "commit-author" | "committer";

/** Everything a rule or a stage may look at, computed once per evaluation. */
export interface EvaluationContext {
  snapshot: Snapshot;
  policy: Policy;
  records: RecordPair[];
  contributors: Contributor[];
  identities: Identities;
  /** Lower-cased login -> why that person may not approve (PR author, commit author, committer). */
  excluded: Map<string, Exclusion>;
  /** Approvals that count: latest review APPROVED, on the head sha, by someone not excluded. */
  approvals: Review[];
  /** Latest review per user (lower-cased login), whatever its state. */
  latestReviews: Map<string, Review>;
  /** Members of a role, teams expanded, in policy order. */
  holders(role: RoleId): Login[];
  /** Whether the person holds the role (case-insensitive). */
  holds(login: Login, role: RoleId): boolean;
  /** The people whose approval counts and who hold the role, in review order. */
  approvers(role: RoleId): Login[];
  /**
   * The record files at the head that carry an id (from `snapshot.recordPaths`), or undefined
   * when the adapter did not list them. Built once, on first use.
   */
  recordFilesWithId(id: string): string[] | undefined;
}

/**
 * Builds the context of one evaluation: resolves commit people to logins, decides who is
 * excluded from approving and which approvals count.
 */
export function buildContext(
  snapshot: Snapshot,
  policy: Policy,
  records: RecordPair[],
  extraIdentities: Map<string, Login>,
): EvaluationContext {
  const identities: Identities = {
    known: identityMap(Object.entries(snapshot.identities ?? {})),
    extra: extraIdentities,
  };
  const contributors = snapshot.commits.map((commit) => ({
    sha: commit.sha,
    author: resolveLogin(commit.author, identities),
    committer: resolveLogin(commit.committer, identities),
    authorEmail: commit.author.email,
  }));
  const excluded = new Map<string, Exclusion>();
  // Order matters only for the message: the strongest reason is kept.
  for (const c of contributors) if (c.committer) excluded.set(loginKey(c.committer), "committer");
  for (const c of contributors) if (c.author) excluded.set(loginKey(c.author), "commit-author");
  excluded.set(loginKey(snapshot.author), "author");

  const latestReviews = new Map<string, Review>();
  for (const review of snapshot.approvals) {
    const key = loginKey(review.user);
    const seen = latestReviews.get(key);
    if (!seen || seen.submittedAt.getTime() <= review.submittedAt.getTime()) {
      latestReviews.set(key, review);
    }
  }
  const approvals = [...latestReviews.entries()]
    .filter(
      ([key, r]) => r.state === "APPROVED" && r.commit === snapshot.head.sha && !excluded.has(key),
    )
    .map(([, r]) => r);

  const holderCache = new Map<RoleId, { list: Login[]; keys: Set<string> }>();
  const holderEntry = (role: RoleId) => {
    let entry = holderCache.get(role);
    if (!entry) {
      const list = holdersOf(policy.roles, role, snapshot.teams);
      entry = { list, keys: new Set(list.map(loginKey)) };
      holderCache.set(role, entry);
    }
    return entry;
  };

  const approverCache = new Map<RoleId, Login[]>();
  const approvers = (role: RoleId): Login[] => {
    let list = approverCache.get(role);
    if (!list) {
      const keys = holderEntry(role).keys;
      list = approvals.map((a) => a.user).filter((login) => keys.has(loginKey(login)));
      approverCache.set(role, list);
    }
    return list;
  };

  let byId: Map<string, string[]> | undefined;
  const recordFilesWithId = (id: string): string[] | undefined => {
    if (snapshot.recordPaths === undefined) return undefined;
    byId ??= filesById(snapshot.recordPaths);
    return byId.get(id) ?? [];
  };

  return {
    snapshot,
    policy,
    records,
    contributors,
    identities,
    excluded,
    approvals,
    latestReviews,
    holders: (role) => holderEntry(role).list,
    holds: (login, role) => holderEntry(role).keys.has(loginKey(login)),
    approvers,
    recordFilesWithId,
  };
}

function holdersOf(roles: RolesPolicy, role: RoleId, teams: Snapshot["teams"]): Login[] {
  const seen = new Set<string>();
  const out: Login[] = [];
  for (const login of roleHolders(roles, role, teams)) {
    const key = loginKey(login);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(login);
    }
  }
  return out;
}
