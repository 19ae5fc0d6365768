/**
 * Whether a change may be carried out now: its window holds `now`, lies inside an allowed
 * window of its environment, and is clear of freezes (emergency changes: windows only). The
 * answer also says when time alone will change it (the window opens or closes), so that a
 * passing verdict never outlives its window.
 */
import type { Calendar, Freeze } from "./load-calendar.js";
import { judgeWindow, type WindowMode } from "./window-verdict.js";
import { wallClock } from "./zoned-time.js";

export interface WindowNowAnswer {
  ok: boolean;
  reason: string;
  /** The next instant at which this answer changes by itself; absent when it never will. */
  changesAt?: Date;
}

/** Judges a change window {start, end} at the instant `now`. */
export function judgeWindowNow(
  calendar: Calendar,
  environment: string,
  start: Date,
  end: Date,
  now: Date,
  mode: WindowMode,
): WindowNowAnswer {
  const shown = formatWindow(start, end, calendar.timezone);
  if (end.getTime() <= now.getTime()) {
    const closed = `the window ${shown} closed at ${formatInstant(end, calendar.timezone)}`;
    // Past its window in a freeze, a new window cannot help either until the freeze ends.
    const frozen = mode === "ignore-freezes" ? undefined : freezeOn(calendar, environment, now);
    return {
      ok: false,
      reason: frozen
        ? `${closed}, and ${environment} is in the freeze "${frozen.name}" (${frozen.from} to ${frozen.to}): no window opens before it ends, only an emergency change deploys`
        : `${closed}; schedule a new window in the change first`,
    };
  }
  const fits = judgeWindow(calendar, environment, start, end, now, mode);
  if (!fits.ok) {
    const why = fits.reason.replace(/^the window /, "");
    return { ok: false, reason: `the window ${shown}${why === fits.reason ? ": " : " "}${why}` };
  }
  if (now.getTime() < start.getTime()) {
    return {
      ok: false,
      reason: `the window ${shown} opens at ${formatInstant(start, calendar.timezone)}; gatehouse judges again then`,
      changesAt: start,
    };
  }
  return { ok: true, reason: `now is within the window ${shown}, ${fits.reason}`, changesAt: end };
}

const two = (n: number) => String(n).padStart(2, "0");

/** "2026-11-26 22:00" on the wall clock of `timeZone`. */
export function formatInstant(date: Date, timeZone: string): string {
  const c = wallClock(date, timeZone);
  return `${c.year}-${two(c.month)}-${two(c.day)} ${two(c.hour)}:${two(c.minute)}`;
}

/** "2026-11-26 22:00–23:30 (Asia/Shanghai)"; the end's date is named when it is another day. */
export function formatWindow(start: Date, end: Date, timeZone: string): string {
  const from = formatInstant(start, timeZone);
  const to = formatInstant(end, timeZone);
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return `${from}–${sameDay ? to.slice(11) : to} (${timeZone})`;
}

/** The freeze of `environment` that the calendar day of `now` falls in, if any. */
function freezeOn(calendar: Calendar, environment: string, now: Date): Freeze | undefined {
  const c = wallClock(now, calendar.timezone);
  const day = `${c.year}-${two(c.month)}-${two(c.day)}`;
  return calendar.freezes.find(
    (f) =>
      (!f.environments || f.environments.includes(environment)) && f.from <= day && day <= f.to,
  );
}
