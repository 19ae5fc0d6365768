/**
 * A VTIMEZONE (RFC 5545, 3.6.5) for a span of time, built from the runtime's own time-zone
 * rules (`Intl`): the same rules the judgement uses, so that a subscriber's calendar shows a
 * window exactly where the check enforces it, whichever tz database version either side has.
 */
import { offsetAt } from "./zoned-time.js";

export interface ZoneTransition {
  /** The instant the offset changes. */
  at: Date;
  /** Minutes east of UTC, before and after. */
  from: number;
  to: number;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Every offset change of `timeZone` between `from` and `to`, to the minute. Zones change their
 * offset at most a few times a year and never twice within a day, so a daily probe finds each
 * change and a bisection places it: about 30 probes per change, linear in the span.
 */
export function zoneTransitions(timeZone: string, from: Date, to: Date): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  let t = from.getTime();
  let offset = offsetAt(from, timeZone);
  while (t < to.getTime()) {
    const next = Math.min(t + DAY_MS, to.getTime());
    const nextOffset = offsetAt(new Date(next), timeZone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetAt(new Date(mid), timeZone) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ at: new Date(hi), from: offset, to: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  return out;
}

const two = (n: number) => String(n).padStart(2, "0");

/** "+0800", "-0430". */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

/** Local date-time of an instant seen with a fixed offset: "20261126T220000". */
export function localStamp(date: Date, offsetMinutes: number): string {
  const d = new Date(date.getTime() + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/**
 * The lines of a VTIMEZONE valid from `from` to `to`: the offset in force at `from`, then one
 * STANDARD or DAYLIGHT observance per change (DAYLIGHT when the clocks go forward).
 */
export function vtimezoneLines(timeZone: string, from: Date, to: Date): string[] {
  const start = offsetAt(from, timeZone);
  const transitions = zoneTransitions(timeZone, from, to);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`];
  const observance = (kind: string, at: string, before: number, after: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${at}`,
    `TZOFFSETFROM:${offsetText(before)}`,
    `TZOFFSETTO:${offsetText(after)}`,
    `TZNAME:${offsetText(after)}`,
    `END:${kind}`,
  ];
  // The offset in force before the first change, from the start of the span.
  const first = transitions[0];
  const startKind = first && first.from > first.to ? "DAYLIGHT" : "STANDARD";
  lines.push(...observance(startKind, localStamp(from, start), start, start));
  for (const t of transitions) {
    // DTSTART is the local time of the change as the clocks read just before it.
    lines.push(
      ...observance(
        t.to > t.from ? "DAYLIGHT" : "STANDARD",
        localStamp(t.at, t.from),
        t.from,
        t.to,
      ),
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
