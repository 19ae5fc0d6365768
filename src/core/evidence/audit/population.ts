/**
 * The completeness of the population an auditor samples: every commit of the default branch
 * that changed a governed path must be covered by a verified document (the merge commit, or a
 * commit a rebase merge put there). A commit that is not is listed: a push around the pull
 * requests, a merge gatehouse did not record, or one whose evidence was deleted.
 */
import type { PlacedDocument } from "./verify-ledger.js";

/** A first-parent commit of the default branch, with the paths it changed. */
export interface BranchCommit {
  sha: string;
  /** Committer date, ISO 8601. */
  date: string;
  subject: string;
  /** Paths changed against its first parent (every path of a root commit). */
  paths: string[];
}

export interface MissingEvidence {
  commit: string;
  date: string;
  subject: string;
  /** The governed paths it changed (at most ten). */
  paths: string[];
}

export interface PopulationInput {
  /** First-parent commits of the default branch, newest first. */
  commits: BranchCommit[];
  documents: PlacedDocument[];
  governed: (path: string) => boolean;
  /** Only commits at or after this time; by default those after the ledger began. */
  since?: Date;
  /** Only commits that changed one of these paths (`--record`). */
  paths?: (path: string) => boolean;
}

export interface Population {
  /** What the population is, in words: "since the ledger began on 2026-11-24". */
  scope: string;
  /** Commits in scope that changed governed paths. */
  governed: number;
  missing: MissingEvidence[];
}

/** The governed commits in scope, and those without evidence. */
export function population(input: PopulationInput): Population {
  const covered = new Set<string>();
  let start: { commit: string; at: string } | null = null;
  for (const doc of input.documents) {
    const { predicate } = doc.statement;
    if (predicate.event === "baseline") {
      start ??= { commit: predicate.merge.sha, at: predicate.writtenAt };
      continue;
    }
    covered.add(predicate.merge.sha);
    for (const commit of predicate.merge.commits) covered.add(commit);
  }
  let inScope: BranchCommit[];
  let scope: string;
  if (input.since) {
    const since = input.since.getTime();
    inScope = input.commits.filter((c) => new Date(c.date).getTime() >= since);
    scope = `since ${input.since.toISOString().slice(0, 10)}`;
  } else if (start) {
    // The ledger begins after its baseline commit: what came before has no evidence by design.
    const cut = input.commits.findIndex((c) => c.sha === start.commit);
    inScope = cut < 0 ? input.commits : input.commits.slice(0, cut);
    scope = `since the ledger began on ${start.at.slice(0, 10)}, after ${start.commit.slice(0, 7)}`;
  } else {
    inScope = input.commits;
    scope = "every commit: the ledger has not begun";
  }
  const missing: MissingEvidence[] = [];
  let governed = 0;
  for (const commit of inScope) {
    const paths = commit.paths.filter(input.governed);
    if (paths.length === 0) continue;
    if (input.paths && !paths.some(input.paths)) continue;
    governed += 1;
    if (covered.has(commit.sha)) continue;
    missing.push({
      commit: commit.sha,
      date: commit.date,
      subject: commit.subject,
      paths: paths.slice(0, 10),
    });
  }
  return { scope, governed, missing };
}
