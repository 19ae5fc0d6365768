/**
 * The evidence a judgement reads: for every record the pull request touches, the documents of
 * that record's index folder, verified against the keys the base policy trusts for evidence.
 * The adapters read the folders (one request on GitHub, whatever the ledger's length) and hand
 * them here; the result goes into `Snapshot.evidence`.
 *
 * Fail closed: a document that does not verify, a break in a record's chain, or a record whose
 * base version no document recorded (changed without evidence, or evidence deleted after it)
 * becomes a `failed` entry, which fails the record. Deleting or corrupting history therefore
 * never loosens a rule.
 */
import { namedChanges } from "../deploy/named-changes.js";
import { loadPolicy } from "../policy/load-policy.js";
import type { Config } from "../policy/model.js";
import { recordKindForPath } from "../records/parse-record.js";
import { idOfPath } from "../records/record-ids.js";
import { loadKeyring } from "../signatures/keyring.js";
import type { Evidence, Snapshot } from "../types.js";
import type { IndexEntry } from "./append.js";
import { gitBlobSha } from "./build-statement.js";
import { parseEnvelope } from "./dsse.js";
import { NOTES_REF, EVIDENCE_SIGNER, type RecordEntry, type VerifiedDocument } from "./model.js";
import { sequenceOfEntry } from "./ledger-layout.js";
import { evidenceKeyring, verifyDocument } from "./verify-document.js";

/** What an adapter read of the ledger for one judgement. */
export interface LedgerRead {
  /** Whether the notes ref exists (in the clone, or on GitHub). */
  exists: boolean;
  /** Record id -> the entries of its index folder; an id without evidence maps to []. */
  records: Map<string, IndexEntry[]>;
  /**
   * The commits of {@link documentCommits} that are in the base commit's history, when the
   * adapter can tell (a clone judging against an older base, as a replayed check does). A
   * document of a later merge then does not count in comparing the record with its base
   * version; its acts still count. Absent: every document is taken to be in the base's history
   * (on GitHub the base is the branch's tip).
   */
  inBase?: Set<string>;
}

/** The commits the documents of a read are about (read without verifying, to ask git). */
export function documentCommits(ledger: LedgerRead): string[] {
  const commits = new Set<string>();
  for (const entries of ledger.records.values()) {
    for (const entry of entries) {
      const parsed = parseEnvelope((entry.text ?? "").trim());
      if (!parsed.ok) continue;
      try {
        const statement = JSON.parse(Buffer.from(parsed.payload).toString("utf8")) as {
          subject?: Array<{ digest?: { gitCommit?: unknown } }>;
        };
        const commit = statement.subject?.[0]?.digest?.gitCommit;
        if (typeof commit === "string" && /^[0-9a-f]{40}$/.test(commit)) commits.add(commit);
      } catch {
        // Not a statement: verification says so.
      }
    }
  }
  return [...commits];
}

type Judged = Pick<Snapshot, "base" | "changed" | "body" | "changeRecords" | "now">;

/**
 * The record ids whose evidence judging this snapshot needs: every record it changes (ids are
 * file names) and every change its body names (a deployment's executor must have had no other
 * hand in the change).
 */
export function evidenceIds(snapshot: Judged): string[] {
  const load = loadPolicy(snapshot.base.files);
  if (!load.ok) return [];
  const config = load.policy.config;
  const ids = new Set<string>(namedChanges(snapshot.body));
  for (const file of snapshot.changed) {
    for (const path of [file.path, file.previousPath]) {
      if (path !== undefined && recordKindForPath(path, config) !== null) ids.add(idOfPath(path));
    }
  }
  return [...ids].sort();
}

/**
 * Record id -> its text at the base (undefined: it did not exist there), for the records whose
 * base version the snapshot holds: the changed ones, and the change records the adapter read.
 */
function baseVersions(snapshot: Judged, config: Config): Map<string, string | undefined> {
  const versions = new Map<string, string | undefined>();
  for (const [path, text] of snapshot.changeRecords ?? []) versions.set(idOfPath(path), text);
  for (const file of snapshot.changed) {
    const path = file.previousPath ?? file.path;
    if (recordKindForPath(path, config) === null) continue;
    versions.set(
      idOfPath(path),
      file.status === "added" ? undefined : snapshot.base.files.get(path),
    );
  }
  return versions;
}

interface Filed extends VerifiedDocument {
  sequence: number;
  entry: RecordEntry;
}

/**
 * Verifies the ledger's documents of every touched record and turns them into evidence: one
 * verified entry per document, and a failed entry per record whose history cannot be trusted.
 */
