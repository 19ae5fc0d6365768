/**
 * The JSON Schemas `gatehouse init` writes into `schemas/` for editors, and which file each one
 * checks. They are the very objects the core validates with (the privacy one is built from the
 * privacy parser's own lists), so an editor accepts what gatehouse accepts.
 */
import calendarSchema from "../core/calendar/calendar.schema.json" with { type: "json" };
import deploymentsSchema from "../core/deploy/deployments.schema.json" with { type: "json" };
import { CONFIG_PATH } from "../core/policy/load-config.js";
import configSchema from "../core/policy/schemas/config.schema.json" with { type: "json" };
import rolesSchema from "../core/policy/schemas/roles.schema.json" with { type: "json" };
import workflowsSchema from "../core/policy/schemas/workflows.schema.json" with { type: "json" };
import { PRIVACY_SCHEMA } from "../core/privacy/privacy-schema.js";
import { RECORD_SCHEMAS } from "../core/records/parse-record.js";
import type { RecordKind } from "../core/types.js";

/** The folder of a governed repository that holds the schemas. */
export const SCHEMAS_DIR = "schemas";

/** The file name of each kind's JSON Schema, in `schemas/` of a governed repository. */
export const SCHEMA_FILES: Record<RecordKind, string> = {
  ChangeRequest: "change-request.schema.json",
  IncidentAnalysis: "incident-analysis.schema.json",
  ImprovementPlan: "improvement-plan.schema.json",
};

/** The configuration and policy files `init` writes, by their path, with their schema. */
export const POLICY_SCHEMAS: ReadonlyArray<{ path: string; file: string; schema: object }> = [
  { path: CONFIG_PATH, file: "config.schema.json", schema: configSchema },
  { path: "policies/roles.yml", file: "roles.schema.json", schema: rolesSchema },
  { path: "policies/workflows.yml", file: "workflows.schema.json", schema: workflowsSchema },
  { path: "policies/calendar.yml", file: "calendar.schema.json", schema: calendarSchema },
  { path: "policies/privacy.yml", file: "privacy.schema.json", schema: PRIVACY_SCHEMA },
  { path: "policies/deployments.yml", file: "deployments.schema.json", schema: deploymentsSchema },
];

/** Every schema `init` writes: file name in `schemas/` -> schema. */
export function editorSchemas(): Map<string, object> {
  const schemas = new Map<string, object>();
  for (const [kind, file] of Object.entries(SCHEMA_FILES) as Array<[RecordKind, string]>) {
    schemas.set(file, RECORD_SCHEMAS[kind]);
  }
  for (const { file, schema } of POLICY_SCHEMAS) schemas.set(file, schema);
  return schemas;
}

const MODELINE = /^# yaml-language-server: \$schema=(\S*)/m;

/**
 * `text` of the YAML file at `path` with its `# yaml-language-server: $schema=…` line pointing
 * at `schemas/` relative to where the file lands, so that editors validate while typing. A file
 * with a schema line has it re-pointed; a configuration or policy file without one gets one on
 * top. Other files are returned unchanged.
 */
export function withSchemaLine(text: string, path: string): string {
  const up = "../".repeat(path.split("/").length - 1);
  const known = new Set(editorSchemas().keys());
  const named = MODELINE.exec(text)?.[1]?.split("/").pop();
  if (named !== undefined) {
    return known.has(named)
      ? text.replace(MODELINE, `# yaml-language-server: $schema=${up}${SCHEMAS_DIR}/${named}`)
      : text;
  }
  const policy = POLICY_SCHEMAS.find((entry) => entry.path === path);
  return policy === undefined
    ? text
    : `# yaml-language-server: $schema=${up}${SCHEMAS_DIR}/${policy.file}\n${text}`;
}
