/**
 * The evidence a judgement on GitHub reads: the ledger's index folders of the records the pull
 * request touches or names, in one request whatever the ledger's length (none when the first
 * query already read them), verified against the keys of the base policy and put into the
 * snapshot.
 */
import { evidenceIds, recordEvidence, type LedgerRead } from "../core/evidence/record-evidence.js";
import type { GraphQLClient, LoadedPullRequest } from "./load-snapshot.js";
import { readRecordLedger, type RepoRef } from "./read-ledger.js";

/**
 * Reads and verifies the evidence of a loaded pull request: one request, none when no record
 * or when the first query read these folders.
 */
export async function addEvidence(
  github: GraphQLClient,
  repo: RepoRef,
  loaded: LoadedPullRequest,
): Promise<void> {
  const ids = evidenceIds(loaded.snapshot);
  if (ids.length === 0) return;
  let ledger = preRead(loaded, ids);
  if (!ledger) {
    ledger = await readRecordLedger(github, repo, ids);
    loaded.requests += 1;
  }
  const evidence = await recordEvidence(loaded.snapshot, ledger);
  if (evidence.length > 0) loaded.snapshot.evidence = evidence;
}

/**
 * The folders the first query read on the last judgement's word, when they are every one this
 * judgement needs (only those are kept: a folder read for a record no longer touched says
 * nothing here).
 */
function preRead(loaded: LoadedPullRequest, ids: string[]): LedgerRead | null {
  const read = loaded.ledger?.read;
  if (!read || !ids.every((id) => read.records.has(id))) return null;
  return {
    exists: read.exists,
    records: new Map(ids.map((id) => [id, read.records.get(id) ?? []])),
  };
}
