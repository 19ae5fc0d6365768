import ICAL from "ical.js";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { TempRepo } from "../git/temp-repo.js";
import { changeRecord } from "../core/deploy/pack-snapshot.js";
import { captureIO } from "./capture-io.js";
import { as, governedRepo } from "./governed-repo.js";

describe("gatehouse calendar", () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await governedRepo();
    repo.write({
      "changes/CHG-2026-0001.yaml": stringify(changeRecord("CHG-2026-0001")),
      "changes/CHG-2026-0002.yaml": stringify(
        changeRecord("CHG-2026-0002", {
          title: "Ledger, night batch; resize",
          window: { start: "2026-11-26T23:00:00+08:00", end: "2026-11-27T01:00:00+08:00" },
        }),
      ),
    });
    repo.commit("two scheduled changes", as("li-na"));
  });
  afterAll(() => repo.dispose());

  const run = async (...args: string[]) => {
    const io = captureIO(repo.dir);
    const code = await main(["calendar", ...args], io);
    return { code, out: io.out(), err: io.err() };
  };

  it("lists windows, freezes and scheduled changes with their conflicts", async () => {
    const { code, out } = await run(
      "--from",
      "2026-11-24",
      "--to",
      "2026-12-31",
      "--env",
      "production",
    );
    expect(code).toBe(0);
    expect(out).toContain("Change calendar of");
    expect(out).toMatch(/production\s+Thu 2026-11-26 22:00–2026-11-27 02:00/);
    expect(out).toMatch(
      /production\s+Tue 2026-12-29 22:00–2026-12-30 02:00\s+frozen: year-end close/,
    );
    expect(out).toMatch(/year-end close\s+2026-12-28 to 2027-01-04\s+production/);
    expect(out).toMatch(/CHG-2026-0001\s+2026-11-26 22:00–23:30\s+production\s+payments-gateway/);
    expect(out).toMatch(/conflict: overlaps CHG-2026-0002/);
  });

  it("writes an iCalendar file that a maintained parser reads, with its time zone", async () => {
    const { code, out } = await run(
      "--from",
      "2026-11-24",
      "--to",
      "2026-12-31",
      "--format",
      "ics",
    );
    expect(code).toBe(0);
    const root = new ICAL.Component(ICAL.parse(out));
    const zone = root.getFirstSubcomponent("vtimezone")!;
    expect(zone.getFirstPropertyValue("tzid")).toBe("Asia/Shanghai");
    ICAL.TimezoneService.register(zone);
    const events = root.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    const change = events.find((e) => e.uid.startsWith("CHG-2026-0002@"))!;
    expect(change.summary).toBe(
      "CHG-2026-0002 Ledger, night batch; resize (production, payments-gateway)",
    );
    expect(change.startDate.toJSDate().toISOString()).toBe("2026-11-26T15:00:00.000Z");
    // The same commit gives the same file: DTSTAMP is the commit's date.
    expect((await run("--from", "2026-11-24", "--to", "2026-12-31", "--format", "ics")).out).toBe(
      out,
    );
  });

  it("takes an environment in any letter case, as the check compares them", async () => {
    const { code, out } = await run("--from", "2026-11-24", "--env", "Production");
    expect(code).toBe(0);
    expect(out).toMatch(/production\s+Thu 2026-11-26 22:00/);
  });

  it("prints JSON for scripts", async () => {
    const { out } = await run(
      "--from",
      "2026-11-24",
      "--to",
      "2026-11-30",
      "--format",
      "json",
      "--env",
      "staging",
    );
    const json = JSON.parse(out) as { timezone: string; windows: Array<{ environment: string }> };
    expect(json.timezone).toBe("Asia/Shanghai");
    expect(json.windows.length).toBe(5);
    expect(new Set(json.windows.map((w) => w.environment))).toEqual(new Set(["staging"]));
  });

  it.each<[string[], RegExp]>([
    [["--from", "2026-02-30"], /--from '2026-02-30' is not a real date/],
    [["--from", "tomorrow"], /--from must be a date YYYY-MM-DD/],
    [["--from", "2026-12-01", "--to", "2026-11-01"], /--to must be after --from/],
    [["--from", "2026-01-01", "--to", "2030-01-01"], /longer than 1096 days/],
    [["--format", "pdf"], /--format must be text, ics or json/],
    [
      ["--env", "prod"],
      /^gatehouse calendar: --env 'prod' is not an environment of policies\/calendar\.yml nor of any change; did you mean 'production'\? The environments are production, staging\. Run/,
    ],
    [
      ["--env", "mars"],
      /--env 'mars' is not an environment .*nor of any change\. The environments/,
    ],
  ])("refuses %j with a clear message", async (args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
