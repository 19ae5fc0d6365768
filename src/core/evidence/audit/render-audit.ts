/**
 * The audit report as people read it: plain text for the terminal, Markdown for a ticket or a
 * wiki. Both tell the same four things in the same order: where the ledger stands, whether
 * every document verifies, whether every governed commit has evidence, and each record's story.
 */
import { maskText } from "../../privacy/stream-masker.js";
import type { AuditReport } from "./audit.js";
import type { PersonAct, RecordTimeline, TimelineEvent } from "./timelines.js";

type Style = "text" | "markdown";

/** Renders the report as text or Markdown. */
export function renderAudit(report: AuditReport, style: Style): string {
  const md = style === "markdown";
  const out: string[] = [];
  const heading = (text: string, level = 2) =>
    md
      ? out.push(...(level === 1 ? [] : [""]), `${"#".repeat(level)} ${text}`, "")
      : out.push(level === 1 ? text : `\n${text}`);
  const item = (bad: boolean, text: string) =>
    out.push(md ? `- ${bad ? "❌" : "✅"} ${text}` : `  ${bad ? "✖" : "✔"} ${text}`);

  heading(`gatehouse audit of ${report.repository}, ${report.branch} at ${short(report.head)}`, 1);
  out.push(
    report.ledger.commit === null
      ? `No evidence ledger: refs/notes/gatehouse does not exist here (fetch it: git fetch origin refs/notes/gatehouse:refs/notes/gatehouse).`
      : `Ledger refs/notes/gatehouse at ${short(report.ledger.commit)}: ${count(report.ledger.documents, "document")}, ${report.ledger.verified} verified.`,
  );
  for (const note of report.notes) out.push(`Note: ${note}.`);

  heading("Verification");
  if (report.problems.length === 0) {
    item(
      false,
      "every document is signed by an evidence key, sits on its commit and follows the one before it; the index and the tip agree",
    );
  } else {
    for (const problem of report.problems) item(true, `${problem.kind}: ${problem.message}`);
  }

  heading("Completeness");
  const { population } = report;
  if (population.missing.length === 0) {
    item(
      false,
      `all ${count(population.governed, "governed commit")} (${population.scope}) have evidence`,
    );
  } else {
    out.push(
      `${population.missing.length} of ${count(population.governed, "governed commit")} (${population.scope}) have no evidence:`,
    );
    for (const m of population.missing) {
      item(
        true,
        `${short(m.commit)} ${m.date.slice(0, 10)} "${maskText(m.subject)}": ${m.paths.join(", ")}`,
      );
    }
  }

  heading("Emergency reviews");
  if (report.overdue.length === 0) {
    item(false, "no emergency change is overdue for its post-implementation review");
  }
  for (const o of report.overdue) {
    item(
      true,
      `${o.id} (${o.system ?? "no system"}, still ${o.state}) was due to be closed by ${o.dueLocal}: its post-implementation review is overdue; ${o.reviewers.join(" and ")} close it`,
    );
  }

  heading("Records");
  if (report.records.length === 0) out.push("No record has evidence in this scope.");
  for (const record of report.records) out.push(...recordLines(record, md));

  heading("Result");
  out.push(summaryLine(report));
  return `${out.join("\n")}\n`;
}

/** One line: all clear, or what failed. */
export function summaryLine(report: AuditReport): string {
  if (report.ok) return "All clear: the ledger verifies and every governed commit has evidence.";
  const parts = [
    report.problems.length > 0 ? count(report.problems.length, "verification problem") : "",
    report.population.missing.length > 0
      ? `${count(report.population.missing.length, "commit")} without evidence`
      : "",
    report.findings.length > 0 ? count(report.findings.length, "finding") : "",
    report.overdue.length > 0 ? count(report.overdue.length, "overdue emergency review") : "",
  ].filter((p) => p !== "");
  return `Not clear: ${parts.join(", ")}.`;
}

function recordLines(record: RecordTimeline, md: boolean): string[] {
  const title = `${record.id} (${record.kind ?? "record"}, ${record.path})`;
  const out: string[] = md ? ["", `### ${title}`, ""] : ["", title];
  const pad = md ? "" : "  ";
  if (md) {
    out.push("| date | pull request | transition | by | acts |", "|---|---|---|---|---|");
    for (const e of record.events) {
      out.push(
        `| ${e.at.slice(0, 10)} | ${pullNumber(e)} | ${transition(e)} | ${byWords(e)} | ${actList(e)} |`,
      );
    }
    out.push("");
  } else {
    out.push(`${pad}timeline:`);
    for (const e of record.events) {
      out.push(
        `${pad}  ${e.at.slice(0, 10)}  ${pullNumber(e).padEnd(6)}${transition(e).padEnd(28)}  ${byWords(e)}`,
      );
      if (e.acts.length > 0) out.push(`${pad}              ${actList(e)}`);
    }
  }
  const line = (label: string, text: string) =>
    out.push(md ? `- **${label}:** ${text}` : `${pad}${label}: ${text}`);
  line(
    "provided",
    record.providers.length === 0
      ? "no section consent on record"
      : record.providers.map((p) => `${p.section} ${person(p)}`).join("; "),
  );
  const initiated = record.initiated;
  line(
    "initiated",
    initiated
      ? `${transition(initiated.event)} in ${pullNumber(initiated.event)}${initiated.by.length > 0 ? `, approved by ${initiated.by.map((p) => `${p.login} as ${p.role}`).join(" and ")}` : ` by ${initiated.event.author ?? "?"}`}`
      : "not on record",
  );
  line(
    "executed",
    record.executors.length === 0 ? "not on record" : record.executors.map(person).join("; "),
  );
  if (record.findings.length === 0) line("findings", "none");
  for (const finding of record.findings) line(`finding (${finding.kind})`, finding.message);
  return out;
}

function transition(e: TimelineEvent): string {
  if (e.event === "baseline") return "listed when the ledger began";
  if (e.deployment) return `deployment to ${e.deployment.environment}: ${e.deployment.state}`;
  return `${e.from ?? "(new)"} → ${e.to ?? "(removed)"}`;
}

function pullNumber(e: TimelineEvent): string {
  return e.pullRequest === null ? "—" : `#${e.pullRequest}`;
}

/** Who opened and merged it, and which document of the ledger says so. */
function byWords(e: TimelineEvent): string {
  const by = e.author ? `by ${e.author}` : "";
  const merged = e.mergedBy ? `, merged by ${e.mergedBy}` : "";
  return `${by}${merged}${e.bypass ? " (BYPASS)" : ""} [document ${e.sequence}]`.trim();
}

function actList(e: TimelineEvent): string {
  return e.acts
    .map((a) => `${a.action} ${a.login} as ${a.role}${a.section ? ` for ${a.section}` : ""}`)
    .join(", ");
}

function person(p: PersonAct): string {
  return `${p.login} as ${p.role}${p.pullRequest === null ? "" : ` (#${p.pullRequest})`}`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function count(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
