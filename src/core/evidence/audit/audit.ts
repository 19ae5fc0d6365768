/**
 * `gatehouse audit` as a pure computation: the ledger and the default branch's history in, a
 * report out. The ledger is verified against the keys of the default branch's current policy
 * (a key removed from policies/keys no longer vouches for anything), and so are the governed
 * paths and the separation-of-duties pairs.
 */
import { overdueChanges, type OverdueChange } from "../../deploy/overdue-changes.js";
import { loadConfig, CONFIG_PATH } from "../../policy/load-config.js";
import { loadPolicy } from "../../policy/load-policy.js";
import type { Policy } from "../../policy/model.js";
import { recordKindForPath } from "../../records/parse-record.js";
import { idOfPath } from "../../records/record-ids.js";
import { loadKeyring } from "../../signatures/keyring.js";
import { governedMatcher } from "../governed.js";
import { population, type BranchCommit, type Population } from "./population.js";
import { timelines, type AuditFinding, type RecordTimeline } from "./timelines.js";
import { verifyLedger, type LedgerContents, type LedgerProblem } from "./verify-ledger.js";

export interface AuditInput {
  repository: string;
  /** The default branch and its tip, whose policy the audit judges by. */
  branch: string;
  head: string;
  /** The configuration and policy files at the tip. */
  policyFiles: Map<string, string>;
  /** The ledger's commit (null when there is none) and contents. */
  ledgerCommit: string | null;
  contents: LedgerContents;
  /** First-parent commits of the branch, newest first. */
  commits: BranchCommit[];
  /** The time of the audit: an evidence key must still be valid then (see verifyDocument). */
  now: Date;
  since?: Date;
  record?: string;
  /**
   * The change records at the tip (path -> text): emergency changes still open at `now` past
   * the pack's limit are overdue. Without them none is listed.
   */
  changeRecords?: Map<string, string>;
  progress?: (done: number, total: number) => void;
}

export interface AuditReport {
  repository: string;
  branch: string;
  head: string;
  ledger: { commit: string | null; documents: number; verified: number };
  problems: LedgerProblem[];
  population: Population;
  records: RecordTimeline[];
  findings: Array<AuditFinding & { record: string }>;
  /** Emergency changes whose post-implementation review is overdue at the tip, oldest first. */
  overdue: OverdueChange[];
  /** A note when the policy at the tip cannot be loaded (findings of separation of duties need it). */
  notes: string[];
  /** Nothing failed verification, nothing lacks evidence, no finding. */
  ok: boolean;
}

/** Audits the ledger and the branch; pure apart from the progress callback. */
export async function audit(input: AuditInput): Promise<AuditReport> {
  const load = loadPolicy(input.policyFiles);
  const policy: Policy | null = load.ok ? load.policy : null;
  const config = policy?.config ?? loadConfig(input.policyFiles.get(CONFIG_PATH)).config;
  const keys =
    policy?.keys ??
    new Map([...input.policyFiles].filter(([path]) => path.startsWith(`${config.policies}/keys/`)));
  const keyring = await loadKeyring(keys);
  const notes: string[] = [];
  if (!policy) {
    notes.push(
      `the policy at ${input.branch} (${input.head.slice(0, 7)}) cannot be loaded, so separation of duties is not judged; run "gatehouse validate"`,
    );
  }
  const verified = await verifyLedger(input.contents, keyring, input.now, input.progress);
  const governed = policy
    ? governedMatcher(policy)
    : (path: string) =>
        path.startsWith(`${config.policies}/`) ||
        path === CONFIG_PATH ||
        recordKindForPath(path, config) !== null;
  const wanted = input.record;
  const pop = population({
    commits: input.commits,
    documents: verified.documents,
    governed,
    ...(input.since ? { since: input.since } : {}),
    ...(wanted === undefined
      ? {}
      : {
          paths: (path: string) =>
            recordKindForPath(path, config) !== null && idOfPath(path) === wanted,
        }),
  });
  let records = timelines(verified.documents, policy);
  if (wanted !== undefined) records = records.filter((r) => r.id === wanted);
  if (input.since) {
    const since = input.since.getTime();
    for (const record of records) {
      record.events = record.events.filter((e) => new Date(e.at).getTime() >= since);
    }
  }
  const findings = records.flatMap((r) => r.findings.map((f) => ({ ...f, record: r.id })));
  let overdue: OverdueChange[] = [];
  if (policy && input.changeRecords) {
    const judged = overdueChanges(policy, input.changeRecords, input.now);
    if (judged.problem) notes.push(judged.problem);
    overdue = judged.overdue.filter((o) => wanted === undefined || o.id === wanted);
  }
  return {
    repository: input.repository,
    branch: input.branch,
    head: input.head,
    ledger: {
      commit: input.ledgerCommit,
      documents: verified.total,
      verified: verified.documents.length,
    },
    problems: verified.problems,
    population: pop,
    records,
    findings,
    overdue,
    notes,
    ok:
      verified.problems.length === 0 &&
      pop.missing.length === 0 &&
      findings.length === 0 &&
      overdue.length === 0,
  };
}
