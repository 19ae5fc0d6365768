/** The change calendar as `gatehouse calendar` prints it: text for people, JSON for scripts. */
import type { CalendarView } from "./calendar-view.js";
import { weekdayName } from "./calendar-view.js";
import { formatInstant, formatWindow } from "./window-now.js";

/** The view as lines a release manager reads. */
export function renderCalendarText(view: CalendarView, repo: string): string {
  const tz = view.timezone;
  const day = (d: Date) => formatInstant(d, tz).slice(0, 10);
  const lines = [
    `Change calendar of ${repo}, ${view.environment ?? "every environment"}, ${day(view.from)} to ${day(view.to)} (${tz})`,
    "",
    "Windows",
  ];
  if (view.windows.length === 0) lines.push("  none");
  for (const w of view.windows) {
    const frozen = w.frozen.length > 0 ? `  frozen: ${w.frozen.join(", ")}` : "";
    lines.push(
      `  ${w.environment.padEnd(12)} ${weekdayName(w.start, tz)} ${formatWindow(w.start, w.end, tz).replace(` (${tz})`, "")}${frozen}`,
    );
  }
  lines.push("", "Freezes");
  if (view.freezes.length === 0) lines.push("  none");
  for (const f of view.freezes) {
    lines.push(
      `  ${f.name.padEnd(20)} ${f.from} to ${f.to}  ${f.environments ? f.environments.join(", ") : "every environment"}`,
    );
  }
  lines.push("", "Scheduled changes");
  if (view.changes.length === 0) lines.push("  none");
  for (const c of view.changes) {
    lines.push(
      `  ${c.id.padEnd(14)} ${formatWindow(c.start, c.end, tz).replace(` (${tz})`, "")}  ${c.environment ?? "?"}  ${c.system ?? "?"}  ${c.type ?? "?"}  ${c.title}`,
    );
    if (c.conflicts.length > 0) {
      lines.push(
        `  ${"".padEnd(14)} conflict: overlaps ${c.conflicts.join(", ")} (same system and environment)`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The view as one JSON object, instants in ISO 8601 UTC. */
export function calendarToJson(view: CalendarView): object {
  const iso = (d: Date) => d.toISOString();
  return {
    timezone: view.timezone,
    environment: view.environment,
    from: iso(view.from),
    to: iso(view.to),
    windows: view.windows.map((w) => ({ ...w, start: iso(w.start), end: iso(w.end) })),
    freezes: view.freezes.map((f) => ({ ...f, start: iso(f.start), end: iso(f.end) })),
    changes: view.changes.map((c) => ({ ...c, start: iso(c.start), end: iso(c.end) })),
  };
}
