/**
 * Whether a change's window {start, end} may be used: inside one allowed weekly window of its
 * environment (Argo CD sync-window style), and clear of every freeze, since a freeze beats a
 * window.
 */
import type { Calendar, WeeklyWindow } from "./load-calendar.js";
import { instantOf, wallClock } from "./zoned-time.js";

export type WindowMode = "required" | "ignore-freezes";

export interface WindowAnswer {
  ok: boolean;
  reason: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Whether [start, end] lies inside one occurrence of the weekly window. */
function inside(calendar: Calendar, w: WeeklyWindow, start: Date, end: Date): boolean {
  // An occurrence that holds `start` began on start's local day or the day before it.
  for (const back of [0, 1]) {
    const day = wallClock(new Date(start.getTime() - back * DAY_MS), calendar.timezone);
    if (!w.days.includes(day.weekday)) continue;
    const open = instantOf(calendar.timezone, day.year, day.month, day.day, w.from);
    const closeMinute = w.to > w.from ? w.to : w.to + 24 * 60;
    const close = instantOf(calendar.timezone, day.year, day.month, day.day, closeMinute);
    if (open.getTime() <= start.getTime() && end.getTime() <= close.getTime()) return true;
  }
  return false;
}

/**
 * Judges a change window against the calendar. `now` rules out a window that has already
 * ended. In `ignore-freezes` mode (emergency changes, as DESIGN.md says) the weekly windows
 * still apply but freezes do not.
 */
export function judgeWindow(
  calendar: Calendar,
  environment: string,
  start: Date,
  end: Date,
  now: Date,
  mode: WindowMode,
): WindowAnswer {
  if (!(start.getTime() < end.getTime())) {
    return {
      ok: false,
      reason: "the window ends before it starts; fix window.start and window.end",
    };
  }
  if (end.getTime() <= now.getTime()) {
    return { ok: false, reason: "the window has already ended; plan a new window" };
  }
  const allowed = calendar.windows.get(environment);
  if (!allowed || allowed.length === 0) {
    const known = [...calendar.windows.keys()].join(", ") || "none";
    return {
      ok: false,
      reason: `no change window is defined for environment "${environment}" in ${calendar.path} (defined: ${known})`,
    };
  }
  const fits = allowed.find((w) => inside(calendar, w, start, end));
  if (!fits) {
    const list = allowed.map((w) => w.text).join("; ");
    return {
      ok: false,
      reason: `the window is outside the allowed ${environment} windows (${list}, ${calendar.timezone})`,
    };
  }
  const from = wallClock(start, calendar.timezone);
  const to = wallClock(end, calendar.timezone);
  const startDay = isoDate(from.year, from.month, from.day);
  const endDay = isoDate(to.year, to.month, to.day);
  const where = `inside the ${environment} window ${fits.text} (${calendar.timezone})`;
  const frozen = calendar.freezes.filter(
    (freeze) =>
      (!freeze.environments || freeze.environments.includes(environment)) &&
      startDay <= freeze.to &&
      endDay >= freeze.from,
  );
  const freeze = frozen[0];
  if (freeze && mode !== "ignore-freezes") {
    return {
      ok: false,
      reason: `the window falls in the freeze "${freeze.name}" (${freeze.from} to ${freeze.to}); a freeze beats a window`,
    };
  }
  if (freeze) {
    // Auditors must see that a freeze was set aside, and why.
    const names = frozen.map((f) => `"${f.name}"`).join(", ");
    return { ok: true, reason: `${where}; the freeze ${names} is waived for an emergency change` };
  }
  return { ok: true, reason: where };
}
