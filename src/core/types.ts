/**
 * The words of the domain, shared by every part of gatehouse.
 *
 * The seam between the adapters (git, GitHub) and the pure core is the {@link Snapshot}: it
 * holds everything needed to judge one pull request, loaded once. The core answers with a
 * {@link Verdict}, a tree of {@link RuleResult}s that renders to a check run, a terminal and JSON.
 */

/** A GitHub login, without the leading "@" (for example "zhao-min"). */
export type Login = string;

/** A role id of `roles.yml`, such as "qa" or "release-manager". */
export type RoleId = string;

/** A team as policies name it: "org/slug", without the leading "@". */
export type TeamName = string;

export const RECORD_KINDS = ["ChangeRequest", "IncidentAnalysis", "ImprovementPlan"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * How a rule came out. Ordered from best to worst: the root of a verdict takes the worst of its
 * children. `pending` means only approvals are missing; `failed` is a violation that no approval
 * can fix.
 */
export type Status = "skipped" | "satisfied" | "pending" | "failed";
export const STATUS_ORDER: readonly Status[] = ["skipped", "satisfied", "pending", "failed"];

/** The worst of the given statuses; `skipped` when there are none. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = "skipped";
  for (const status of statuses) {
    if (STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(worst)) worst = status;
  }
  return worst;
}

/** A place in a file of the repository. Lines and columns count from 1. */
export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

/**
 * Something wrong at a place in a file: an invalid record, a policy error, personal data.
 * `message` says what is wrong and what to do; it never holds personal data unmasked.
 */
export interface Finding extends SourceLocation {
  /** Stable machine code, such as "record/schema", "policy/unknown-role", "privacy/cn-mobile". */
  code: string;
  message: string;
}

/** One node of the verdict tree. */
export interface RuleResult {
  /** Stable, path-like id: "records/changes/CHG-2026-0042.yaml/requires/qa". */
  id: string;
  status: Status;
  /** One line a person can act on: "needs an approval from qa: li-na or chen-jie can give it". */
  reason: string;
  children: RuleResult[];
  /** For an open requirement: the people who could still fill it. */
  candidates?: Login[];
  /** Findings this rule raised; the verdict also lists them all flat. */
  findings?: Finding[];
}

/** How one record moves in a pull request. `null` for "did not exist" (from) or "removed" (to). */
export interface RecordChange {
  path: string;
  kind: RecordKind | null;
  id: string | null;
  from: string | null;
  to: string | null;
}

/** Who filled which requirement, so that evidence and later separation-of-duties can use it. */
export interface Act {
  /** The record id the act concerns, or null for a pull-request-wide rule (four-eyes, paths). */
  record: string | null;
  role: RoleId;
  login: Login;
  action: "consent" | "approval" | "execution";
  /** For a consent: the section consented to ("/deployment"), as evidence records it. */
  section?: string;
  /** For an act from evidence: the pull request it was done in, so verdicts can name it. */
  pullRequest?: number;
}

export type Conclusion = "success" | "pending" | "failure";

/** The answer of the core for one pull request. */
export interface Verdict {
  conclusion: Conclusion;
  /** The essence in one line: "Waiting for qa and release-manager". */
  summary: string;
  records: RecordChange[];
  /** The root of the verdict tree; its status is the worst of its children. */
  rules: RuleResult;
  findings: Finding[];
  /** The acts that filled requirements (consents, approvals and executions), for evidence. */
  acts: Act[];
  /**
   * The next instant at which time alone changes this verdict (a change window opens or
   * closes), so that a passing verdict never outlives its window: the App judges again then.
   * Absent when only a new event can change it.
   */
  recheckAt?: Date;
}

/** A person as a commit names them. `login` is set when the adapter knows it (GitHub does). */
export interface Person {
  name: string;
  email: string;
  login?: Login;
  date: Date;
}

/**
 * A commit's signature with the exact bytes it signs. Locally `payload` is the raw commit
 * object without its `gpgsig` header; on GitHub it is the commit's `payload` field.
 */
export interface CommitSignature {
  format: "openpgp" | "ssh" | "x509" | "unknown";
  signature: string;
  payload: string;
  /**
   * The signed bytes when `payload` cannot hold them exactly (a commit in a legacy encoding
   * that is not valid UTF-8). Verification uses these bytes when present.
   */
  payloadBytes?: Uint8Array;
}

export interface Commit {
  sha: string;
  parents: string[];
  /** The tree sha; lets a GitHub payload be checked against the commit it claims to sign. */
  tree?: string;
  author: Person;
  committer: Person;
  message: string;
  signature?: CommitSignature;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

/** The latest review of one user on the pull request. */
export interface Review {
  user: Login;
  state: ReviewState;
  /** The head sha the review was given on; approvals count only on the current head. */
  commit: string;
  submittedAt: Date;
}

export type FileStatus = "added" | "modified" | "removed" | "renamed";

/**
 * What a path holds in a commit's tree: a regular file (executable or not), a symbolic link
 * (its content is the target's name), or a submodule entry (a commit of another repository).
 */
export type EntryType = "file" | "symlink" | "submodule";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  /** For a rename: the path in the base commit. */
  previousPath?: string;
  /** What the path holds on each side, where that is not a regular file. */
  entry?: { base?: EntryType; head?: EntryType };
}

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

/**
 * Everything the core needs to judge one pull request.
 *
 * `base.files` holds `.github/gatehouse.yml` (when present), every file under the policies
 * directory (default `policies/`), and the base version of every changed file that existed
 * there. `head.files` holds the head version of every changed file that was not removed.
 * Paths are relative to the repository root, with "/" separators. Binary or oversized files
 * may be left out by an adapter; the core then treats a record it cannot read as invalid.
 */
export interface Snapshot {
  /** "owner/name" on GitHub, or the folder name of a local clone. */
  repo: string;
  number?: number;
  /** Login of the pull request's author. */
  author: Login;
  /**
   * The base branch's tip (`ref` names the branch, for messages): the policy, roles, keys and
   * the base side of changed files are read here, by the App and the CLI alike. `binary` holds
   * the files of the keys directory that are not text, as bytes, so that the keyring can name
   * them (a private key exported without `--armor` above all); they never count as keys.
   */
  base: {
    sha: string;
    files: Map<string, string>;
    ref?: string;
    binary?: Map<string, Uint8Array>;
  };
  head: { sha: string; files: Map<string, string> };
  changed: ChangedFile[];
  commits: Commit[];
  /** The latest review per user. */
  approvals: Review[];
  /** "org/slug" -> member logins, for every team a policy names. */
  teams: Record<TeamName, Login[]>;
  labels: string[];
  /** Check-run or status name -> conclusion ("success", "failure", "pending", ...). */
  checks: Record<string, string>;
  now: Date;
  /**
   * E-mail addresses of the person who reads the verdict (the CLI's user, from git's
   * `user.email`): messages about their own commits show these in full, since masking is for
   * other people's data. The App never sets it: everyone with access reads a check run.
   */
  readerEmails?: string[];
  /** Commit e-mail -> login, the local stand-in for GitHub's knowledge (from `--context`). */
  identities?: Record<string, Login>;
  /** The pull request's body, where a change may be named ("Change: CHG-2026-0042"). */
  body?: string;
  evidence?: Evidence[];
  /**
   * Every record file at the head commit (the `.yaml`/`.yml` files under the record directories
   * of the base configuration), so that a new record's id can be checked to be unused. When an
   * adapter leaves it out, a new record fails closed: its id cannot be shown to be free.
   */
  recordPaths?: string[];
  /**
   * The ChangeRequest files of the base commit (path -> text), for the rules that look past the
   * pull request: the change a deployment names, overlapping windows, overdue emergency changes.
   * Adapters load them when the pull request changes a record or a deployment file; a rule that
   * needs them when they are absent fails closed.
   */
  changeRecords?: Map<string, string>;
  /**
   * What each commit of the pull request added, oldest first, so that personal data added by
   * one commit and removed by a later one is still found: it stays in the branch's history and
   * reaches the default branch with a merge commit. Adapters give it when the pull request has
   * more than one commit or a merge commit; the privacy gate fails closed when it needs it and
   * it is absent.
   */
  additions?: CommitAdditions[];
}

/** What one commit added: the files it added or changed, with the lines it added to each. */
export interface CommitAdditions {
  sha: string;
  files: AddedLines[];
}

/**
 * The lines one commit added to one file. Bounded by the size of the commit's changes, not of
 * its files: an edit of one line of a large log carries that line only.
 */
export interface AddedLines {
  /** The file's path in the commit (its new path when the commit renamed it). */
  path: string;
  /** The added lines in order, joined by "\n"; empty for a rename without changes. */
  text: string;
  /** For each line of `text`, its line number (from 1) in the commit's version of the file. */
  lines: number[];
  /**
   * Set when the adapter could not read what the commit added ("binary", "too large"): the
   * privacy gate then cannot show the commit free of personal data, and fails closed.
   */
  unreadable?: string;
}
