/**
 * `gatehouse explain OWNER/REPO#N`: the verdict of a real pull request, loaded with the app's
 * own loader, optionally under a policy directory that is not merged yet, so that a policy
 * author can see what a change to the policy would do to real pull requests.
 */
import { evaluate } from "../core/evaluate/evaluate.js";
import type { Snapshot, Verdict } from "../core/types.js";
import { loadSnapshot, type GraphQLClient, type PullRequestRef } from "./load-snapshot.js";
import { policyTeams } from "./policy-teams.js";

export interface ExplainOptions {
  /** The policies directory of the repository. Default "policies". */
  policies?: string;
  /** Files of a local policy directory, relative to it; they replace the base commit's. */
  localPolicy?: Map<string, string>;
  now?: Date;
}

/** Parses "owner/repo#42" (or a pull request URL); null when it is neither. */
export function parsePullRequestRef(text: string): PullRequestRef | null {
  const short = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(text);
  const url = /^https?:\/\/[^/]+\/([\w.-]+)\/([\w.-]+)\/pull\/(\d+)\/?$/.exec(text);
  const match = short ?? url;
  if (!match) return null;
  return { owner: match[1] as string, repo: match[2] as string, number: Number(match[3]) };
}

/** Loads and judges one pull request; the snapshot is returned for the caller to describe. */
export async function explainPullRequest(
  github: GraphQLClient,
  pull: PullRequestRef,
  options: ExplainOptions = {},
): Promise<{ verdict: Verdict; snapshot: Snapshot; requests: number }> {
  const policies = options.policies ?? "policies";
  const withLocal = (files: Map<string, string>): Map<string, string> => {
    if (!options.localPolicy) return files;
    const merged = new Map([...files].filter(([path]) => !path.startsWith(`${policies}/`)));
    for (const [path, text] of options.localPolicy) merged.set(`${policies}/${path}`, text);
    return merged;
  };
  const loaded = await loadSnapshot(github, pull, {
    policies,
    teamsOf: (files) => policyTeams(withLocal(files)),
    ...(options.now ? { now: options.now } : {}),
  });
  const snapshot: Snapshot = {
    ...loaded.snapshot,
    base: { sha: loaded.snapshot.base.sha, files: withLocal(loaded.snapshot.base.files) },
  };
  return { verdict: await evaluate(snapshot), snapshot, requests: loaded.requests };
}
