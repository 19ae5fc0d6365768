/**
 * The ledger's baseline: when the first document is written, the records that already exist
 * are listed with their versions, in signed `baseline` documents placed before it. From then
 * on every record at the base of a pull request has at least one document naming it, so a
 * record with none was changed without evidence or had its evidence deleted; either way it
 * fails, and deleting history never turns a record into an "older than the ledger" one.
 */
import {
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type BaselineEntry,
  type EvidenceStatement,
} from "./model.js";

/** Records per baseline document: about 100 KB each, a size every reader takes whole. */
export const BASELINE_CHUNK = 1000;

export interface BaselineFacts {
  repository: string;
  baseRef: string;
  /** The commit the ledger begins on (the base of its first merge). */
  commit: string;
  records: BaselineEntry[];
  writtenAt: Date;
}

/**
 * The baseline documents, in order; one, listing nothing, when there are no records yet: it
 * still marks where the ledger began, which is where the population an audit checks starts.
 */
export function baselineDrafts(facts: BaselineFacts): EvidenceStatement[] {
  const records = [...facts.records].sort((a, b) => a.id.localeCompare(b.id));
  const drafts: EvidenceStatement[] = [];
  for (let i = 0; i === 0 || i < records.length; i += BASELINE_CHUNK) {
    const chunk = records.slice(i, i + BASELINE_CHUNK);
    const at = facts.writtenAt.toISOString();
    drafts.push({
      _type: STATEMENT_TYPE,
      subject: [{ name: facts.repository, digest: { gitCommit: facts.commit } }],
      predicateType: PREDICATE_TYPE,
      predicate: {
        version: 1,
        event: "baseline",
        sequence: 1,
        previous: null,
        repository: facts.repository,
        pullRequest: null,
        base: { ref: facts.baseRef, sha: facts.commit },
        head: { sha: facts.commit },
        merge: { sha: facts.commit, by: null, at, commits: [] },
        policy: { files: {} },
        records: [],
        acts: [],
        verdict: {
          conclusion: "success",
          summary:
            records.length === 0
              ? "the ledger began before any record existed"
              : `the records in gatehouse's care when its ledger began (${i + 1}-${i + chunk.length} of ${records.length})`,
        },
        signatures: { status: "skipped", reason: "a baseline judges nothing" },
        privacy: { status: "skipped", reason: "a baseline judges nothing" },
        check: { name: "gatehouse", id: null, conclusion: null },
        bypass: null,
        writtenAt: at,
        baseline: chunk,
      },
    });
  }
  return drafts;
}

/** The record ids a document names: those of its merge and those of its baseline. */
export function namedIds(statement: EvidenceStatement): string[] {
  return [
    ...statement.predicate.records.map((r) => r.id),
    ...(statement.predicate.baseline ?? []).map((r) => r.id),
  ];
}
