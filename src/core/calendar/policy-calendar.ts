/**
 * The calendar of a policy (`<policies>/calendar.yml` of the base commit), read once for every
 * rule and record that needs it: every record of a pull request is judged by the same base
 * calendar, and so is the next judgement of it.
 */
import type { Policy } from "../policy/model.js";
import type { Finding } from "../types.js";
import { loadCalendar, type Calendar } from "./load-calendar.js";

export interface PolicyCalendar {
  path: string;
  /** Null when the file is missing or invalid. */
  calendar: Calendar | null;
  findings: Finding[];
  missing: boolean;
}

let last: { key: string; loaded: ReturnType<typeof loadCalendar> } | undefined;

/** The base calendar of the policy; `calendar` is null when it is missing or invalid. */
export function policyCalendar(policy: Policy): PolicyCalendar {
  const path = `${policy.config.policies}/calendar.yml`;
  const text = policy.files.get(path);
  if (text === undefined) return { path, calendar: null, findings: [], missing: true };
  const key = `${path}\0${text}`;
  if (last?.key !== key) last = { key, loaded: loadCalendar(path, text) };
  const { calendar, findings } = last.loaded;
  return { path, calendar, findings: [...findings], missing: false };
}
