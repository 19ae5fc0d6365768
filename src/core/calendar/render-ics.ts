/**
 * The change calendar as an iCalendar file (RFC 5545) that release managers subscribe to: the
 * allowed windows, the freezes (all-day) and the scheduled changes, with the calendar's time
 * zone as a VTIMEZONE. Lines end in CRLF and are folded at 75 octets; text is escaped.
 */
import type { CalendarView } from "./calendar-view.js";
import { localStamp, vtimezoneLines } from "./vtimezone.js";
import { instantOf, offsetAt, wallClock } from "./zoned-time.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Escapes a TEXT value (RFC 5545, 3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
}

const encoder = new TextEncoder();

/** Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function utcStamp(date: Date): string {
  return `${localStamp(date, 0)}Z`;
}

/**
 * A DATE-TIME in the calendar's zone, or in UTC when its local reading is ambiguous (the hour
 * repeated when the clocks go back), where a local time could name the wrong instant.
 */
function zoned(name: string, date: Date, timeZone: string): string {
  const c = wallClock(date, timeZone);
  const again = instantOf(timeZone, c.year, c.month, c.day, c.hour * 60 + c.minute);
  if (again.getTime() !== Math.floor(date.getTime() / 60000) * 60000) {
    return `${name}:${utcStamp(date)}`;
  }
  return `${name};TZID=${timeZone}:${localStamp(date, offsetAt(date, timeZone))}`;
}

const dateValue = (iso: string) => iso.replace(/-/g, "");

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return new Date(d.getTime() + DAY_MS).toISOString().slice(0, 10);
}

export interface IcsOptions {
  /** The repository, for the calendar's name and stable UIDs. */
  repo: string;
  /** When the calendar was made (DTSTAMP); the commit's date keeps the file reproducible. */
  stamp: Date;
}

/** Renders the view as an iCalendar document. */
export function renderIcs(view: CalendarView, options: IcsOptions): string {
  const tz = view.timezone;
  const host = `${options.repo.replace(/[^A-Za-z0-9.-]/g, "-")}.gatehouse`;
  const scope = view.environment ?? "all environments";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//gatehouse//change calendar//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(`Change calendar of ${options.repo} (${scope})`)}`,
    `X-WR-TIMEZONE:${tz}`,
    // A year around the span, so that recurring readers can place every event.
    ...vtimezoneLines(
      tz,
      new Date(view.from.getTime() - 366 * DAY_MS),
      new Date(view.to.getTime() + 366 * DAY_MS),
    ),
  ];
  const stamp = `DTSTAMP:${utcStamp(options.stamp)}`;
  for (const w of view.windows) {
    const frozen = w.frozen.length > 0 ? ` (frozen: ${w.frozen.join(", ")})` : "";
    lines.push(
      "BEGIN:VEVENT",
      `UID:window-${w.environment}-${utcStamp(w.start)}@${host}`,
      stamp,
      zoned("DTSTART", w.start, tz),
      zoned("DTEND", w.end, tz),
      `SUMMARY:${escapeText(`${w.environment} change window${frozen}`)}`,
      `DESCRIPTION:${escapeText(`Allowed change window of ${w.environment} (${w.rule}, ${tz}).${frozen ? ` It falls in a freeze: only emergency changes may use it.` : ""}`)}`,
      "CATEGORIES:CHANGE WINDOW",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  for (const f of view.freezes) {
    const where = f.environments ? f.environments.join(", ") : "every environment";
    lines.push(
      "BEGIN:VEVENT",
      `UID:freeze-${dateValue(f.from)}-${f.name.replace(/[^A-Za-z0-9]+/g, "-")}@${host}`,
      stamp,
      `DTSTART;VALUE=DATE:${dateValue(f.from)}`,
      `DTEND;VALUE=DATE:${dateValue(nextDay(f.to))}`,
      `SUMMARY:${escapeText(`Freeze: ${f.name} (${where})`)}`,
      `DESCRIPTION:${escapeText(`No changes to ${where} from ${f.from} to ${f.to} inclusive (${tz}), except emergency changes.`)}`,
      "CATEGORIES:FREEZE",
      "TRANSP:OPAQUE",
      "END:VEVENT",
    );
  }
  for (const c of view.changes) {
    const conflicts = c.conflicts.length > 0 ? ` Conflicts with ${c.conflicts.join(", ")}.` : "";
    lines.push(
      "BEGIN:VEVENT",
      `UID:${c.id}@${host}`,
      stamp,
      zoned("DTSTART", c.start, tz),
      zoned("DTEND", c.end, tz),
      `SUMMARY:${escapeText(`${c.id} ${c.title} (${c.environment ?? "?"}, ${c.system ?? "?"})`)}`,
      `DESCRIPTION:${escapeText(`${c.type ?? ""} change, ${c.state ?? ""}.${conflicts}`)}`,
      "CATEGORIES:CHANGE",
      c.conflicts.length > 0 ? "STATUS:TENTATIVE" : "STATUS:CONFIRMED",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