export async function recordEvidence(snapshot: Judged, ledger: LedgerRead): Promise<Evidence[]> {
  const load = loadPolicy(snapshot.base.files);
  // An unreadable policy fails the judgement on its own; nothing here could be trusted anyway.
  if (!load.ok) return [];
  const keyring = await loadKeyring(load.policy.keys);
  const evidenceKeys = evidenceKeyring(keyring);
  const versions = baseVersions(snapshot, load.policy.config);
  const out: Evidence[] = [];
  for (const id of evidenceIds(snapshot)) {
    const entries = ledger.records.get(id) ?? [];
    const problems: string[] = [];
    const filed: Filed[] = [];
    for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
      const sequence = sequenceOfEntry(entry.name);
      if (sequence === null || entry.text === null) {
        problems.push(`the index entry "${entry.name}" of ${id} is not a document gatehouse wrote`);
        continue;
      }
      const check = await verifyDocument(entry.text, snapshot.now, evidenceKeys, keyring);
      if (!check.ok) {
        problems.push(`evidence #${sequence} of ${id} ${check.reason}`);
        continue;
      }
      const { predicate } = check.statement;
      const recordEntry = entryOf(check.statement, id);
      if (predicate.sequence !== sequence) {
        problems.push(
          `evidence #${sequence} of ${id} says it is #${predicate.sequence}: it was moved in the ledger`,
        );
      } else if (!recordEntry) {
        problems.push(`evidence #${sequence} is filed under ${id} but does not name it`);
      } else filed.push({ ...check, sequence, entry: recordEntry });
    }
    problems.push(...chainProblems(id, filed));
    // A record whose base version the snapshot does not hold cannot be compared; it is judged
    // by the documents alone.
    const inBase = filed.filter(
      (doc) =>
        !ledger.inBase || ledger.inBase.has(doc.statement.subject[0]?.digest.gitCommit ?? ""),
    );
    if (problems.length === 0 && inBase.length > 0 && versions.has(id)) {
      const gap = continuityProblem(id, inBase, versions.get(id));
      if (gap) problems.push(gap);
    }
    if (problems.length === 0 && inBase.length === 0 && versions.get(id) !== undefined) {
      // Since the baseline, every record at a base has a document; none means it was removed.
      if (ledger.exists) problems.push(noEvidence(id));
      else if (evidenceKeys.keys.length > 0) problems.push(missingLedger(id));
    }
    out.push(...filed.map((doc) => verifiedEntry(id, doc)));
    if (problems.length > 0) {
      out.push({
        record: id,
        acts: [],
        verification: { status: "failed", reason: problems.join("; ") },
      });
    }
  }
  return out;
}

/** Each document of a record must chain to the one before it in the record's folder. */
function chainProblems(id: string, filed: Filed[]): string[] {
  const problems: string[] = [];
  filed.forEach((doc, i) => {
    const before = filed[i - 1];
    const expected = before?.digest ?? null;
    if (doc.entry.previous === expected) return;
    problems.push(
      before === undefined
        ? `evidence #${doc.sequence} of ${id} follows an earlier document of ${id} that the ledger no longer holds: evidence was deleted`
        : `evidence #${doc.sequence} of ${id} does not follow #${before.sequence}, the document before it in the ledger: a document of ${id} was deleted, reordered or replaced between them`,
    );
  });
  return problems;
}

/**
 * The record at the base must be a version that a document recorded: otherwise it changed
 * without evidence (a merge gatehouse did not record, a push around pull requests), or the
 * documents after that change were deleted. Any document's version counts, not only the
 * newest, so that a branch judged against an older base is not refused for it.
 */
function continuityProblem(id: string, filed: Filed[], text: string | undefined): string | null {
  const blob = text === undefined ? null : gitBlobSha(text);
  if (filed.some((doc) => doc.entry.blob === blob)) return null;
  const newest = filed.at(-1)!;
  const merged = newest.statement.predicate;
  const where = merged.pullRequest ? `#${merged.pullRequest.number}` : merged.merge.sha.slice(0, 7);
  const state =
    blob === null
      ? `${id} is absent at the base commit, though evidence records it`
      : `${id} at the base commit is a version that no evidence recorded`;
  return `${state} (the newest document is #${newest.sequence}, from ${where} merged ${merged.merge.at}): it was changed or removed without evidence, or evidence after it was deleted; run "gatehouse audit" on a clone, and if a merge just happened, re-check in a minute (its evidence may still be on its way)`;
}

/** A record's entry in a document: its merge's, or its baseline line (a chain's start). */
function entryOf(statement: VerifiedDocument["statement"], id: string): RecordEntry | undefined {
  const merged = statement.predicate.records.find((r) => r.id === id);
  if (merged) return merged;
  const listed = statement.predicate.baseline?.find((r) => r.id === id);
  return listed
    ? { id, kind: null, path: listed.path, from: null, to: null, blob: listed.blob, previous: null }
    : undefined;
}

function noEvidence(id: string): string {
  return `${id} has no evidence in ${NOTES_REF}, although the ledger lists every record from its start: it was changed without evidence, or its evidence was deleted; run "gatehouse audit" on a clone`;
}

function missingLedger(id: string): string {
  return `${id} has no evidence because this repository has no ${NOTES_REF}, although policies/keys/${EVIDENCE_SIGNER}.asc says evidence is kept; in a clone fetch it (git fetch origin ${NOTES_REF}:${NOTES_REF}); on GitHub restore it, or, when gatehouse was only just adopted, merge a pull request that changes no existing record (such as the one that adds the key): its evidence starts the ledger. Without it separation of duties across pull requests cannot be judged`;
}

function verifiedEntry(id: string, doc: Filed): Evidence {
  const { predicate } = doc.statement;
  const number = predicate.pullRequest?.number;
  const acts = predicate.acts
    .filter((act) => act.record === id)
    .map((act) => ({ ...act, ...(number === undefined ? {} : { pullRequest: number }) }));
  const evidence: Evidence = {
    record: id,
    acts,
    document: {
      sequence: doc.sequence,
      commit: doc.statement.subject[0]?.digest.gitCommit ?? predicate.merge.sha,
      event: predicate.event,
      at: predicate.merge.at,
      from: doc.entry.from,
      to: doc.entry.to,
      ...(predicate.bypass ? { bypass: predicate.bypass.reason } : {}),
    },
    verification: {
      status: "verified",
      reason: `#${doc.sequence} is signed by evidence key ${doc.signer.slice(-16).toUpperCase()}`,
    },
  };
  if (number !== undefined) evidence.pullRequest = number;
  return evidence;
}
