import { resolve } from "node:path";
import { evaluate } from "../../core/evaluate/evaluate.js";
import { renderMarkdown } from "../../core/report/render-markdown.js";
import { renderText } from "../../core/report/render-text.js";
import { verdictToJson } from "../../core/report/verdict-to-json.js";
import type { Verdict } from "../../core/types.js";
import { readContextFile } from "../../git/context.js";
import { notTextMessage } from "../../git/decode-text.js";
import { loadLocalSnapshot, type SkippedFile } from "../../git/load-snapshot.js";
import { useColor } from "../color.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import { parseNow } from "../parse-now.js";

const FORMATS = ["text", "json", "markdown"] as const;
type Format = (typeof FORMATS)[number];

export const command: Command = {
  name: "check",
  summary: "Judge a branch of a local clone against the policy, as the GitHub check would",
  usage:
    "gatehouse check [--repo DIR] [--base REF] [--head REF] [--context FILE] [--now ISO] [--format text|json|markdown]",
  details: `Options:
  --repo DIR       The clone to judge (default: the current directory).
  --base REF       The branch the change would merge into (default: origin/HEAD, else
                   main, else master). The commits judged are those of the head that
                   are not on it; policy, roles and keys are read at its tip, as the
                   GitHub App reads them.
  --head REF       The commit to judge (default: HEAD).
  --context FILE   What GitHub would know, as YAML or JSON: author, approvals
                   ([{user, commit?, state?}], commit defaults to the head), teams,
                   identities (e-mail -> login), labels, checks, body, number, evidence.
  --now ISO        Judge as of this time, ISO 8601 with an offset or Z, e.g.
                   2026-11-25T10:00:00+08:00 (default: now).
  --format F       text (default), json or markdown (the check run's summary).

Exit status: 0 all clear, 1 blocked (pending approvals or a failure), 2 usage or
configuration error. The policy is always read from the base branch's tip, never
from the head; the verdict names that commit.`,
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
      env: io.env,
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

function skippedNotes(skipped: SkippedFile[]): string[] {
  return skipped.map(
    (file) =>
      `gatehouse check: note: ${file.path} (${file.side}) was left out of the check: ${notTextMessage(file.reason)}.`,
  );
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
