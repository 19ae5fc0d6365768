/**
 * A push that changes a branch's policy re-judges every open pull request into the branch, and
 * each would find the new policy's ids missing from the cache and read its texts again (ten at
 * a time, each judgement one query more). Read once here, at the pushed commit, and kept under
 * its ids, the new policy costs those judgements nothing: each takes its one query and at most
 * one write. Nothing is trusted more for being read early: a judgement uses the texts only when
 * its own base names the same ids (src/github/cached-trees.ts).
 */
import { keepPolicy, placeOf } from "./base-policy.js";
import { BASE_POLICY_QUERY } from "./first-query.js";
import type { BasePolicyNode } from "./graphql-types.js";
import { rememberPolicy } from "./judgement-hint.js";
import type { GraphQLClient } from "./load-options.js";
import type { SnapshotCache } from "./snapshot-cache.js";

export interface PushedPolicy {
  owner: string;
  repo: string;
  /** GitHub's id of the repository (the push payload's `repository.id`). */
  repoId: number;
  /** The pushed commit (the payload's `after`). */
  sha: string;
  policies: string;
  codeowners: string;
}

/** Reads the policy of the pushed commit into the cache: one request. */
export async function prefetchPolicy(
  github: GraphQLClient,
  cache: SnapshotCache,
  at: PushedPolicy,
): Promise<void> {
  const { owner, repo, repoId, sha, policies, codeowners } = at;
  const answer = await github.graphql<{ repository: { object: BasePolicyNode | null } | null }>(
    BASE_POLICY_QUERY,
    { owner, name: repo, base: sha, policies, codeowners },
  );
  const read = answer.repository?.object;
  if (!read) return;
  const place = placeOf(read, { repoId, policies, codeowners });
  await keepPolicy(cache, place, read);
  // Its teams are not known until a judgement loads the whole policy; that judgement adds them.
  await rememberPolicy(cache, { owner, repo }, { ...place, teams: [] });
}
