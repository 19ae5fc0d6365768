import { basename, resolve } from "node:path";
import { simpleGit } from "simple-git";
import { calendarView, MAX_VIEW_DAYS } from "../../core/calendar/calendar-view.js";
import { loadCalendar, type Calendar } from "../../core/calendar/load-calendar.js";
import { calendarToJson, renderCalendarText } from "../../core/calendar/render-calendar.js";
import { renderIcs } from "../../core/calendar/render-ics.js";
import { instantOf, wallClock } from "../../core/calendar/zoned-time.js";
import { readChanges, sameEnvironment, type ChangeFacts } from "../../core/deploy/change-facts.js";
import { loadDeployments } from "../../core/deploy/load-deployments.js";
import { CONFIG_PATH, loadConfig } from "../../core/policy/load-config.js";
import { parseRoles } from "../../core/policy/parse-roles.js";
import { changeRecordsAt } from "../../git/change-records.js";
import { readPolicyFilesAt } from "../../git/keys-at-ref.js";
import { openRepository, resolveCommit } from "../../git/refs.js";
import type { Command } from "../command.js";
import { ConfigError, EXIT, UsageError } from "../errors.js";
import { parseNow } from "../parse-now.js";
import { suggest } from "../suggest.js";

const FORMATS = ["text", "ics", "json"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const command: Command = {
  name: "calendar",
  summary:
    "List the change windows, freezes and scheduled changes of a clone (text, iCalendar, JSON)",
  usage:
    "gatehouse calendar [--repo DIR] [--ref REF] [--env ENV] [--from DATE] [--to DATE] [--format text|ics|json]",
  details: `Options:
  --repo DIR     The clone (default: the current directory).
  --ref REF      The commit whose calendar.yml and change records are read (default: HEAD);
                 committed files only, as the check reads them.
  --env ENV      One environment only (default: every environment).
  --from DATE    First day, YYYY-MM-DD in the calendar's time zone, or an ISO 8601 time with
                 an offset (default: today).
  --to DATE      Last day, inclusive (default: 30 days after --from); at most ${MAX_VIEW_DAYS} days.
  --format F     text (default), ics (an iCalendar file, RFC 5545, with its time zone, to
                 subscribe to: gatehouse calendar --format ics > changes.ics) or json.

Windows that fall in a freeze are marked: only emergency changes may use them. Scheduled
changes of one system and environment whose windows overlap are marked as conflicts.`,
  options: {
    repo: { type: "string" },
    ref: { type: "string" },
    env: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string" },
  },
  allowPositionals: false,
  async run(args, io) {
    const format = (args.values.format ?? "text") as string;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be text, ics or json, not '${format}'.`);
    }
    const root = await openRepository(
      resolve(io.cwd, (args.values.repo as string | undefined) ?? "."),
    );
    const ref = (args.values.ref as string | undefined) ?? "HEAD";
    const sha = await resolveCommit(root, ref);
    const { dir, files } = await readPolicyFilesAt(root, sha);
    const calendar = readCalendar(`${dir}/calendar.yml`, files.get(`${dir}/calendar.yml`));
    const from =
      parseDay(args.values.from as string | undefined, "--from", calendar, 0) ?? today(calendar);
    const to =
      parseDay(args.values.to as string | undefined, "--to", calendar, 1) ??
      new Date(from.getTime() + 30 * DAY_MS);
    if (to.getTime() <= from.getTime()) throw new UsageError("--to must be after --from.");
    if (to.getTime() - from.getTime() > MAX_VIEW_DAYS * DAY_MS) {
      throw new UsageError(
        `the span from --from to --to is longer than ${MAX_VIEW_DAYS} days; ask for less.`,
      );
    }
    const git = simpleGit({ baseDir: root });
    const { config } = loadConfig(files.get(CONFIG_PATH));
    const records = await changeRecordsAt(git, root, sha, files.get(CONFIG_PATH));
    // Only the deploy state is read here; roles.yml names the roles deployments.yml may use.
    const rolesText = files.get(`${dir}/roles.yml`);
    const roles = rolesText === undefined ? null : parseRoles(`${dir}/roles.yml`, rolesText).roles;
    const { policy: deployments } = loadDeployments(
      `${dir}/deployments.yml`,
      files.get(`${dir}/deployments.yml`),
      new Set(roles?.roles.keys() ?? []),
      `${dir}/roles.yml`,
    );
    const environment = args.values.env as string | undefined;
    const changes = readChanges(records, config);
    if (environment !== undefined) knownEnvironment(environment, calendar, changes);
    const view = calendarView(calendar, changes, {
      from,
      to,
      state: deployments?.state ?? "scheduled",
      ...(environment === undefined ? {} : { environment }),
    });
    const repo = basename(root);
    if (format === "ics") {
      const stamp = new Date((await git.raw(["log", "-1", "--format=%cI", sha])).trim());
      io.stdout.write(renderIcs(view, { repo, stamp }));
    } else if (format === "json") {
      io.stdout.write(`${JSON.stringify(calendarToJson(view), null, 2)}\n`);
    } else io.stdout.write(renderCalendarText(view, repo));
    return EXIT.clear;
  },
};

/**
 * Refuses an --env that no window, freeze or change names: a typo ("prod") would otherwise
 * show an empty calendar, which reads as "no window and no change", the opposite of the truth.
 */
function knownEnvironment(environment: string, calendar: Calendar, changes: ChangeFacts[]): void {
  const known = [
    ...new Set([
      ...calendar.windows.keys(),
      ...calendar.freezes.flatMap((freeze) => freeze.environments ?? []),
      ...changes.flatMap((change) => (change.environment === null ? [] : [change.environment])),
    ]),
  ];
  if (known.some((name) => sameEnvironment(name, environment))) return;
  const listed = known.length === 0 ? "" : ` The environments are ${known.join(", ")}.`;
  throw new UsageError(
    `--env '${environment}' is not an environment of ${calendar.path} nor of any change${suggest(environment, known) || "."}${listed}`,
  );
}

function readCalendar(path: string, text: string | undefined): Calendar {
  if (text === undefined) {
    throw new ConfigError(
      `${path} is missing at that commit; run 'gatehouse init' or add the calendar.`,
    );
  }
  const { calendar, findings } = loadCalendar(path, text);
  if (!calendar) {
    const first = findings[0];
    const more =
      findings.length > 1
        ? ` (and ${findings.length - 1} more; 'gatehouse validate' lists them)`
        : "";
    throw new ConfigError(
      first
        ? `${first.path}:${first.line}:${first.column} ${first.message}${more}`
        : `${path} is invalid.`,
    );
  }
  return calendar;
}

/** A day (midnight starting it, or ending it for `--to`) in the calendar's zone, or an instant. */
function parseDay(
  text: string | undefined,
  flag: string,
  calendar: Calendar,
  after: 0 | 1,
): Date | undefined {
  if (text === undefined) return undefined;
  const match = DATE.exec(text);
  if (!match) {
    if (text.includes("T")) return parseInstant(text, flag);
    throw new UsageError(
      `${flag} must be a date YYYY-MM-DD or an ISO 8601 time with an offset, not '${text}'.`,
    );
  }
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new UsageError(`${flag} '${text}' is not a real date.`);
  }
  return instantOf(calendar.timezone, y, m, d + after, 0);
}

function parseInstant(text: string, flag: string): Date {
  try {
    return parseNow(text)!;
  } catch (error) {
    throw new UsageError((error as Error).message.replace("--now", flag));
  }
}

function today(calendar: Calendar): Date {
  const now = wallClock(new Date(), calendar.timezone);
  return instantOf(calendar.timezone, now.year, now.month, now.day, 0);
}
