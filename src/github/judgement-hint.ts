/**
 * What the last judgement of a pull request read, kept so that the next one can ask for all of
 * it in its first query: the policy it found (by id), the teams that policy names, the files
 * whose texts it needed and the record folders it listed. Per repository, the policies most
 * recently read there (at most {@link RECENT}: the main branch, release branches) serve a pull
 * request not judged before.
 *
 * A hint is a guess, never a fact: it only decides what the first query asks for. What the
 * judgement uses is what GitHub answers for the pull request as it now is; a text is used only
 * for a path the pull request changes, on the commit it was asked of, a team only when the
 * policy names it, a cached policy only when its ids match (src/github/cached-trees.ts). A
 * wrong, stale or unreadable hint therefore costs a request, never a verdict. (The previous
 * paths of renamed files are not kept: nothing could prove them, and they decide which base
 * text a record is compared with.)
 */
import { RECORD_KINDS, type RecordKind } from "../core/types.js";
import type { PullRequestRef } from "./load-snapshot.js";
import type { SnapshotCache } from "./snapshot-cache.js";

/** The policy a judgement found at its base: where, and by which ids. */
export interface PolicyGuess {
  repoId: number;
  policies: string;
  /** The policy directory's tree id; null when the base has none. */
  tree: string | null;
  codeowners: string;
  /** The CODEOWNERS blob id; null when the base has none. */
  codeownersOid: string | null;
  /** "org/slug" of every team the policy names. */
  teams: string[];
  /** The record folders the base's configuration names (kind -> folder), when known. */
  records?: Partial<Record<RecordKind, string>>;
  /** The id of the base's change records folder as last read, null when it had none. */
  changesTree?: string | null;
}

export interface JudgementHint {
  policy: PolicyGuess;
  /** Paths read at the base and at the head (the first 100 changed files). */
  basePaths: string[];
  headPaths: string[];
  /** The change records' folder, when the judgement read it. */
  changes: string | null;
  /** The record folders listed at the head, when the judgement listed them. */
  records: string[];
  /** The records whose evidence the judgement read (their index folders in the ledger). */
  evidence: string[];
}

/** Policies of the repository remembered for pull requests judged for the first time. */
export const RECENT = 4;
/** Paths a hint holds per side, and teams; the first query asks for no more. */
const MAX_PATHS = 100;
const MAX_TEAMS = 50;
export const MAX_EVIDENCE = 50;

const pullKey = (pull: PullRequestRef) =>
  `hint:${pull.owner.toLowerCase()}/${pull.repo.toLowerCase()}#${pull.number}`;
const repoKey = (repo: { owner: string; repo: string }) =>
  `hint:${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}`;

/** The hint of the pull request and the repository's recent policies; empty when unreadable. */
export async function readHints(
  cache: SnapshotCache,
  pull: PullRequestRef,
): Promise<{ hint: JudgementHint | null; recent: PolicyGuess[] }> {
  const [pullText, repoText] = await cache.get([pullKey(pull), repoKey(pull)]);
  const hint = parse(pullText ?? null, hintOf);
  return { hint, recent: recentOf(repoText ?? null) };
}

/** True when some judgement in the repository left its policy behind (a warm repository). */
export async function knowsRepository(
  cache: SnapshotCache,
  repo: { owner: string; repo: string },
): Promise<boolean> {
  const [text] = await cache.get([repoKey(repo)]);
  return recentOf(text ?? null).length > 0;
}

function recentOf(text: string | null): PolicyGuess[] {
  const recent = parse(text, (v) =>
    Array.isArray(v) ? v.slice(0, RECENT).flatMap((p) => policyOf(p) ?? []) : null,
  );
  return recent ?? [];
}

/**
 * Puts a policy read ahead of its judgements (a policy push) first among the repository's
 * recent ones, so that a pull request judged for the first time asks for it by id.
 */
