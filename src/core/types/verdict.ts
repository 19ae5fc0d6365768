/** The answer of the core for one pull request: a tree of rule results, and who acted. */
import type { Login, RecordKind, RoleId } from "../types.js";
import type { Finding } from "./finding.js";
import type { Status } from "./status.js";

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
