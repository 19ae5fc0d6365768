import { resolve } from "node:path";
import { simpleGit } from "simple-git";
import { CONFIG_PATH, loadConfig } from "../../core/policy/load-config.js";
import { idOfPath } from "../../core/records/record-ids.js";
import { recordKindForPath } from "../../core/records/record-place.js";
import type { BranchCommit } from "../../core/evidence/audit/population.js";
import { audit } from "../../core/evidence/audit/audit.js";
import { auditCsv, auditJson } from "../../core/evidence/audit/audit-data.js";
import { renderAudit, summaryLine } from "../../core/evidence/audit/render-audit.js";
import { branchHistory } from "../../git/branch-history.js";
import { changeRecordsAt } from "../../git/change-records.js";
import { readPolicyFilesAt } from "../../git/keys-at-ref.js";
import { readLedgerContents } from "../../git/read-ledger.js";
import { defaultBranch, openRepository, resolveCommit } from "../../git/refs.js";
import type { Command } from "../command.js";
import { parseNow } from "../parse-now.js";
import { EXIT, UsageError } from "../errors.js";
import { suggest } from "../suggest.js";

const FORMATS = ["text", "markdown", "csv", "json"] as const;
type Format = (typeof FORMATS)[number];

export const command: Command = {
  name: "audit",
  summary: "Verify the evidence ledger of a clone and report who did what to each record",
  usage:
    "gatehouse audit [--repo DIR] [--since DATE] [--record ID] [--format text|markdown|csv|json] [--now ISO]",
  details: `Reads the evidence ledger (refs/notes/gatehouse) of a clone; fetch it first with
  git fetch origin refs/notes/gatehouse:refs/notes/gatehouse

It verifies every document's signature against policies/keys/gatehouse-evidence.asc of the
default branch (origin/HEAD, else main, else master), the hash chain through all documents,
the tip and the index, and reports each edited, deleted, reordered, moved or foreign document
with its position. The evidence key must still be valid at the time of the audit: a document
signed by a key revoked or expired since counts for nothing (its date is whatever its signer
wrote) and is reported as invalid-key. It lists every commit of the default branch that changed a governed path
and has no evidence, and tells each record's story: its transitions with pull requests and
dates, who provided each section, who initiated it, who approved each transition in which
role, who executed it, and every separation-of-duties or bypass finding. It names every
emergency change at the tip still open past the pack's limit after its window (deployments.yml
emergency.review-within-days, 5 days by default): its post-implementation review is overdue.

Options:
  --repo DIR       The clone (default: the current directory).
  --since DATE     Only commits and transitions from this date (YYYY-MM-DD or ISO 8601);
                   the default population is every commit since the ledger began.
  --record ID      Only this record (CHG-2026-0042): its story and the commits that changed it.
  --format F       text (default), markdown, csv (one row per act, transition, problem,
                   missing commit, finding and overdue review) or json.
  --now ISO        Audit as of this time (default: now): the time the evidence keys must
                   still be valid at, and overdue emergency reviews are judged at.

Exit status: 0 all clear, 1 a document fails verification, a governed commit has no evidence,
a finding, or an overdue emergency review; 2 usage or configuration error. A progress line goes to stderr when it is a
terminal.`,
  options: {
    repo: { type: "string" },
    since: { type: "string" },
    record: { type: "string" },
    format: { type: "string" },
    now: { type: "string" },
  },
  allowPositionals: false,
  async run(args, io) {
    const format = (args.values.format ?? "text") as string;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be text, markdown, csv or json, not '${format}'.`);
    }
    const now = parseNow(args.values.now as string | undefined) ?? new Date();
    const since = parseSince(args.values.since as string | undefined);
    const record = args.values.record as string | undefined;
    if (record !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(record)) {
      throw new UsageError(`--record must be a record id such as CHG-2026-0042, not '${record}'.`);
    }
    const root = await openRepository(
      resolve(io.cwd, (args.values.repo as string | undefined) ?? "."),
    );
    const branch = await defaultBranch(root, "fetch the default branch first");
    const head = await resolveCommit(root, branch);
    const [policy, contents, commits] = await Promise.all([
      readPolicyFilesAt(root, head),
      readLedgerContents(root),
      branchHistory(root, head, since),
    ]);
    const changeRecords = await changeRecordsAt(
      simpleGit({ baseDir: root }),
      root,
      head,
      policy.files.get(CONFIG_PATH),
    );
    const progress = io.stderr.isTTY === true ? progressLine(io.stderr) : undefined;
    const report = await audit({
      repository: root.slice(root.lastIndexOf("/") + 1),
      branch,
      head,
      policyFiles: policy.files,
      ledgerCommit: contents.commit,
      contents,
      commits,
      changeRecords,
      now,
      ...(since ? { since } : {}),
      ...(record === undefined ? {} : { record }),
      ...(progress ? { progress } : {}),
    });
    if (progress) io.stderr.write("\r\u001b[K");
    if (record !== undefined && since === undefined && report.records.length === 0) {
      const config = loadConfig(policy.files.get(CONFIG_PATH)).config;
      const known = recordIds(commits, (path) => recordKindForPath(path, config) !== null);
      // A mistyped id audits nothing, and "all clear" would read as the record's clean bill.
      if (!known.has(record)) {
        throw new UsageError(
          `--record ${record} names no record: it has no evidence, and no commit of ${branch} changed a record file of that name${suggest(record, known) || "; check the id"}`,
        );
      }
    }
    io.stdout.write(render(report, format as Format));
    if (format === "csv" || format === "json")
      io.stderr.write(`gatehouse audit: ${summaryLine(report)}\n`);
    return report.ok ? EXIT.clear : EXIT.blocked;
  },
};

/** The ids of the record files the branch's commits changed. */
function recordIds(commits: BranchCommit[], isRecord: (path: string) => boolean): Set<string> {
  return new Set(commits.flatMap((c) => c.paths.filter(isRecord).map(idOfPath)));
}

function render(report: Parameters<typeof auditJson>[0], format: Format): string {
  switch (format) {
    case "json":
      return auditJson(report);
    case "csv":
      return auditCsv(report);
    default:
      return renderAudit(report, format);
  }
}

/** "verifying documents: 2,500/10,000", rewritten in place a few times a second at most. */
function progressLine(stderr: { write(text: string): unknown }) {
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (done !== total && now - last < 100) return;
    last = now;
    stderr.write(
      `\rgatehouse audit: verifying documents ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`,
    );
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `--since` as an instant: a date is its start in UTC; a time needs its offset. */
function parseSince(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const match = DATE.exec(text);
  const date = match ? new Date(match[4] ? text : `${text}T00:00:00Z`) : null;
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    (date.toISOString().slice(0, 10) !== text.slice(0, 10) && !match?.[4])
  ) {
    throw new UsageError(
      `--since must be a date such as 2026-01-31 or a time such as 2026-01-31T09:00:00+08:00, not '${text}'.`,
    );
  }
  return date;
}
