/**
 * The evidence ledger's document model: what gatehouse writes when a pull request it judged is
 * merged, and how it is wrapped so that supply-chain tooling can read it.
 *
 * A document is an in-toto Statement (v1) whose subject is the merge commit and whose predicate
 * is {@link EvidencePredicate}. It is signed as a DSSE envelope (the in-toto signing format) with
 * the App's OpenPGP key; the key's public half lives in `policies/keys/gatehouse-evidence.asc`,
 * so only a key the base policy trusts makes evidence count. Documents form one hash chain
 * (`previous`, `sequence`) and, per record, a chain of their own (`records[].previous`), so that
 * an edited, deleted or reordered document is found and located.
 *
 * Other parts of gatehouse add events to the same ledger (deployments, issue 11): they write a
 * predicate with their own `event`, keep every field below, and add fields of their own, which
 * verification accepts.
 */
import type { Act, Conclusion, Login, RecordKind, Status } from "../types.js";

/** The in-toto Statement type of every document. */
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** The predicate type: what the predicate means is documented at this address. */
export const PREDICATE_TYPE = "https://gatehouse.dev/evidence/v1";
/** The DSSE payload type of an in-toto Statement. */
export const PAYLOAD_TYPE = "application/vnd.in-toto+json";
/**
 * The login whose keys in `policies/keys/` sign evidence (`policies/keys/gatehouse-evidence.asc`).
 * No person's key counts: a developer whose commit key is trusted must not be able to write
 * evidence that loosens separation of duties.
 */
export const EVIDENCE_SIGNER = "gatehouse-evidence";
/** The git notes ref the ledger lives in. */
export const NOTES_REF = "refs/notes/gatehouse";

/** "sha256:<64 hex>", the digest of a document's signed payload. */
export type Digest = `sha256:${string}`;

/** What happened to one record in the merge, and where its own chain stood. */
export interface RecordEntry {
  id: string;
  kind: RecordKind | null;
  path: string;
  /** The state before the merge; null for a new record. */
  from: string | null;
  /** The state after the merge; null for a removed record. */
  to: string | null;
  /** The git blob sha of the record file at the merge commit; null when removed. */
  blob: string | null;
  /** The digest of the previous document that names this record; null for its first. */
  previous: Digest | null;
}

/** An act as evidence keeps it: who filled which requirement, and for a consent which section. */
export type ActEntry = Pick<Act, "record" | "role" | "login" | "action"> & { section?: string };

/** A rule's outcome at merge, in a few words (signatures, privacy). */
export interface RuleOutcome {
  status: Status;
  reason: string;
}

/**
 * The events of the ledger: `merge`, and `baseline` for the records already there when the
 * ledger began (see {@link EvidencePredicate.baseline}). Deployments (issue 11) add their own.
 */
export type EvidenceEvent = "merge" | "baseline" | (string & {});

/** A record as it stood when the ledger began. */
export interface BaselineEntry {
  id: string;
  path: string;
  /** Its git blob sha at the commit the ledger began on. */
  blob: string;
}

export interface EvidencePredicate {
  version: 1;
  event: EvidenceEvent;
  /** 1-based position in the ledger. */
  sequence: number;
  /** The digest of the document before this one in the ledger; null for the first. */
  previous: Digest | null;
  /** "owner/name" on GitHub; the folder name of a local repository. */
  repository: string;
  pullRequest: { number: number; author: Login } | null;
  base: { ref: string; sha: string };
  head: { sha: string };
  merge: {
    sha: string;
    by: Login | null;
    /** ISO 8601, as GitHub gives it. */
    at: string;
    /** Every commit the merge put on the base branch (more than one for a rebase merge). */
    commits: string[];
  };
  /** The policy the pull request was judged by: path -> git blob sha, at the base commit. */
  policy: { files: Record<string, string> };
  records: RecordEntry[];
  acts: ActEntry[];
  verdict: { conclusion: Conclusion; summary: string };
  signatures: RuleOutcome;
  privacy: RuleOutcome;
  /** gatehouse's check at merge: its id and conclusion as GitHub showed them. */
  check: { name: string; id: number | null; conclusion: string | null };
  /** Set when the merge went through without a passing gatehouse check. */
  bypass: { reason: string } | null;
  /** When the document was written and signed (ISO 8601). */
  writtenAt: string;
  /**
   * For a `baseline` document: the records that existed when the ledger began, so that a
   * record with no evidence at all is known to be older than the ledger, never a record whose
   * evidence was deleted. Written in chunks, once, before the ledger's first merge.
   */
  baseline?: BaselineEntry[];
  /**
   * For a `deployment-status` document (deployment-statement.ts): the Deployment gatehouse
   * created for the change, and the status GitHub reported for it.
   */
  deployment?: {
    id: number;
    environment: string;
    statusId: number;
    state: string;
    description: string | null;
    logUrl: string | null;
  };
}

export interface EvidenceStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; uri?: string; digest: { gitCommit: string } }>;
  predicateType: typeof PREDICATE_TYPE;
  predicate: EvidencePredicate;
}

/** A DSSE envelope as the note stores it (one JSON object per line). */
export interface Envelope {
  payloadType: string;
  /** Base64 of the Statement's JSON bytes. */
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** A verified document: its statement, the digest of its payload and who signed it. */
export interface VerifiedDocument {
  statement: EvidenceStatement;
  digest: Digest;
  /** The OpenPGP fingerprint of the key that signed it. */
  signer: string;
}
