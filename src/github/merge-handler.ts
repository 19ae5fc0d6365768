/**
 * What a merged pull request leaves behind (`pull_request` closed with `merged: true`): its
 * signed evidence with, for a bypass, the `gatehouse:bypass` issue (record-merge.ts), and its
 * Deployments with the review issue of an emergency change (deploy-on-merge.ts). One load of the
 * merged pull request serves both, as at its merge: against the commit it was merged onto.
 *
 * Neither duty waits on the other: evidence is written when deploying fails and the deployment
 * is created when the evidence cannot be written. Whatever failed is logged, then the delivery
 * fails with it, so that GitHub shows the delivery as failed and it can be redelivered; each
 * duty is safe to run again (nothing is written twice).
 */
import { evidenceSigner } from "./evidence-key.js";
import { afterMerge } from "./deploy-on-merge.js";
import { loadForJudgement, type JudgeContext, type JudgeDeps } from "./judge-pull-request.js";
import { mergedOnto } from "./merge-facts.js";
import { recordMerge, type MergedPull, type MergeOutcome } from "./record-merge.js";
import { describeError } from "./redact.js";

/** Records the merge's evidence and deploys it. Throws, after doing all it can, if any failed. */
export async function handleMerge(
  context: JudgeContext,
  deps: Pick<JudgeDeps, "evaluate" | "appId" | "store" | "cache">,
  pull: MergedPull,
): Promise<MergeOutcome> {
  const log = context.log.child({ merged: `${pull.owner}/${pull.repo}#${pull.number}` });
  const failures: string[] = [];
  const signer = await evidenceSigner().catch((error: unknown) => {
    failures.push(`could not write the merge's evidence: ${describeError(error)}`);
    log.error({ reason: describeError(error) }, "could not read the evidence key");
    return null;
  });
  let outcome: MergeOutcome = { kind: "skipped", reason: "no evidence key is configured" };
  try {
    const repo = { owner: pull.owner, repo: pull.repo };
    // With evidence, judged as at the merge: against the commit it merged onto, then.
    const onto = signer ? await mergedOnto(context.octokit, repo, pull.merge) : null;
    const { loaded } = await loadForJudgement(
      context,
      deps,
      pull,
      onto ? { onto, at: new Date(pull.mergedAt) } : undefined,
    );
    if (signer && onto) outcome = await recordMerge(context, deps, pull, signer, { loaded, onto });
    else if (failures.length === 0)
      log.warn("no GATEHOUSE_EVIDENCE_KEY: the merge leaves no evidence");
    if (outcome.kind === "error")
      failures.push(`could not write the merge's evidence: ${outcome.reason}`);
    if ("bypass" in outcome && outcome.bypass.kind === "error") {
      failures.push(`could not open the bypass issue: ${outcome.bypass.reason}`);
    }
    const deployed = await afterMerge(
      context,
      { ...repo, number: pull.number, mergeSha: pull.merge },
      loaded.snapshot,
      "verdict" in outcome ? outcome.verdict.acts : [],
      deps.appId,
    );
    failures.push(...deployed.failures);
  } catch (error) {
    const reason = describeError(error);
    log.error({ merge: pull.merge, reason }, "could not load the merged pull request");
    failures.push(`could not load the merged pull request: ${reason}`);
  }
  if (failures.length > 0) {
    throw new Error(
      `the merge ${pull.merge.slice(0, 12)} of #${pull.number} left work undone (${failures.join("; ")}); redeliver the event to finish it`,
    );
  }
  return outcome;
}
