import { describe, expect, it } from "vitest";
import { loadCalendar, type Calendar } from "../../../src/core/calendar/load-calendar.js";
import { judgeWindow } from "../../../src/core/calendar/window-verdict.js";
import { instantOf, wallClock } from "../../../src/core/calendar/zoned-time.js";

const CALENDAR = `version: 1
timezone: Asia/Shanghai
windows:
  production:
    - days: [tue, thu]
      from: "22:00"
      to: "02:00"
  staging:
    - days: [mon, tue, wed, thu, fri]
      from: "09:00"
      to: "18:00"
freezes:
  - name: quarter-end close
    from: 2026-12-28
    to: 2027-01-04
    environments: [production]
`;

function calendar(text = CALENDAR): Calendar {
  const { calendar, findings } = loadCalendar("policies/calendar.yml", text);
  expect(findings).toEqual([]);
  if (!calendar) throw new Error("calendar did not load");
  return calendar;
}

const NOW = new Date("2026-11-25T08:00:00+08:00"); // a Wednesday

describe("judgeWindow", () => {
  it.each([
    // 2026-12-01 is a Tuesday, 2026-12-02 a Wednesday, 2026-12-03 a Thursday.
    [
      "inside a Tuesday night window",
      "production",
      "2026-12-01T22:30:00+08:00",
      "2026-12-02T01:00:00+08:00",
      true,
    ],
    [
      "exactly the whole window",
      "production",
      "2026-12-01T22:00:00+08:00",
      "2026-12-02T02:00:00+08:00",
      true,
    ],
    [
      "the same window given in UTC",
      "production",
      "2026-12-01T14:30:00Z",
      "2026-12-01T17:00:00Z",
      true,
    ],
    [
      "running past the window's end",
      "production",
      "2026-12-01T23:00:00+08:00",
      "2026-12-02T02:30:00+08:00",
      false,
    ],
    [
      "on a Wednesday night",
      "production",
      "2026-12-02T22:30:00+08:00",
      "2026-12-02T23:00:00+08:00",
      false,
    ],
    [
      "starting before the window opens",
      "production",
      "2026-12-03T21:30:00+08:00",
      "2026-12-03T22:30:00+08:00",
      false,
    ],
    [
      "in the quarter-end freeze",
      "production",
      "2026-12-29T22:30:00+08:00",
      "2026-12-29T23:30:00+08:00",
      false,
    ],
    [
      "staging is not frozen on the same day",
      "staging",
      "2026-12-29T10:00:00+08:00",
      "2026-12-29T11:00:00+08:00",
      true,
    ],
    [
      "staging on a Saturday",
      "staging",
      "2026-12-05T10:00:00+08:00",
      "2026-12-05T11:00:00+08:00",
      false,
    ],
    [
      "an environment without windows",
      "dr-site",
      "2026-12-01T22:30:00+08:00",
      "2026-12-01T23:00:00+08:00",
      false,
    ],
    [
      "a window that has already ended",
      "production",
      "2026-11-24T22:30:00+08:00",
      "2026-11-24T23:00:00+08:00",
      false,
    ],
    [
      "a window ending before it starts",
      "production",
      "2026-12-01T23:00:00+08:00",
      "2026-12-01T22:30:00+08:00",
      false,
    ],
  ])("%s -> allowed: %s", (_name, environment, start, end, ok) => {
    const answer = judgeWindow(
      calendar(),
      environment,
      new Date(start),
      new Date(end),
      NOW,
      "required",
    );
    expect(answer.ok).toBe(ok);
  });

  it("says which windows exist when a change misses them", () => {
    const answer = judgeWindow(
      calendar(),
      "production",
      new Date("2026-12-02T22:30:00+08:00"),
      new Date("2026-12-02T23:00:00+08:00"),
      NOW,
      "required",
    );
    expect(answer.reason).toBe(
      "the window is outside the allowed production windows (tue,thu 22:00-02:00, Asia/Shanghai)",
    );
  });

  it("names the freeze that blocks a change", () => {
    const answer = judgeWindow(
      calendar(),
      "production",
      new Date("2026-12-29T22:30:00+08:00"),
      new Date("2026-12-29T23:30:00+08:00"),
      NOW,
      "required",
    );
    expect(answer.reason).toContain('freeze "quarter-end close"');
  });

  it("lets an emergency change run through a freeze, and says the freeze was waived", () => {
    const answer = judgeWindow(
      calendar(),
      "production",
      new Date("2026-12-29T22:30:00+08:00"),
      new Date("2026-12-29T23:30:00+08:00"),
      NOW,
      "ignore-freezes",
    );
    expect(answer).toEqual({
      ok: true,
      reason:
        'inside the production window tue,thu 22:00-02:00 (Asia/Shanghai); the freeze "quarter-end close" is waived for an emergency change',
    });
  });

  it("keeps an emergency change inside the weekly windows", () => {
    const answer = judgeWindow(
      calendar(),
      "production",
      new Date("2026-12-29T10:00:00+08:00"),
      new Date("2026-12-29T11:00:00+08:00"),
      NOW,
      "ignore-freezes",
    );
    expect(answer.ok).toBe(false);
  });

  it("still refuses an emergency window in the past", () => {
    const answer = judgeWindow(
      calendar(),
      "production",
      new Date("2026-11-19T22:30:00+08:00"),
      new Date("2026-11-19T23:00:00+08:00"),
      NOW,
      "ignore-freezes",
    );
    expect(answer.ok).toBe(false);
  });
});

