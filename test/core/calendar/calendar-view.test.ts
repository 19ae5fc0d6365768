/**
 * The change calendar as `gatehouse calendar` lists it: window occurrences over daylight-saving
 * transitions and across midnight, overlapping freezes, scheduled changes and their conflicts;
 * and the iCalendar file, read back by ical.js (Mozilla's RFC 5545 parser, a devDependency) with
 * the VTIMEZONE we wrote, which must place every event at the instant the judgement uses.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { calendarView, type CalendarView } from "../../../src/core/calendar/calendar-view.js";
import { loadCalendar, type Calendar } from "../../../src/core/calendar/load-calendar.js";
import { renderIcs } from "../../../src/core/calendar/render-ics.js";
import { judgeWindow } from "../../../src/core/calendar/window-verdict.js";
import { changeFacts } from "../../../src/core/deploy/change-facts.js";
import { DEFAULT_CONFIG } from "../../../src/core/policy/model.js";
import { parseRecord } from "../../../src/core/records/parse-record.js";
import { stringify } from "yaml";
import { changeRecord } from "../deploy/pack-snapshot.js";

function calendar(timezone: string, windows: string, freezes = "[]"): Calendar {
  const text = `version: 1\ntimezone: ${timezone}\nwindows:\n${windows}\nfreezes: ${freezes}\n`;
  const { calendar: loaded, findings } = loadCalendar("policies/calendar.yml", text);
  expect(findings).toEqual([]);
  return loaded!;
}

const iso = (d: Date) => d.toISOString();
const span = (from: string, to: string) => ({
  from: new Date(from),
  to: new Date(to),
  state: "scheduled",
});

describe("window occurrences", () => {
  it.each<[string, string, string, string, string, Array<[string, string]>]>([
    [
      "London, the night the clocks go forward (an hour shorter)",
      "Europe/London",
      '  production: [{ days: [sun], from: "00:30", to: "02:30" }]',
      "2026-03-28T00:00:00Z",
      "2026-03-30T00:00:00Z",
      [["2026-03-29T00:30:00.000Z", "2026-03-29T01:30:00.000Z"]],
    ],
    [
      "London, the night the clocks go back (an hour longer)",
      "Europe/London",
      '  production: [{ days: [sun], from: "00:30", to: "02:30" }]',
      "2026-10-24T00:00:00Z",
      "2026-10-26T00:00:00Z",
      [["2026-10-24T23:30:00.000Z", "2026-10-25T02:30:00.000Z"]],
    ],
    [
      "New York, across midnight on either side of the spring change",
      "America/New_York",
      '  production: [{ days: [sat, sun], from: "22:00", to: "02:00" }]',
      "2026-03-07T12:00:00Z",
      "2026-03-09T12:00:00Z",
      [
        ["2026-03-08T03:00:00.000Z", "2026-03-08T07:00:00.000Z"],
        ["2026-03-09T02:00:00.000Z", "2026-03-09T06:00:00.000Z"],
      ],
    ],
    [
      "Shanghai, Tuesday night to Wednesday morning",
      "Asia/Shanghai",
      '  production: [{ days: [tue], from: "22:00", to: "02:00" }]',
      "2026-11-23T16:00:00Z",
      "2026-11-30T16:00:00Z",
      [["2026-11-24T14:00:00.000Z", "2026-11-24T18:00:00.000Z"]],
    ],
    [
      "a window already open when the span starts is listed",
      "Asia/Shanghai",
      '  production: [{ days: [tue], from: "22:00", to: "02:00" }]',
      "2026-11-24T17:00:00Z",
      "2026-11-25T00:00:00Z",
      [["2026-11-24T14:00:00.000Z", "2026-11-24T18:00:00.000Z"]],
    ],
    [
      "a whole day: 00:00 to 24:00",
      "Europe/London",
      '  staging: [{ days: [sun], from: "00:00", to: "24:00" }]',
      "2026-03-28T12:00:00Z",
      "2026-03-29T12:00:00Z",
      [["2026-03-29T00:00:00.000Z", "2026-03-29T23:00:00.000Z"]],
    ],
  ])("%s", (_name, zone, windows, from, to, expected) => {
    const cal = calendar(zone, windows);
    const view = calendarView(cal, [], span(from, to));
    expect(view.windows.map((w) => [iso(w.start), iso(w.end)])).toEqual(expected);
    // The judgement accepts exactly these occurrences.
    for (const w of view.windows) {
      expect(judgeWindow(cal, w.environment, w.start, w.end, new Date(from), "required").ok).toBe(
        true,
      );
      const longer = new Date(w.end.getTime() + 60_000);
      expect(judgeWindow(cal, w.environment, w.start, longer, new Date(from), "required").ok).toBe(
        false,
      );
    }
  });

  it("marks windows inside overlapping freezes with every freeze's name", () => {
    const cal = calendar(
      "Asia/Shanghai",
      '  production: [{ days: [tue, thu], from: "22:00", to: "02:00" }]',
      `
  - { name: year-end close, from: 2026-12-28, to: 2027-01-04, environments: [production] }
  - { name: "audit; week", from: 2026-12-31, to: 2027-01-08 }
  - { name: staging only, from: 2026-12-29, to: 2026-12-29, environments: [staging] }`,
    );
    const view = calendarView(cal, [], {
      ...span("2026-12-27T16:00:00Z", "2027-01-10T16:00:00Z"),
      environment: "production",
    });
    expect(view.freezes.map((f) => f.name)).toEqual(["year-end close", "audit; week"]);
    expect(view.windows.map((w) => [iso(w.start).slice(0, 10), w.frozen])).toEqual([
      ["2026-12-29", ["year-end close"]],
      ["2026-12-31", ["year-end close", "audit; week"]],
      ["2027-01-05", ["audit; week"]],
      ["2027-01-07", ["audit; week"]],
    ]);
    // Both freezes start at local midnight, whatever the machine's zone.
    expect(view.freezes.map((f) => iso(f.start))).toEqual([
      "2026-12-27T16:00:00.000Z",
      "2026-12-30T16:00:00.000Z",
    ]);
  });
});

function change(id: string, fields: Record<string, unknown> = {}) {
  const path = `changes/${id}.yaml`;
  return changeFacts(parseRecord(path, stringify(changeRecord(id, fields)), DEFAULT_CONFIG));
}

describe("scheduled changes", () => {
  it("lists scheduled changes in the span, with their conflicts, and nothing else", () => {
    const cal = calendar(
      "Asia/Shanghai",
      '  production: [{ days: [thu], from: "22:00", to: "02:00" }]',
    );
    const view = calendarView(
      cal,
      [
        change("CHG-2026-0001"),
        change("CHG-2026-0002", {
          window: { start: "2026-11-26T23:00:00+08:00", end: "2026-11-27T01:00:00+08:00" },
        }),
        change("CHG-2026-0003", { state: "draft" }),
        change("CHG-2026-0004", { environment: "staging" }),
        change("CHG-2026-0005", {
          window: { start: "2026-12-26T22:00:00+08:00", end: "2026-12-26T23:00:00+08:00" },
        }),
      ],
      { ...span("2026-11-22T16:00:00Z", "2026-11-29T16:00:00Z"), environment: "production" },
    );
    expect(view.changes.map((c) => [c.id, c.conflicts])).toEqual([
      ["CHG-2026-0001", ["CHG-2026-0002"]],
      ["CHG-2026-0002", ["CHG-2026-0001"]],
    ]);
  });
});

/** Parses an iCalendar file with ical.js and returns each event's instants, by our UID. */
function readIcs(text: string): Map<string, { start: Date; end: Date; summary: string }> {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  const events = new Map<string, { start: Date; end: Date; summary: string }>();
  for (const component of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    events.set(event.uid, {
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      summary: event.summary,
    });
  }
  return events;
}

