/**
 * The evidence of a merge made in a local clone (the demo, tests): the facts git knows about
 * the merge commit, the document built from the verdict the branch was judged by, appended to
 * the clone's ledger.
 */
import { simpleGit } from "simple-git";
import { draftStatement } from "../core/evidence/build-statement.js";
import type { SigningKey } from "../core/evidence/sign.js";
import type { Login, Snapshot, Verdict } from "../core/types.js";
import { appendLocalEvidence, type AppendOutcome } from "./write-ledger.js";

export interface LocalMerge {
  root: string;
  /** The snapshot and verdict the branch was judged by. */
  snapshot: Pick<Snapshot, "repo" | "base" | "head" | "number" | "author">;
  verdict: Verdict;
  /** The branch merged into, and its commit before the merge. */
  baseRef: string;
  before: string;
  /** The merge commit. */
  merge: string;
  by: Login;
  signer: SigningKey;
}

/** Writes the document of a local merge; nothing when its note already holds it. */
export async function recordLocalMerge(merge: LocalMerge): Promise<AppendOutcome> {
  const git = simpleGit({ baseDir: merge.root });
  const commits = (await git.raw(["rev-list", "--first-parent", `${merge.before}..${merge.merge}`]))
    .split("\n")
    .filter((line) => line !== "");
  const recordBlobs = new Map<string, string | null>();
  for (const record of merge.verdict.records) {
    const listed = (await git.raw(["ls-tree", "-z", merge.merge, "--", record.path])).split(
      "\0",
    )[0];
    const sha = listed?.split("\t")[0]?.split(" ")[2];
    recordBlobs.set(record.path, sha && /^[0-9a-f]{40}$/.test(sha) ? sha : null);
  }
  const at = new Date(
    (await git.raw(["show", "-s", "--format=%cI", merge.merge])).trim() || Date.now(),
  );
  const draft = draftStatement(
    {
      repository: merge.snapshot.repo,
      pullRequest:
        merge.snapshot.number === undefined
          ? null
          : { number: merge.snapshot.number, author: merge.snapshot.author },
      baseRef: merge.baseRef,
      merge: { sha: merge.merge, by: merge.by, at, commits },
      // Locally the verdict is the check: there is no check run to read.
      check: { name: "gatehouse", id: null, conclusion: merge.verdict.conclusion },
      recordBlobs,
      writtenAt: at,
    },
    merge.snapshot,
    merge.verdict,
  );
  return appendLocalEvidence(merge.root, draft, merge.signer, merge.before);
}