export async function rememberPolicy(
  cache: SnapshotCache,
  repo: { owner: string; repo: string },
  policy: PolicyGuess,
): Promise<void> {
  const [text] = await cache.get([repoKey(repo)]);
  const others = recentOf(text ?? null).filter((p) => !samePolicy(p, policy));
  await cache.set(repoKey(repo), JSON.stringify([policy, ...others].slice(0, RECENT)), "hint");
}

/** Keeps what this judgement read, for the next judgement of the pull request and repository. */
export async function writeHints(
  cache: SnapshotCache,
  pull: PullRequestRef,
  hint: JudgementHint,
  recent: PolicyGuess[],
): Promise<void> {
  const bounded: JudgementHint = {
    ...hint,
    basePaths: hint.basePaths.slice(0, MAX_PATHS),
    headPaths: hint.headPaths.slice(0, MAX_PATHS),
    policy: { ...hint.policy, teams: hint.policy.teams.slice(0, MAX_TEAMS) },
    evidence: hint.evidence.slice(0, MAX_EVIDENCE),
  };
  const others = recent.filter((p) => !samePolicy(p, bounded.policy));
  await Promise.all([
    cache.set(pullKey(pull), JSON.stringify(bounded), "hint"),
    cache.set(repoKey(pull), JSON.stringify([bounded.policy, ...others].slice(0, RECENT)), "hint"),
  ]);
}

export function samePolicy(a: PolicyGuess, b: PolicyGuess): boolean {
  return (
    a.repoId === b.repoId &&
    a.policies === b.policies &&
    a.tree === b.tree &&
    a.codeowners === b.codeowners &&
    a.codeownersOid === b.codeownersOid
  );
}

/** A hint's JSON in the shape `shape` accepts, or null (no entry, garbage, another shape). */
export function parse<T>(text: string | null, shape: (value: unknown) => T | null): T | null {
  if (text === null) return null;
  try {
    return shape(JSON.parse(text));
  } catch {
    return null;
  }
}

const isString = (v: unknown): v is string => typeof v === "string";
/** A list of at most `max` strings, or null. */
export const strings = (v: unknown, max: number): string[] | null =>
  Array.isArray(v) && v.length <= max && v.every(isString) ? v : null;
const oidOrNull = (v: unknown): string | null | undefined =>
  v === null ? null : isString(v) && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(v) ? v : undefined;

function policyOf(value: unknown): PolicyGuess | null {
  const v = (value ?? {}) as Record<string, unknown>;
  const tree = oidOrNull(v.tree);
  const codeownersOid = oidOrNull(v.codeownersOid);
  const teams = strings(v.teams, MAX_TEAMS);
  if (
    !Number.isSafeInteger(v.repoId) ||
    !isString(v.policies) ||
    !isString(v.codeowners) ||
    tree === undefined ||
    codeownersOid === undefined ||
    !teams
  ) {
    return null;
  }
  const changesTree = oidOrNull(v.changesTree);
  const records = recordsOf(v.records);
  return {
    repoId: v.repoId as number,
    policies: v.policies,
    tree,
    codeowners: v.codeowners,
    codeownersOid,
    teams,
    ...(records ? { records } : {}),
    ...(changesTree === undefined ? {} : { changesTree }),
  };
}

function recordsOf(value: unknown): Partial<Record<RecordKind, string>> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const pairs = RECORD_KINDS.flatMap((k) => (isString(v[k]) ? [[k, v[k]] as const] : []));
  return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
}

function hintOf(value: unknown): JudgementHint | null {
  const v = (value ?? {}) as Record<string, unknown>;
  const policy = policyOf(v.policy);
  const basePaths = strings(v.basePaths, MAX_PATHS);
  const headPaths = strings(v.headPaths, MAX_PATHS);
  const records = strings(v.records, 10);
  const changes = v.changes === null || isString(v.changes) ? v.changes : undefined;
  const evidence = strings(v.evidence ?? [], MAX_EVIDENCE);
  if (!policy || !basePaths || !headPaths || !records || changes === undefined || !evidence) {
    return null;
  }
  return { policy, basePaths, headPaths, changes, records, evidence };
}
