import { formatInstant } from "../calendar/window-now.js";
import type { EvaluationContext } from "../evaluate/context.js";
import type { Verdict } from "../types.js";
import type { RecordJudgement } from "../evaluate/judge-record.js";
import type { DeploymentsResult } from "./judge-deployments.js";

/**
 * The next instant after `now` at which time alone changes the verdict: a deployment's window
 * opens or closes, or the window of a change being scheduled ends (scheduling a window that has
 * ended is refused). The App judges again then; `gatehouse check --now` shows either side.
 */
export function recheckAt(
  ctx: EvaluationContext,
  records: RecordJudgement[],
  deployments: DeploymentsResult,
): Date | undefined {
  const now = ctx.snapshot.now.getTime();
  const times = deployments.judgements.flatMap((j) => j.changesAt.map((d) => d.getTime()));
  for (const record of records) {
    const window = record.rules.find((r) => r.id === `${record.id}/window`);
    if (window?.status !== "satisfied") continue;
    const pair = ctx.records.find((p) => `records/${p.path}` === record.id);
    const end = (pair?.after?.data.window as { end?: unknown } | undefined)?.end;
    if (typeof end === "string") times.push(Date.parse(end));
  }
  const future = times.filter((t) => Number.isFinite(t) && t > now);
  return future.length > 0 ? new Date(Math.min(...future)) : undefined;
}

/**
 * The summary with the instant at which time alone changes it: a passing verdict says until when
 * it holds ("All requirements met; holds until 2026-11-26 23:30 (Asia/Shanghai)"), any other when
 * it is judged again (a window opens). The check run's title shows it, so nobody reads a green
 * check as lasting.
 */
export function withRecheckNotice(
  summary: string,
  verdict: Pick<Verdict, "conclusion" | "recheckAt">,
  timeZone: string,
): string {
  if (!verdict.recheckAt) return summary;
  const at = `${formatInstant(verdict.recheckAt, timeZone)} (${timeZone})`;
  return verdict.conclusion === "success"
    ? `${summary}; holds until ${at}`
    : `${summary}; judged again at ${at}`;
}
