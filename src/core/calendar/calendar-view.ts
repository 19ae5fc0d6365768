/**
 * The change calendar between two instants: every occurrence of the allowed windows, the freezes
 * and the scheduled changes, as `gatehouse calendar` lists them. Occurrences are computed in the
 * calendar's time zone by the same code that judges windows, so that what a release manager
 * subscribes to is exactly what the check enforces, daylight saving included.
 */
import { maskText } from "../privacy/stream-masker.js";
import { sameEnvironment, type ChangeFacts } from "../deploy/change-facts.js";
import { overlapping } from "../deploy/overlaps.js";
import type { Calendar, Freeze } from "./load-calendar.js";
import { WEEKDAY_NAMES } from "./load-calendar.js";
import { instantOf, wallClock } from "./zoned-time.js";

export interface WindowOccurrence {
  environment: string;
  start: Date;
  end: Date;
  /** The weekly rule it comes from: "tue,thu 22:00-02:00". */
  rule: string;
  /** Names of the freezes it falls in (it cannot be used then, except by emergency changes). */
  frozen: string[];
}

export interface FreezeSpan extends Pick<Freeze, "name" | "from" | "to" | "environments"> {
  /** Midnight starting `from` and midnight ending `to`, in the calendar's time zone. */
  start: Date;
  end: Date;
}

export interface ScheduledChange {
  id: string;
  title: string;
  system: string | null;
  environment: string | null;
  type: string | null;
  state: string | null;
  start: Date;
  end: Date;
  /** Ids of the scheduled changes of its system and environment whose windows overlap. */
  conflicts: string[];
}

export interface CalendarView {
  timezone: string;
  from: Date;
  to: Date;
  environment: string | null;
  windows: WindowOccurrence[];
  freezes: FreezeSpan[];
  changes: ScheduledChange[];
}

/** The longest span a view covers: keeps the listing (and the work) bounded. */
export const MAX_VIEW_DAYS = 1096;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date plus `days`, as [year, month, day]. */
function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function dateParts(iso: string): [number, number, number] {
  const [y, m, d] = iso.split("-").map(Number);
  return [y ?? 0, m ?? 1, d ?? 1];
}

/** The instant a freeze day starts or ends (midnight in the calendar's zone). */
export function freezeSpan(calendar: Calendar, freeze: Freeze): FreezeSpan {
  const [y, m, d] = dateParts(freeze.from);
  const [ty, tm, td] = addDays(...dateParts(freeze.to), 1);
  return {
    name: freeze.name,
    from: freeze.from,
    to: freeze.to,
    environments: freeze.environments,
    start: instantOf(calendar.timezone, y, m, d, 0),
    end: instantOf(calendar.timezone, ty, tm, td, 0),
  };
}

/**
 * The calendar from `from` to `to` (at most {@link MAX_VIEW_DAYS} days), for one environment or
 * all. `changes` are every change of the repository; those in `state` are listed.
 */
export function calendarView(
  calendar: Calendar,
  changes: ChangeFacts[],
  options: { from: Date; to: Date; environment?: string; state: string },
): CalendarView {
  const { from, to } = options;
  const environment = options.environment ?? null;
  const inRange = (start: Date, end: Date) =>
    start.getTime() < to.getTime() && end.getTime() > from.getTime();
  const applies = (list: string[] | null) =>
    environment === null || list === null || list.some((e) => sameEnvironment(e, environment));

  const freezes = calendar.freezes
    .filter((f) => applies(f.environments))
    .map((f) => freezeSpan(calendar, f))
    .filter((f) => inRange(f.start, f.end));

  const windows: WindowOccurrence[] = [];
  const first = wallClock(new Date(from.getTime() - DAY_MS), calendar.timezone);
  const days = Math.min(Math.ceil((to.getTime() - from.getTime()) / DAY_MS) + 2, MAX_VIEW_DAYS + 2);
  for (const [name, list] of calendar.windows) {
    if (environment !== null && !sameEnvironment(name, environment)) continue;
    for (let i = 0; i < days; i++) {
      const [y, m, d] = addDays(first.year, first.month, first.day, i);
      const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
      for (const w of list) {
        if (!w.days.includes(weekday)) continue;
        const start = instantOf(calendar.timezone, y, m, d, w.from);
        const end = instantOf(calendar.timezone, y, m, d, w.to > w.from ? w.to : w.to + 24 * 60);
        if (!inRange(start, end)) continue;
        const frozen = calendar.freezes
          .filter((f) => f.environments === null || f.environments.includes(name))
          .map((f) => freezeSpan(calendar, f))
          .filter((f) => f.start.getTime() < end.getTime() && start.getTime() < f.end.getTime())
          .map((f) => f.name);
        windows.push({ environment: name, start, end, rule: w.text, frozen });
      }
    }
  }
  windows.sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.environment.localeCompare(b.environment),
  );

  const scheduled = changes.filter(
    (c) =>
      c.valid &&
      c.state === options.state &&
      c.window !== null &&
      (environment === null || sameEnvironment(c.environment, environment)) &&
      inRange(c.window.start, c.window.end),
  );
  // Titles and names come from records as people wrote them: every format shows them masked.
  const listed = scheduled
    .map((c): ScheduledChange => ({
      id: maskText(c.id),
      title: maskText(c.title),
      system: c.system === null ? null : maskText(c.system),
      environment: c.environment,
      type: c.type,
      state: c.state,
      start: c.window!.start,
      end: c.window!.end,
      conflicts: overlapping(c, changes, options.state).map((o) => maskText(o.id)),
    }))
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id));
  return { timezone: calendar.timezone, from, to, environment, windows, freezes, changes: listed };
}

/** "Tue", for a weekday number of {@link WEEKDAY_NAMES}. */
export function weekdayName(date: Date, timeZone: string): string {
  const name = WEEKDAY_NAMES[wallClock(date, timeZone).weekday] ?? "";
  return name.charAt(0).toUpperCase() + name.slice(1);
}
