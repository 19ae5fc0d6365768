/**
 * The change-window rule of a transition (`window: required | ignore-freezes` in
 * workflows.yml): the record's `window` must be set and allowed by `calendar.yml` of the base
 * commit. Anything that cannot be judged fails, so a broken calendar never opens a window.
 */
import type { EvaluationContext } from "../evaluate/context.js";
import type { Transition } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import type { RuleResult } from "../types.js";
import { policyCalendar } from "./policy-calendar.js";
import { judgeWindow } from "./window-verdict.js";

/** Judges whether a transition happens inside an allowed change window of the record's environment. */
export function checkWindow(
  ctx: EvaluationContext,
  record: ParsedRecord,
  transition: Transition,
): RuleResult {
  const id = `records/${record.path}/window`;
  const failed = (reason: string, extra: Partial<RuleResult> = {}): RuleResult => ({
    id,
    status: "failed",
    reason,
    children: [],
    ...extra,
  });
  if (transition.window === "none") {
    return { id, status: "skipped", reason: "no change window needed", children: [] };
  }
  // Read once for every record of the pull request (0.7 ms a record otherwise).
  const loaded = policyCalendar(ctx.policy);
  const { path, calendar } = loaded;
  if (!calendar) {
    return loaded.missing
      ? failed(
          `${transition.to} needs a change window, but ${path} is missing; add the calendar (gatehouse init writes one)`,
        )
      : failed(`${path} is invalid, so no change window can be judged`, {
          findings: loaded.findings,
        });
  }
  const window = record.data.window as { start?: unknown; end?: unknown } | undefined;
  const environment = record.data.environment;
  // Only a refusal needs the place; finding it costs a full parse of the record.
  const where = () => record.locate("/window");
  const start = typeof window?.start === "string" ? new Date(window.start) : null;
  const end = typeof window?.end === "string" ? new Date(window.end) : null;
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    const message = `${record.id ?? record.path} needs window.start and window.end (ISO 8601 with offset) to move to ${transition.to}`;
    return failed(message, {
      findings: [{ ...where(), code: "calendar/window-missing", message }],
    });
  }
  if (typeof environment !== "string" || environment === "") {
    return failed(`${record.id ?? record.path} names no environment, so no window applies`);
  }
  const answer = judgeWindow(
    calendar,
    environment,
    start,
    end,
    ctx.snapshot.now,
    transition.window,
  );
  if (answer.ok) return { id, status: "satisfied", reason: answer.reason, children: [] };
  return failed(answer.reason, {
    findings: [{ ...where(), code: "calendar/window", message: answer.reason }],
  });
}
