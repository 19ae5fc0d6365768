/**
 * What the verdict says about a record's evidence: the earlier pull requests it relies on, or
 * why that history cannot be trusted (which fails the record: no approval mends a tampered or
 * missing document).
 */
import type { Act, Evidence, RuleResult } from "../types.js";
import { leaf } from "../evaluate/nodes.js";

/**
 * The acts of earlier pull requests that count for separation of duties: those of verified
 * documents and those given by hand (`--context`), never those of a failed document. Each act
 * names its record and, when known, its pull request.
 */
export function historyActs(evidence: Evidence[] | undefined): Act[] {
  return (evidence ?? [])
    .filter((e) => e.verification?.status !== "failed")
    .flatMap((e) =>
      e.acts.map((act) => {
        const out: Act = { ...act, record: act.record ?? e.record };
        if (out.pullRequest === undefined && e.pullRequest !== undefined) {
          out.pullRequest = e.pullRequest;
        }
        return out;
      }),
    );
}

/** The evidence node of one record under `parent`, or none when the ledger says nothing of it. */
export function evidenceRule(
  recordId: string,
  parent: string,
  evidence: Evidence[] | undefined,
): RuleResult[] {
  const mine = (evidence ?? []).filter((e) => e.record === recordId && e.verification);
  if (mine.length === 0) return [];
  const id = `${parent}/evidence`;
  const failed = mine.filter((e) => e.verification?.status === "failed");
  if (failed.length > 0) {
    return [
      leaf(
        id,
        "failed",
        `the evidence of ${recordId} cannot be trusted: ${failed.map((e) => e.verification!.reason).join("; ")}`,
      ),
    ];
  }
  const pulls = [
    ...new Set(mine.flatMap((e) => (e.pullRequest === undefined ? [] : [`#${e.pullRequest}`]))),
  ];
  const count = mine.length === 1 ? "1 earlier document" : `${mine.length} earlier documents`;
  return [
    leaf(
      id,
      "satisfied",
      `${count} of ${recordId} verified${pulls.length > 0 ? ` (${pulls.join(", ")})` : ""}; separation of duties counts their acts`,
    ),
  ];
}
