/**
 * Appending signed documents to the ledger through GitHub's Git Data API: read the state at the
 * notes ref's commit, place and sign the documents, create their blobs, one tree over the old
 * one and one commit on top, then move `refs/notes/gatehouse` as a fast-forward (`force: false`).
 * When another writer (a second replica, a redelivered webhook) moved the ref first, GitHub
 * refuses with 422 and the state is read again: the document is placed after theirs, or not
 * written at all when theirs was the same one. Nothing else is ever written: no branch, no tag.
 */
import {
  appendEntries,
  placeStatements,
  writtenBefore,
  type LedgerEntry,
} from "../core/evidence/append.js";
import { baselineDrafts } from "../core/evidence/baseline.js";
import { NOTES_REF, type EvidenceStatement } from "../core/evidence/model.js";
import { signedLine, type SigningKey } from "../core/evidence/sign.js";
import type { Config } from "../core/policy/model.js";
import type { GitHubClient } from "./github-client.js";
import { readLedgerState, type RepoRef } from "./read-ledger.js";

/** How often a writer reads the state again after another writer moved the ref. */
export const WRITE_ATTEMPTS = 5;

type Git = Pick<GitHubClient, "graphql" | "rest">;

export type GitHubAppend =
  | { kind: "written"; statements: EvidenceStatement[]; commit: string; attempts: number }
  /** The document a redelivery or another replica wrote before, as it was written. */
  | { kind: "exists"; statement: EvidenceStatement };

export interface AppendRequest {
  draft: EvidenceStatement;
  signer: SigningKey;
  /** The base branch before the merge: where a new ledger's baseline lists the records. */
  baselineAt: string;
  config: Config;
  /**
   * Whether a ledger that does not exist may be started. Only while the base policy does not
   * trust the evidence key yet (adoption): afterwards a missing ledger was deleted, and starting
   * a new one would list the records whose evidence was deleted as older than the ledger.
   */
  mayStart: boolean;
}

/** Appends the draft (and a baseline, when the ledger begins). Throws when it cannot. */
export async function appendGitHubEvidence(
  github: Git,
  repo: RepoRef,
  request: AppendRequest,
): Promise<GitHubAppend> {
  const { draft } = request;
  const subject = draft.subject[0]?.digest.gitCommit ?? draft.predicate.merge.sha;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const head = await refCommit(github, repo);
    if (head === null && !request.mayStart) {
      throw new Error(
        `${NOTES_REF} does not exist although the base policy trusts the evidence key: it was deleted. Restore it from a clone that has it (git push origin ${NOTES_REF}); gatehouse does not start a new ledger, which would hide what was deleted.`,
      );
    }
    const read = await readLedgerState(github, repo, {
      commit: head?.commit ?? null,
      subject,
      ids: draft.predicate.records.map((r) => r.id),
      baselineAt: request.baselineAt,
      config: request.config,
    });
    const before = writtenBefore(read.state.note, draft);
    if (before) return { kind: "exists", statement: before };
    const baseline =
      head === null
        ? baselineDrafts({
            repository: draft.predicate.repository,
            baseRef: draft.predicate.base.ref,
            commit: request.baselineAt,
            records: read.baseline,
            writtenAt: new Date(draft.predicate.writtenAt),
          })
        : [];
    const placed = await placeStatements([...baseline, draft], read.state, (statement) =>
      signedLine(statement, request.signer),
    );
    const tree = await writeTree(
      github,
      repo,
      head?.tree ?? null,
      appendEntries(read.state, placed),
    );
    const last = placed.at(-1)!.statement.predicate;
    const { data: commit } = await github.rest.git.createCommit({
      ...ownerRepo(repo),
      message: `gatehouse evidence #${last.sequence} for ${subject}`,
      tree,
      parents: head ? [head.commit] : [],
    });
    if (await moveRef(github, repo, head?.commit ?? null, commit.sha)) {
      return {
        kind: "written",
        statements: placed.map((p) => p.statement),
        commit: commit.sha,
        attempts: attempt,
      };
    }
  }
  throw new Error(
    `${NOTES_REF} kept moving while gatehouse wrote evidence for ${subject} (${WRITE_ATTEMPTS} attempts); redeliver the merge event to try again.`,
  );
}

function ownerRepo(repo: RepoRef) {
  return { owner: repo.owner, repo: repo.repo };
}

/** The notes ref's commit and its tree, or null when the ref does not exist. */
async function refCommit(
  github: Git,
  repo: RepoRef,
): Promise<{ commit: string; tree: string } | null> {
  let commit: string;
  try {
    const { data } = await github.rest.git.getRef({ ...ownerRepo(repo), ref: "notes/gatehouse" });
    commit = data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
  const { data } = await github.rest.git.getCommit({ ...ownerRepo(repo), commit_sha: commit });
  return { commit, tree: data.tree.sha };
}

/**
 * One tree over `base`: each distinct text becomes one blob (a baseline document is listed under
 * a thousand records but sent once), and the tree names blobs by sha.
 */
async function writeTree(
  github: Git,
  repo: RepoRef,
  base: string | null,
  entries: LedgerEntry[],
): Promise<string> {
  const blobs = new Map<string, string>();
  for (const { text } of entries) {
    if (blobs.has(text)) continue;
    const { data } = await github.rest.git.createBlob({
      ...ownerRepo(repo),
      content: text,
      encoding: "utf-8",
    });
    blobs.set(text, data.sha);
  }
  const { data } = await github.rest.git.createTree({
    ...ownerRepo(repo),
    ...(base ? { base_tree: base } : {}),
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: "100644" as const,
      type: "blob" as const,
      sha: blobs.get(entry.text)!,
    })),
  });
  return data.sha;
}

/**
 * Moves the ref from `from` to `to` as a fast-forward; false when another writer moved (or
 * made) it first, which GitHub answers with 422.
 */
async function moveRef(
  github: Git,
  repo: RepoRef,
  from: string | null,
  to: string,
): Promise<boolean> {
  try {
    if (from === null) {
      await github.rest.git.createRef({ ...ownerRepo(repo), ref: NOTES_REF, sha: to });
    } else {
      await github.rest.git.updateRef({
        ...ownerRepo(repo),
        ref: "notes/gatehouse",
        sha: to,
        force: false,
      });
    }
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 422) return false;
    throw error;
  }
}
