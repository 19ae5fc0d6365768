/**
 * Wall-clock arithmetic in a named time zone with nothing but `Intl`, so that change windows
 * ("Tuesday 22:00 in Shanghai") mean the same on every machine whatever its own zone.
 */

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at the instant `date`. */
export function wallClock(date: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows the given date and minute of day
 * (a minute past 24:00 rolls into the next day). Daylight saving is settled by trying the
 * offsets in force half a day either side: a time the clocks pass twice (when they go back) is
 * its first occurrence, and a time they skip (when they go forward) is read with the offset
 * before the change, so "02:00" on that night is the moment the clocks jump, as RFC 5545 reads it.
 */
export function instantOf(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
): Date {
  const asUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const wanted = new Date(asUtc);
  const offsets = [
    offsetAt(new Date(asUtc - HALF_DAY), timeZone),
    offsetAt(new Date(asUtc + HALF_DAY), timeZone),
  ];
  const shows = (t: number) => {
    const c = wallClock(new Date(t), timeZone);
    return (
      c.year === wanted.getUTCFullYear() &&
      c.month === wanted.getUTCMonth() + 1 &&
      c.day === wanted.getUTCDate() &&
      c.hour === wanted.getUTCHours() &&
      c.minute === wanted.getUTCMinutes()
    );
  };
  const candidates = offsets.map((o) => asUtc - o * 60_000).filter(shows);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(asUtc - offsets[0]! * 60_000);
}

const HALF_DAY = 12 * 60 * 60 * 1000;

/** Minutes east of UTC in `timeZone` at the instant `date`. */
export function offsetAt(date: Date, timeZone: string): number {
  const c = wallClock(date, timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute);
  return Math.round((asUtc - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
}
