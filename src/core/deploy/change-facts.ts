/**
 * What the deployment rules, the calendar and the audit read of a ChangeRequest: its id, state,
 * type, system, environment, window and covers, taken from a parsed record. A change whose file
 * is invalid is kept with its findings, so that a rule relying on it can refuse and say why.
 */
import type { Config } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import { parseRecord } from "../records/parse-record.js";
import { idOfPath } from "../records/record-ids.js";

export interface ChangeFacts {
  id: string;
  path: string;
  title: string;
  state: string | null;
  type: string | null;
  system: string | null;
  /** As written; compare with {@link sameEnvironment}. */
  environment: string | null;
  /** Null when absent or unreadable. */
  window: { start: Date; end: Date; text: { start: string; end: string } } | null;
  covers: string[];
  /** The pre-approved standard change it names (type standard). */
  standard: string | null;
  record: ParsedRecord;
  /** False when the record file has findings: nothing it says may authorise anything. */
  valid: boolean;
}

const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value : null;

/** The facts of one parsed ChangeRequest. */
export function changeFacts(record: ParsedRecord): ChangeFacts {
  const data = record.data;
  const window = data.window as { start?: unknown; end?: unknown } | null | undefined;
  const start = text(window?.start);
  const end = text(window?.end);
  const startAt = start === null ? NaN : Date.parse(start);
  const endAt = end === null ? NaN : Date.parse(end);
  return {
    id: record.id ?? idOfPath(record.path),
    path: record.path,
    title: text(data.title) ?? "",
    state: record.state,
    type: text(data.type),
    system: text(data.system),
    environment: text(data.environment),
    window:
      start !== null && end !== null && !Number.isNaN(startAt) && !Number.isNaN(endAt)
        ? { start: new Date(startAt), end: new Date(endAt), text: { start, end } }
        : null,
    covers: Array.isArray(data.covers)
      ? data.covers.filter((c): c is string => typeof c === "string" && c !== "")
      : [],
    standard: text(data.standard),
    record,
    valid: record.findings.length === 0 && record.kind === "ChangeRequest",
  };
}

/** Reads change records given as path -> text; files that are not ChangeRequests are left out. */
export function readChanges(files: Map<string, string>, config: Config): ChangeFacts[] {
  const out: ChangeFacts[] = [];
  for (const [path, body] of files) {
    const record = parseRecord(path, body, config);
    if (record.kind !== null && record.kind !== "ChangeRequest") continue;
    out.push(changeFacts(record));
  }
  return out;
}

/** Environment names compare without case, as deployment folders do. */
export function sameEnvironment(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}
