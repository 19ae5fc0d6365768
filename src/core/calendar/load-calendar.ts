/**
 * `policies/calendar.yml`: the time zone, the allowed change windows per environment and the
 * freezes. Like every policy file it is read from the base commit; errors are findings.
 */
import type { Finding, SourceLocation } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import { createAjv, schemaFindings } from "../yaml/schema-findings.js";
import schema from "./calendar.schema.json" with { type: "json" };
import { isTimeZone } from "./zoned-time.js";

export const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** A weekly window: on each of `days`, from `from` to `to` minutes after midnight. */
export interface WeeklyWindow {
  /** 0 = Sunday ... 6 = Saturday. */
  days: number[];
  from: number;
  /** May be at or before `from`: the window then ends on the next day. */
  to: number;
  text: string;
  at: SourceLocation;
}

export interface Freeze {
  name: string;
  /** Inclusive dates, YYYY-MM-DD, in the calendar's time zone. */
  from: string;
  to: string;
  /** Environments it applies to; all when absent. */
  environments: string[] | null;
  at: SourceLocation;
}

export interface Calendar {
  path: string;
  timezone: string;
  windows: Map<string, WeeklyWindow[]>;
  freezes: Freeze[];
}

const validate = createAjv().compile(schema);

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Parses and validates a calendar file; `calendar` is null when it has findings. */
export function loadCalendar(
  path: string,
  text: string,
): { calendar: Calendar | null; findings: Finding[] } {
  const parse = parseYaml(path, text);
  if (parse.findings.length > 0) return { calendar: null, findings: parse.findings };
  const findings = schemaFindings(validate, parse.data, parse, "calendar/schema");
  if (findings.length > 0) return { calendar: null, findings };

  const data = parse.data as {
    timezone: string;
    windows?: Record<string, Array<{ days: string[]; from: string; to: string }>>;
    freezes?: Array<{ name: string; from: string; to: string; environments?: string[] }>;
  };
  if (!isTimeZone(data.timezone)) {
    findings.push({
      ...parse.locate("/timezone"),
      code: "calendar/timezone",
      message: `"${data.timezone}" is not a time zone this runtime knows; use an IANA name such as Asia/Shanghai`,
    });
  }
  const windows = new Map<string, WeeklyWindow[]>();
  for (const [environment, list] of Object.entries(data.windows ?? {})) {
    windows.set(
      environment,
      list.map((w, i) => ({
        days: w.days.map((d) => WEEKDAY_NAMES.indexOf(d as (typeof WEEKDAY_NAMES)[number])),
        from: minutes(w.from),
        to: minutes(w.to),
        text: `${w.days.join(",")} ${w.from}-${w.to}`,
        at: parse.locate(`/windows/${environment.replace(/~/g, "~0").replace(/\//g, "~1")}/${i}`),
      })),
    );
  }
  const freezes = (data.freezes ?? []).map((f, i) => {
    if (f.to < f.from) {
      findings.push({
        ...parse.locate(`/freezes/${i}/to`),
        code: "calendar/freeze",
        message: `freeze "${f.name}" ends (${f.to}) before it starts (${f.from}); swap the dates`,
      });
    }
    return {
      name: f.name,
      from: f.from,
      to: f.to,
      environments: f.environments ?? null,
      at: parse.locate(`/freezes/${i}`),
    };
  });
  if (findings.length > 0) return { calendar: null, findings };
  return { calendar: { path, timezone: data.timezone, windows, freezes }, findings };
}
