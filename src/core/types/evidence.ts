/** What earlier, merged pull requests did to a record, from the evidence ledger. */
import type { Act } from "./verdict.js";

/**
 * What was done to a record in an earlier, merged pull request (from evidence). The adapters
 * fill it from the evidence ledger (`core/evidence/record-evidence`), one entry per document
 * and record, verified against the base policy's keys; `--context` may give it by hand, and
 * then `verification` is absent.
 */
export interface Evidence {
  record: string;
  pullRequest?: number;
  acts: Act[];
  /** The ledger document the acts come from. Absent for evidence given by hand. */
  document?: EvidenceDocumentRef;
  /**
   * How the document was verified. A `failed` entry carries no acts and fails the record it
   * names (fail closed: a tampered or missing document never loosens a rule).
   */
  verification?: { status: "verified" | "failed"; reason: string };
}

/** Where an entry of {@link Evidence} comes from in the ledger. */
export interface EvidenceDocumentRef {
  /** Position in the ledger. */
  sequence: number;
  /** The commit the document annotates (the merge commit). */
  commit: string;
  /** "merge" (issue 10); deployments add their own events. */
  event: string;
  /** When the merge (or event) happened, ISO 8601. */
  at: string;
  /** The record's transition in that event. */
  from: string | null;
  to: string | null;
  /** Set when the merge went through without a passing gatehouse check. */
  bypass?: string;
}
