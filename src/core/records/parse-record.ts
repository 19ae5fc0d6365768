/**
 * Reading one record file: YAML with positions, the kind's JSON Schema, and the two rules a
 * schema cannot state (the id is the file name; the kind matches the directory).
 */
import type { ValidateFunction } from "ajv";
import { acceptingPlaceholders, placeholderFindings } from "./placeholders.js";
import type { Config } from "../policy/model.js";
import { RECORD_KINDS } from "../types.js";
import type { Finding, RecordKind } from "../types.js";
import { parseYamlMap } from "../yaml/parse-yaml.js";
import { createAjv, describeValue, schemaFindings } from "../yaml/schema-findings.js";
import { suggestion } from "../policy/did-you-mean.js";
import type { ParsedRecord } from "./model.js";
import { idOfPath } from "./record-ids.js";
import {
  directoryOf,
  lookalikeKindForPath,
  RECORD_EXTENSION,
  recordKindForPath,
} from "./record-place.js";
import changeRequestSchema from "./schemas/change-request.schema.json" with { type: "json" };
import incidentAnalysisSchema from "./schemas/incident-analysis.schema.json" with { type: "json" };
import improvementPlanSchema from "./schemas/improvement-plan.schema.json" with { type: "json" };

/**
 * The JSON Schema of each record kind, as shipped in `schemas/` for editors. Templates'
 * placeholders pass it, so that editors accept the templates; records holding one are refused
 * below ({@link placeholderFindings}).
 */
export const RECORD_SCHEMAS: Record<RecordKind, object> = {
  ChangeRequest: acceptingPlaceholders(changeRequestSchema),
  IncidentAnalysis: acceptingPlaceholders(incidentAnalysisSchema),
  ImprovementPlan: acceptingPlaceholders(improvementPlanSchema),
};

// Compiled once per process: compiling is the slow part of ajv, validating is cheap.
const ajv = createAjv();
const validators = Object.fromEntries(
  RECORD_KINDS.map((kind) => [kind, ajv.compile(RECORD_SCHEMAS[kind])]),
) as Record<RecordKind, ValidateFunction>;

export { recordKindForPath } from "./record-place.js";

/** Where a record that stands elsewhere belongs, and why it is refused where it is. */
function placeMessage(path: string, kind: RecordKind, config: Config): string {
  const dir = directoryOf(config.records[kind]);
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (lookalikeKindForPath(path, config) === kind) {
    return `records of kind ${kind} live in ${dir} exactly; a folder that differs only in letter case is the same folder on some checkouts and another on others, so move the file to ${dir}${name}`;
  }
  if (path.replace(/^\.\//, "").startsWith(dir) && !RECORD_EXTENSION.test(path)) {
    return `a record file ends in .yaml or .yml; rename it to ${dir}${name.replace(/\.[^.]*$/, "")}.yaml`;
  }
  const article = /^[AEIOU]/.test(kind) ? "an" : "a";
  return `this file declares ${article} ${kind}, but it is not in a record directory, where gatehouse judges records; move it to ${dir} (gatehouse new writes it there) or change its kind`;
}

function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === "string" && (RECORD_KINDS as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates one record file. Never throws: every problem is a finding at the line
 * and column it concerns, and a record with findings is invalid.
 */
export function parseRecord(path: string, text: string, config: Config): ParsedRecord {
  try {
    return readRecord(path, text, config);
  } catch (error) {
    // Fail closed: a record gatehouse could not read is invalid, never silently accepted.
    return invalidRecord(path, "record/internal", internalMessage(error));
  }
}

/** A record that could not be read at all: one finding at its start, and no data. */
export function invalidRecord(path: string, code: string, message: string): ParsedRecord {
  const start = { path, line: 1, column: 1 };
  return {
    path,
    kind: null,
    id: null,
    state: null,
    data: {},
    findings: [{ ...start, code, message }],
    locate: () => start,
  };
}

function internalMessage(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `gatehouse could not read this record (${reason}), so it counts as invalid; please report this as a bug`;
}

function readRecord(path: string, text: string, config: Config): ParsedRecord {
  const parse = parseYamlMap(path, text);
  const { locate } = parse;
  const findings: Finding[] = [...parse.findings];
  const result = (data: Record<string, unknown>): ParsedRecord => ({
    path,
    kind: isRecordKind(data.kind) ? data.kind : null,
    id: typeof data.id === "string" ? data.id : null,
    state: typeof data.state === "string" ? data.state : null,
    data,
    findings,
    locate,
  });
  if (findings.length > 0) return result({});

  const directoryKind = recordKindForPath(path, config);
  if (!isPlainObject(parse.data)) {
    const what =
      parse.data === undefined || parse.data === null
        ? "is empty"
        : `holds ${describeValue(parse.data)}`;
    findings.push({
      ...locate(""),
      code: "record/schema",
      message: `the file ${what}, but a record is a map with apiVersion, kind, id, title and state; start from a template (gatehouse new)`,
    });
    return result({});
  }
  const data = parse.data;

  const declared = data.kind;
  if (isRecordKind(declared)) {
    if (directoryKind === null) {
      findings.push({
        ...locate("/kind"),
        code: "record/directory",
        message: placeMessage(path, declared, config),
      });
    } else if (declared !== directoryKind) {
      findings.push({
        ...locate("/kind"),
        code: "record/directory",
        message: `kind is ${declared}, but ${directoryOf(config.records[directoryKind])} holds ${directoryKind} records; move the file to ${directoryOf(config.records[declared])} or correct the kind`,
      });
    }
  } else if (directoryKind === null && lookalikeKindForPath(path, config) !== null) {
    const kind = lookalikeKindForPath(path, config) as RecordKind;
    findings.push({
      ...locate(declared === undefined ? "" : "/kind"),
      code: "record/directory",
      message: placeMessage(path, kind, config),
    });
  } else if (directoryKind === null) {
    const hint = typeof declared === "string" ? suggestion(declared, RECORD_KINDS) : "";
    findings.push({
      ...locate(declared === undefined ? "" : "/kind"),
      code: "record/schema",
      message: `kind must be one of ${RECORD_KINDS.join(", ")}; found ${describeValue(declared)}${hint}`,
    });
  }

  // A record in the wrong directory is reported once: the schema of either kind would only
  // add noise until the file or its kind is fixed.
  const misplaced = isRecordKind(declared) && directoryKind !== null && declared !== directoryKind;
  const schemaKind = isRecordKind(declared) ? declared : directoryKind;
  if (schemaKind !== null && !misplaced) {
    findings.push(
      ...schemaFindings(validators[schemaKind], data, parse, "record/schema", "the record"),
    );
    findings.push(...placeholderFindings(data, locate));
  }

  const fileId = idOfPath(path);
  // The id's place is looked up only when the id is wrong, which is rare.
  const idPlace = typeof data.id === "string" && data.id !== fileId ? locate("/id") : null;
  const idReported =
    idPlace !== null &&
    findings.some((f) => f.line === idPlace.line && f.column === idPlace.column);
  if (idPlace !== null && !idReported) {
    findings.push({
      ...idPlace,
      code: "record/id-mismatch",
      message: `id is "${data.id}" but the file is named ${fileId}; the id must equal the file name, so rename the file or correct the id`,
    });
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return result(data);
}
