/**
 * The evidence a judgement on GitHub reads: the ledger's index folders of the records the pull
 * request touches or names, in one request whatever the ledger's length, verified against the
 * keys of the base policy and put into the snapshot.
 */
import { evidenceIds, recordEvidence } from "../core/evidence/record-evidence.js";
import type { GraphQLClient, LoadedPullRequest } from "./load-snapshot.js";
import { readRecordLedger, type RepoRef } from "./read-ledger.js";

/** Reads and verifies the evidence of a loaded pull request; one request, none when no record. */
export async function addEvidence(
  github: GraphQLClient,
  repo: RepoRef,
  loaded: LoadedPullRequest,
): Promise<void> {
  const ids = evidenceIds(loaded.snapshot);
  if (ids.length === 0) return;
  const ledger = await readRecordLedger(github, repo, ids);
  loaded.requests += 1;
  const evidence = await recordEvidence(loaded.snapshot, ledger);
  if (evidence.length > 0) loaded.snapshot.evidence = evidence;
}