describe("zoned time", () => {
  it.each([
    // London moves from GMT to BST on 2026-03-29 at 01:00 UTC.
    ["Europe/London", 2026, 3, 28, 22 * 60, "2026-03-28T22:00:00.000Z"],
    ["Europe/London", 2026, 3, 29, 22 * 60, "2026-03-29T21:00:00.000Z"],
    ["Asia/Shanghai", 2026, 12, 1, 22 * 60, "2026-12-01T14:00:00.000Z"],
    ["Asia/Shanghai", 2026, 12, 1, 26 * 60, "2026-12-01T18:00:00.000Z"],
  ])("%s %i-%i-%i at minute %i is %s", (zone, y, m, d, minute, iso) => {
    expect(instantOf(zone, y, m, d, minute).toISOString()).toBe(iso);
  });

  it("reads the weekday in the zone, not on the machine", () => {
    // 2026-12-01T17:00Z is still Tuesday in London but already Wednesday in Shanghai.
    const instant = new Date("2026-12-01T17:00:00Z");
    expect(wallClock(instant, "Europe/London").weekday).toBe(2);
    expect(wallClock(instant, "Asia/Shanghai").weekday).toBe(3);
  });
});

describe("loadCalendar", () => {
  it.each([
    [
      "an unknown time zone",
      "version: 1\ntimezone: Mars/Olympus\n",
      "policies/calendar.yml:2:11",
      "not a time zone",
    ],
    [
      "a bad time",
      'version: 1\ntimezone: UTC\nwindows:\n  production:\n    - days: [mon]\n      from: "25:00"\n      to: "02:00"\n',
      "policies/calendar.yml:6:13",
      "HH:MM",
    ],
    [
      "an unknown weekday",
      'version: 1\ntimezone: UTC\nwindows:\n  production:\n    - days: [monday]\n      from: "01:00"\n      to: "02:00"\n',
      "policies/calendar.yml:5:14",
      "mon",
    ],
    [
      "a freeze that ends before it starts",
      "version: 1\ntimezone: UTC\nfreezes:\n  - name: x\n    from: 2026-12-10\n    to: 2026-12-01\n",
      "policies/calendar.yml:6:9",
      "swap the dates",
    ],
  ])("reports %s at its place", (_name, text, place, words) => {
    const { calendar, findings } = loadCalendar("policies/calendar.yml", text);
    expect(calendar).toBeNull();
    const first = findings[0];
    expect(first && `${first.path}:${first.line}:${first.column}`).toBe(place);
    expect(first?.message).toContain(words);
  });
});
