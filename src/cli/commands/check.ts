import { resolve } from "node:path";
import { evaluate } from "../../core/evaluate/evaluate.js";
import { renderMarkdown } from "../../core/report/render-markdown.js";
import { renderText } from "../../core/report/render-text.js";
import { verdictToJson } from "../../core/report/verdict-to-json.js";
import type { Verdict } from "../../core/types.js";
import { readContextFile } from "../../git/context.js";
import { loadLocalSnapshot, type SkippedFile } from "../../git/load-snapshot.js";
import { useColor } from "../color.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";

const FORMATS = ["text", "json", "markdown"] as const;
type Format = (typeof FORMATS)[number];

export const command: Command = {
  name: "check",
  summary: "Judge a branch of a local clone against the policy, as the GitHub check would",
  usage:
    "gatehouse check [--repo DIR] [--base REF] [--head REF] [--context FILE] [--now ISO] [--format text|json|markdown]",
  details: `Options:
  --repo DIR       The clone to judge (default: the current directory).
  --base REF       Judge against the merge base with REF (default: the default branch:
                   origin/HEAD, else main, else master).
  --head REF       The commit to judge (default: HEAD).
  --context FILE   What GitHub would know, as YAML or JSON: author, approvals
                   ([{user, commit?, state?}], commit defaults to the head), teams,
                   identities (e-mail -> login), labels, checks, body, number, evidence.
  --now ISO        Judge as of this time, ISO 8601 with an offset or Z, e.g.
                   2026-11-25T10:00:00+08:00 (default: now).
  --format F       text (default), json or markdown (the check run's summary).

Exit status: 0 all clear, 1 blocked (pending approvals or a failure), 2 usage or
configuration error. The policy is always read from the base commit.`,
  options: {
    repo: { type: "string" },
    base: { type: "string" },
    head: { type: "string" },
    context: { type: "string" },
    now: { type: "string" },
    format: { type: "string" },
  },
  allowPositionals: false,
  async run(args, io) {
    const format = (args.values.format ?? "text") as string;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be text, json or markdown, not '${format}'.`);
    }
    const now = parseNow(args.values.now as string | undefined);
    const contextPath = args.values.context as string | undefined;
    const context =
      contextPath === undefined ? undefined : await readContextFile(resolve(io.cwd, contextPath));
    const snapshot = await loadLocalSnapshot({
      repo: resolve(io.cwd, (args.values.repo as string | undefined) ?? "."),
      ...optional("base", args.values.base as string | undefined),
      ...optional("head", args.values.head as string | undefined),
      ...optional("context", context),
      ...optional("now", now),
    });
    const verdict = await evaluate(snapshot);
    io.stdout.write(render(verdict, format as Format, useColor(io)));
    for (const note of skippedNotes(snapshot.skipped)) io.stderr.write(`${note}\n`);
    return verdict.conclusion === "success" ? EXIT.clear : EXIT.blocked;
  },
};

function render(verdict: Verdict, format: Format, color: boolean): string {
  const text =
    format === "json"
      ? JSON.stringify(verdictToJson(verdict), null, 2)
      : format === "markdown"
        ? renderMarkdown(verdict, {})
        : renderText(verdict, { color });
  return text.endsWith("\n") ? text : `${text}\n`;
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const EXAMPLE = "2026-11-25T10:00:00+08:00";

/**
 * `--now` as an instant. The offset is required: without one the verdict on a change window
 * would depend on the zone of the machine that runs the check. Dates that JavaScript would
 * roll over (February 30 becomes March 2) are refused rather than silently moved.
 */
function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const match = ISO_TIME.exec(text);
  if (!match) {
    throw new UsageError(`--now must be an ISO 8601 time such as ${EXAMPLE}, not '${text}'.`);
  }
  const [, year, month, day, hour, minute, second, offset] = match;
  if (offset === undefined) {
    throw new UsageError(
      `--now '${text}' has no offset, so its meaning would depend on this machine's time zone; add one or Z, as in ${EXAMPLE}.`,
    );
  }
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second ?? "0"].map(Number);
  const daysInMonth = new Date(Date.UTC(y ?? 0, mo ?? 0, 0)).getUTCDate();
  const [offsetHours, offsetMinutes] =
    offset === "Z" ? [0, 0] : offset.slice(1).split(":").map(Number);
  if (
    (mo ?? 0) < 1 ||
    (mo ?? 0) > 12 ||
    (d ?? 0) < 1 ||
    (d ?? 0) > daysInMonth ||
    (h ?? 0) > 23 ||
    (mi ?? 0) > 59 ||
    (s ?? 0) > 59 ||
    (offsetHours ?? 0) > 23 ||
    (offsetMinutes ?? 0) > 59
  ) {
    throw new UsageError(
      `--now '${text}' is not a real date and time; give one such as ${EXAMPLE}.`,
    );
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now '${text}' is not a real date and time; give one such as ${EXAMPLE}.`,
    );
  }
  return date;
}

function skippedNotes(skipped: SkippedFile[]): string[] {
  return skipped.map(
    (file) =>
      `gatehouse check: note: ${file.path} (${file.side}) was left out of the check: it is ${file.reason === "binary" ? "binary" : "larger than 5 MB"}.`,
  );
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