describe("the iCalendar file", () => {
  const cases: Array<[string, Calendar, ReturnType<typeof span>]> = [
    [
      "London over both daylight-saving changes",
      calendar(
        "Europe/London",
        '  production: [{ days: [sun], from: "00:30", to: "02:30" }, { days: [sat], from: "22:00", to: "03:00" }]',
        "[{ name: 'spring, \"close\"; q1', from: 2026-03-27, to: 2026-03-31 }]",
      ),
      span("2026-03-01T00:00:00Z", "2026-11-01T00:00:00Z"),
    ],
    [
      "New York across midnight",
      calendar(
        "America/New_York",
        '  production: [{ days: [sat, sun], from: "22:00", to: "02:00" }]',
      ),
      span("2026-03-01T00:00:00Z", "2026-11-15T00:00:00Z"),
    ],
    [
      "Shanghai with the finance pack's freezes",
      calendar(
        "Asia/Shanghai",
        '  production: [{ days: [tue, thu], from: "22:00", to: "02:00" }]',
        "[{ name: year-end close, from: 2026-12-28, to: 2027-01-04, environments: [production] }]",
      ),
      span("2026-11-01T00:00:00Z", "2027-02-01T00:00:00Z"),
    ],
  ];

  it.each(cases)("places every event where the judgement does: %s", (_name, cal, range) => {
    const view = calendarView(cal, [change("CHG-2026-0001")], range);
    const text = renderIcs(view, {
      repo: "acme/payments",
      stamp: new Date("2026-11-20T00:00:00Z"),
    });
    const events = readIcs(text);
    expect(events.size).toBe(view.windows.length + view.freezes.length + view.changes.length);
    expect(view.windows.length).toBeGreaterThan(20);
    for (const w of view.windows) {
      const event = events.get(
        `window-${w.environment}-${w.start
          .toISOString()
          .replace(/[-:]/g, "")
          .replace(/\.\d+Z$/, "Z")}@acme-payments.gatehouse`,
      );
      expect(event, `window at ${w.start.toISOString()}`).toBeDefined();
      expect([iso(event!.start), iso(event!.end)]).toEqual([iso(w.start), iso(w.end)]);
    }
    for (const c of view.changes) {
      const event = events.get(`${c.id}@acme-payments.gatehouse`)!;
      expect([iso(event.start), iso(event.end)]).toEqual([iso(c.start), iso(c.end)]);
    }
  });

  it("keeps to the format: CRLF lines of at most 75 octets, escaped text, all-day freezes", () => {
    const [, cal, range] = cases[0]!;
    const view = calendarView(cal, [], range);
    const text = renderIcs(view, {
      repo: "acme/payments",
      stamp: new Date("2026-11-20T00:00:00Z"),
    });
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.split("\r\n").slice(0, -1);
    expect(lines.every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('SUMMARY:Freeze: spring\\, "close"\\; q1 (every environment)');
    const root = new ICAL.Component(ICAL.parse(text));
    const freeze = root
      .getAllSubcomponents("vevent")
      .map((c) => new ICAL.Event(c))
      .find((e) => e.summary.startsWith("Freeze"))!;
    expect(freeze.startDate.isDate).toBe(true);
    expect(freeze.startDate.toString()).toBe("2026-03-27");
    expect(freeze.endDate.toString()).toBe("2026-04-01");
  });

  it("folds long lines without splitting a character", () => {
    const cal = calendar(
      "Asia/Shanghai",
      '  production: [{ days: [tue], from: "22:00", to: "23:00" }]',
    );
    const view: CalendarView = calendarView(
      cal,
      [
        change("CHG-2026-0001", {
          title: "支付网关升级到四点二版本，跨境人民币结算上线，并切换全部流量到新集群",
        }),
      ],
      span("2026-11-22T16:00:00Z", "2026-11-29T16:00:00Z"),
    );
    const text = renderIcs(view, {
      repo: "acme/payments",
      stamp: new Date("2026-11-20T00:00:00Z"),
    });
    expect(readIcs(text).get("CHG-2026-0001@acme-payments.gatehouse")?.summary).toContain(
      "支付网关升级到四点二版本，跨境人民币结算上线，并切换全部流量到新集群",
    );
  });
});
