/**
 * Per record, what the verified documents say happened: the timeline of its transitions with
 * pull requests and dates, who provided each section, who initiated it (the transition out of
 * its kind's initial state), who approved each transition in which role, who executed it, and
 * every separation-of-duties or bypass finding.
 */
import { actWords } from "../../evaluate/explain-slot.js";
import type { Policy } from "../../policy/model.js";
import type { Act, Login, RecordKind, RoleId } from "../../types.js";
import type { ActEntry } from "../model.js";
import type { PlacedDocument } from "./verify-ledger.js";

export interface TimelineEvent {
  sequence: number;
  event: string;
  pullRequest: number | null;
  /** When it was merged (or the ledger began, for a baseline). */
  at: string;
  author: Login | null;
  mergedBy: Login | null;
  from: string | null;
  to: string | null;
  /** The record's acts in this event. */
  acts: ActEntry[];
  bypass: string | null;
  /** For a deployment status: the environment and the state GitHub reported. */
  deployment?: { environment: string; state: string };
}

export interface PersonAct {
  login: Login;
  role: RoleId;
  pullRequest: number | null;
  section?: string;
}

export interface AuditFinding {
  kind: "separation-of-duties" | "bypass";
  message: string;
}

export interface RecordTimeline {
  id: string;
  kind: RecordKind | null;
  path: string;
  events: TimelineEvent[];
  /** Section -> who provided it (consented as its owner). */
  providers: Array<PersonAct & { section: string }>;
  /** The transition out of the kind's initial state, and who approved it. */
  initiated: { event: TimelineEvent; by: PersonAct[] } | null;
  executors: PersonAct[];
  findings: AuditFinding[];
}

/** The timelines of every record the documents name, by id. */
export function timelines(documents: PlacedDocument[], policy: Policy | null): RecordTimeline[] {
  const byId = new Map<string, RecordTimeline>();
  const timeline = (id: string, kind: RecordKind | null, path: string) => {
    let found = byId.get(id);
    if (!found) {
      found = {
        id,
        kind,
        path,
        events: [],
        providers: [],
        initiated: null,
        executors: [],
        findings: [],
      };
      byId.set(id, found);
    }
    if (kind !== null) found.kind = kind;
    found.path = path;
    return found;
  };
  for (const doc of documents) {
    const p = doc.statement.predicate;
    const common = {
      sequence: doc.sequence,
      event: p.event,
      pullRequest: p.pullRequest?.number ?? null,
      at: p.event === "baseline" ? p.writtenAt : p.merge.at,
      author: p.pullRequest?.author ?? null,
      mergedBy: p.merge.by,
      bypass: p.bypass?.reason ?? null,
      ...(p.deployment
        ? { deployment: { environment: p.deployment.environment, state: p.deployment.state } }
        : {}),
    };
    for (const listed of p.baseline ?? []) {
      timeline(listed.id, null, listed.path).events.push({
        ...common,
        from: null,
        to: null,
        acts: [],
      });
    }
    for (const record of p.records) {
      timeline(record.id, record.kind, record.path).events.push({
        ...common,
        from: record.from,
        to: record.to,
        acts: p.acts.filter((a) => a.record === record.id),
      });
    }
  }
  for (const line of byId.values()) summarize(line, policy);
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function summarize(line: RecordTimeline, policy: Policy | null): void {
  const initial = line.kind ? policy?.workflows.kinds[line.kind]?.initial : undefined;
  for (const event of line.events) {
    for (const act of event.acts) {
      const person = { login: act.login, role: act.role, pullRequest: event.pullRequest };
      if (act.action === "consent" && act.section !== undefined) {
        line.providers.push({ ...person, section: act.section });
      }
      if (act.action === "execution" || act.section === "/execution") {
        line.executors.push(act.section ? { ...person, section: act.section } : person);
      }
    }
    if (
      !line.initiated &&
      initial !== undefined &&
      event.from === initial &&
      event.to !== initial
    ) {
      line.initiated = {
        event,
        by: event.acts
          .filter((a) => a.action === "approval")
          .map((a) => ({ login: a.login, role: a.role, pullRequest: event.pullRequest })),
      };
    }
    if (event.bypass) {
      line.findings.push({
        kind: "bypass",
        message: `${line.id} changed in ${where(event)} without a passing gatehouse check: ${event.bypass}`,
      });
    }
  }
  line.findings.push(...sodFindings(line, policy));
}

function where(event: TimelineEvent): string {
  return event.pullRequest === null ? `document #${event.sequence}` : `#${event.pullRequest}`;
}

/** People who acted on the record in two roles that a separation-of-duties pair joins. */
function sodFindings(line: RecordTimeline, policy: Policy | null): AuditFinding[] {
  if (!policy) return [];
  const byPerson = new Map<string, Act[]>();
  for (const event of line.events) {
    for (const act of event.acts) {
      const key = act.login.toLowerCase();
      const withPull: Act = { ...act, record: line.id };
      if (event.pullRequest !== null) withPull.pullRequest = event.pullRequest;
      byPerson.set(key, [...(byPerson.get(key) ?? []), withPull]);
    }
  }
  const findings: AuditFinding[] = [];
  for (const acts of byPerson.values()) {
    for (const {
      roles: [a, b],
    } of policy.roles.separationOfDuties) {
      const first = acts.find((act) => act.role === a);
      const second = acts.find((act) => act.role === b);
      if (a === b || !first || !second) continue;
      findings.push({
        kind: "separation-of-duties",
        message: `${actWords(first, line.id)} and ${actWords(second, line.id).replace(/^\S+ /, "")}; ${a} and ${b} may not be combined`,
      });
    }
  }
  return findings;
}
