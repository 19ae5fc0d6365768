/**
 * A merge group is judged as what will be merged: every pull request it holds, each under the
 * policy of the base branch with its own approvals on its own head, and the group passes only
 * when every one of them passes. A path changed by two pull requests of one group fails it: each
 * record's transition is judged once, from the base to one pull request's head, and a record two
 * pull requests both changed would land in a state nobody judged. A pull request that only waits
 * for approvals fails its group too, rather than hold the queue until GitHub's timeout.
 */
import type { RuleResult, Verdict } from "../core/types.js";
import { rateLimitReason } from "./github-client.js";
import { loadForJudgement, type JudgeContext, type JudgeDeps } from "./judge-pull-request.js";
import { mergeGroupPulls } from "./merge-group-pulls.js";
import { describeError } from "./redact.js";
import { reportCheck, type CheckReport } from "./report-check.js";
import { sameHeadReason } from "./same-head.js";

export interface MergeGroupRequest {
  owner: string;
  repo: string;
  /** The group's head commit, where the check goes. */
  headSha: string;
  /** The branch the group merges into, without `refs/heads/`. */
  base: string;
}

/** Judges the group and reports on its head. Never throws. */
export async function judgeMergeGroup(
  context: JudgeContext,
  deps: JudgeDeps,
  group: MergeGroupRequest,
): Promise<void> {
  const { owner, repo, headSha } = group;
  const log = context.log.child({ group: `${owner}/${repo}@${headSha.slice(0, 12)}` });
  const ticket = await deps.store.ticket();
  const write = (report: CheckReport) =>
    reportCheck(context.octokit, { owner, repo, sha: headSha }, report, {
      store: deps.store,
      ticket,
    });
  try {
    const pulls = await mergeGroupPulls(context.octokit, { owner, repo }, group.base, headSha);
    const judged: Array<{ number: number; verdict: Verdict; paths: string[] }> = [];
    for (const pull of pulls) {
      const { loaded } = await loadForJudgement(context, deps, {
        owner,
        repo,
        number: pull.number,
      });
      const { snapshot } = loaded;
      if (loaded.state !== "OPEN" || snapshot.head.sha !== pull.headSha) {
        throw new Error(
          `pull request #${pull.number} changed since it joined the merge queue (its head is now ${snapshot.head.sha.slice(0, 12)}); GitHub takes it out of the queue.`,
        );
      }
      if (loaded.baseRef !== group.base) {
        throw new Error(`pull request #${pull.number} no longer targets ${group.base}.`);
      }
      const verdict = await deps.evaluate(snapshot);
      const refused = sameHeadReason(snapshot, loaded.baseRef, loaded.sameHead);
      judged.push({
        number: pull.number,
        verdict: refused ? { ...verdict, conclusion: "failure", summary: refused.title } : verdict,
        paths: snapshot.changed.flatMap((f) => [
          f.path,
          ...(f.previousPath ? [f.previousPath] : []),
        ]),
      });
    }
    const verdict = groupVerdict(judged);
    const result = await write({ kind: "verdict", verdict });
    log.info(
      { pulls: judged.map((j) => j.number), conclusion: verdict.conclusion, write: result.written },
      "judged merge group",
    );
  } catch (error) {
    const reason = rateLimitReason(error) ?? describeError(error);
    log.warn({ reason }, "could not judge merge group");
    await write({
      kind: "error",
      reason: `gatehouse could not judge this merge group: ${reason}`,
    }).catch((reportError: unknown) =>
      log.error({ reason: describeError(reportError) }, "could not report the failure either"),
    );
  }
}

/** One verdict for the group: every pull request's tree under one root, failed unless all pass. */
export function groupVerdict(
  judged: Array<{ number: number; verdict: Verdict; paths: string[] }>,
): Verdict {
  const owners = new Map<string, number>();
  const overlaps: RuleResult[] = [];
  for (const pull of judged) {
    for (const path of new Set(pull.paths)) {
      const earlier = owners.get(path);
      if (earlier === undefined) owners.set(path, pull.number);
      else {
        overlaps.push({
          id: `merge-group/${path}`,
          status: "failed",
          reason: `${path} is changed by #${earlier} and #${pull.number} in one merge group, so its change would land unjudged as a whole; let #${earlier} merge first (a merge group of one pull request), then queue #${pull.number} again.`,
          children: [],
        });
      }
    }
  }
  const children: RuleResult[] = [
    ...overlaps,
    ...judged.map((pull) => ({
      ...pull.verdict.rules,
      id: `pull/${pull.number}`,
      reason: `#${pull.number}: ${pull.verdict.summary}`,
      // Waiting is not enough in the queue: the group fails rather than hold the queue.
      status:
        pull.verdict.conclusion === "success" ? pull.verdict.rules.status : ("failed" as const),
    })),
  ];
  const blocking = judged.filter((p) => p.verdict.conclusion !== "success");
  const list = judged.map((p) => `#${p.number}`).join(", ");
  const summary =
    overlaps.length > 0
      ? `Blocked: ${overlaps.length === 1 ? "a path is" : `${overlaps.length} paths are`} changed by two pull requests of the group`
      : blocking.length > 0
        ? `Blocked: ${blocking.map((p) => `#${p.number} ${lowerFirst(p.verdict.summary)}`).join("; ")}`
        : `Merge group of ${list}: all requirements met`;
  const passed = overlaps.length === 0 && blocking.length === 0;
  return {
    conclusion: passed ? "success" : "failure",
    summary,
    records: judged.flatMap((p) => p.verdict.records),
    rules: {
      id: "merge-group",
      status: passed ? "satisfied" : "failed",
      reason: summary,
      children,
    },
    findings: judged.flatMap((p) => p.verdict.findings),
    acts: judged.flatMap((p) => p.verdict.acts),
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
