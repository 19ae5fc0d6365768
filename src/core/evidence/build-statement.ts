/**
 * Building the evidence document of one merge from the verdict the pull request was judged by.
 * Pure: the adapter gathers the facts (merge commit, who merged, the check at merge, the record
 * blobs at the merge commit); this decides what the document says.
 */
import { createHash } from "node:crypto";
import { CONFIG_PATH, loadConfig } from "../policy/load-config.js";
import { CODEOWNERS_PATH } from "../policy/load-policy.js";
import type { Login, RuleResult, Snapshot, Verdict } from "../types.js";
import { readChanges } from "../deploy/change-facts.js";
import { idOfPath } from "../records/record-ids.js";
import {
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type ActEntry,
  type EvidencePredicate,
  type EvidenceStatement,
  type RecordEntry,
  type RuleOutcome,
} from "./model.js";

/** What the adapter knows about the merge, beyond the snapshot and the verdict. */
export interface MergeFacts {
  /** Subject name: "owner/name" on GitHub, the folder name locally. */
  repository: string;
  /** A link to the merge commit, when there is one (GitHub). */
  commitUrl?: string;
  pullRequest: { number: number; author: Login } | null;
  baseRef: string;
  merge: { sha: string; by: Login | null; at: Date; commits: string[] };
  /** gatehouse's check on the head at merge, as GitHub showed it. */
  check: { name: string; id: number | null; conclusion: string | null };
  /** Record path -> its git blob sha at the merge commit (null when the merge removed it). */
  recordBlobs: Map<string, string | null>;
  writtenAt: Date;
}

/** A statement not yet placed in the ledger: `sequence` and the chain links come at append. */
export type StatementDraft = EvidenceStatement;

/** The git blob sha of a text, as `git hash-object` computes it for its UTF-8 bytes. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/**
 * Whether the merge went through without a passing gatehouse check, and why, in words an
 * auditor reads: an admin override, or a repository that does not require the check.
 */
export function bypassOf(
  check: MergeFacts["check"],
  verdict: Verdict,
): EvidencePredicate["bypass"] {
  if (check.conclusion === "success") return null;
  const state =
    check.conclusion === null ? "had no gatehouse check" : `check was ${check.conclusion}`;
  const missing = verdict.conclusion === "success" ? "" : `; missing: ${verdict.summary}`;
  return { reason: `merged while its ${state}${missing}` };
}

/**
 * The draft statement of a merge. `sequence`, `previous` and record links are set at append.
 * Besides the records it changed, it names every change it executed without changing it (a
 * deployment pull request names its change), so that the execution is filed under that change:
 * separation of duties and the audit find the executor where they look for the change's acts.
 */
export function draftStatement(
  facts: MergeFacts,
  snapshot: Pick<Snapshot, "base" | "head" | "changeRecords">,
  verdict: Verdict,
): StatementDraft {
  const predicate: EvidencePredicate = {
    version: 1,
    event: "merge",
    sequence: 1,
    previous: null,
    repository: facts.repository,
    pullRequest: facts.pullRequest,
    base: { ref: facts.baseRef, sha: snapshot.base.sha },
    head: { sha: snapshot.head.sha },
    merge: {
      sha: facts.merge.sha,
      by: facts.merge.by,
      at: facts.merge.at.toISOString(),
      commits: facts.merge.commits,
    },
    policy: { files: policyBlobs(snapshot.base.files) },
    records: verdict.records
      .flatMap((r): RecordEntry[] =>
        r.id === null
          ? []
          : [
              {
                id: r.id,
                kind: r.kind,
                path: r.path,
                from: r.from,
                to: r.to,
                blob: facts.recordBlobs.get(r.path) ?? null,
                previous: null,
              },
            ],
      )
      .concat(executedChanges(snapshot, verdict)),
    acts: verdict.acts.map(actEntry),
    verdict: { conclusion: verdict.conclusion, summary: verdict.summary },
    signatures: outcome(verdict.rules, "signatures"),
    privacy: outcome(verdict.rules, "privacy"),
    check: facts.check,
    bypass: bypassOf(facts.check, verdict),
    writtenAt: facts.writtenAt.toISOString(),
  };
  return {
    _type: STATEMENT_TYPE,
    subject: [
      {
        name: facts.repository,
        ...(facts.commitUrl ? { uri: facts.commitUrl } : {}),
        digest: { gitCommit: facts.merge.sha },
      },
    ],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
}

/**
 * The changes the pull request executed but did not change, as they stood at its base (which the
 * merge leaves as they were): state unchanged, blob of that version.
 */
function executedChanges(
  snapshot: Pick<Snapshot, "base" | "changeRecords">,
  verdict: Verdict,
): RecordEntry[] {
  const changed = new Set(verdict.records.map((r) => r.id));
  const executed = new Set(
    verdict.acts
      .filter((a) => a.action === "execution" && !changed.has(a.record))
      .map((a) => a.record),
  );
  if (executed.size === 0) return [];
  const { config } = loadConfig(snapshot.base.files.get(CONFIG_PATH), CONFIG_PATH);
  const entries: RecordEntry[] = [];
  for (const [path, text] of snapshot.changeRecords ?? []) {
    if (!executed.has(idOfPath(path))) continue;
    const state = readChanges(new Map([[path, text]]), config)[0]?.state ?? null;
    entries.push({
      id: idOfPath(path),
      kind: "ChangeRequest",
      path,
      from: state,
      to: state,
      blob: gitBlobSha(text),
      previous: null,
    });
  }
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}

function actEntry(act: Verdict["acts"][number]): ActEntry {
  const entry: ActEntry = {
    record: act.record,
    role: act.role,
    login: act.login,
    action: act.action,
  };
  if (act.section !== undefined) entry.section = act.section;
  return entry;
}

/** The blob shas of the policy files the pull request was judged by (base commit). */
function policyBlobs(files: Map<string, string>): Record<string, string> {
  const dir = `${loadConfig(files.get(CONFIG_PATH), CONFIG_PATH).config.policies}/`;
  const out: Record<string, string> = {};
  for (const path of [...files.keys()].sort()) {
    if (path.startsWith(dir) || path === CONFIG_PATH || path === CODEOWNERS_PATH) {
      out[path] = gitBlobSha(files.get(path) ?? "");
    }
  }
  return out;
}

function outcome(root: RuleResult, id: string): RuleOutcome {
  const node = root.children.find((c) => c.id === id);
  return node
    ? { status: node.status, reason: node.reason }
    : { status: "skipped", reason: `no ${id} rule was judged` };
}
