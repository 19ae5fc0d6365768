/**
 * `workflows.yml`: record kinds, their sections and transitions, extra path rules, signature
 * rules and named lists, mapped onto the model the evaluator reads.
 */
import { RECORD_KINDS } from "../types.js";
import type { Finding, RecordKind, RoleId } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import { createAjv, schemaFindings } from "../yaml/schema-findings.js";
import type { KindWorkflow, ListEntry, PathRule, WorkflowsPolicy } from "./model.js";
import { parseKindWorkflow } from "./parse-kind-workflow.js";
import type { RawKind, WorkflowsContext } from "./parse-kind-workflow.js";
import { unknownRoleFinding } from "./role-reference.js";
import workflowsSchema from "./schemas/workflows.schema.json" with { type: "json" };

export { ANY_STATE } from "./kind-states.js";

const validateWorkflows = createAjv().compile(workflowsSchema);

interface RawWorkflows {
  defaults?: { "four-eyes"?: boolean };
  kinds: Partial<Record<RecordKind, RawKind>>;
  rules?: Array<{ name: string; paths: string[]; requires: RoleId[]; checks?: string[] }>;
  signatures?: { required: boolean; paths?: string[]; "trust-github-web-commits"?: boolean };
  lists?: Record<string, RawListEntry[]>;
  links?: string[];
}

type RawListEntry =
  string | { name: string; covers?: string[]; environments?: string[]; description?: string };

/**
 * Parses and validates workflows.yml against the roles of roles.yml (`knownRoles`, defined in
 * `rolesPath`). Beside the schema it checks every role, state, section and list a workflow
 * names, suggesting the closest existing name.
 */
export function parseWorkflows(
  path: string,
  text: string,
  knownRoles: ReadonlySet<RoleId>,
  rolesPath: string,
): { workflows: WorkflowsPolicy | null; findings: Finding[] } {
  const parse = parseYaml(path, text);
  if (parse.findings.length > 0) return { workflows: null, findings: parse.findings };
  const findings = schemaFindings(validateWorkflows, parse.data, parse, "policy/schema");
  if (findings.length > 0) return { workflows: null, findings };

  const raw = parse.data as RawWorkflows;
  const listEntries = Object.fromEntries(
    Object.entries(raw.lists ?? {}).map(([name, entries]) => [
      name,
      entries.map((entry, i): ListEntry =>
        typeof entry === "string"
          ? {
              name: entry,
              covers: null,
              environments: null,
              at: parse.locate(`/lists/${name}/${i}`),
            }
          : {
              name: entry.name,
              covers: entry.covers ?? null,
              environments: entry.environments ?? null,
              at: parse.locate(`/lists/${name}/${i}`),
            },
      ),
    ]),
  );
  const lists = Object.fromEntries(
    Object.entries(listEntries).map(([name, entries]) => [name, entries.map((e) => e.name)]),
  );
  const checkRole = (role: RoleId, pointer: string): void => {
    const finding = unknownRoleFinding(role, knownRoles, parse.locate(pointer), rolesPath);
    if (finding !== undefined) findings.push(finding);
  };
  const context: WorkflowsContext = { parse, lists, findings, checkRole };

  const kinds: Partial<Record<RecordKind, KindWorkflow>> = {};
  for (const kind of RECORD_KINDS) {
    const rawKind = raw.kinds[kind];
    if (rawKind !== undefined) kinds[kind] = parseKindWorkflow(kind, rawKind, context);
  }

  const rules: PathRule[] = (raw.rules ?? []).map((rule, i) => {
    rule.requires.forEach((role, j) => checkRole(role, `/rules/${i}/requires/${j}`));
    return {
      name: rule.name,
      paths: rule.paths,
      requires: rule.requires,
      checks: rule.checks ?? [],
      at: parse.locate(`/rules/${i}`),
    };
  });

  const workflows: WorkflowsPolicy = {
    fourEyes: raw.defaults?.["four-eyes"] ?? true,
    kinds,
    rules,
    signatures: {
      required: raw.signatures?.required ?? false,
      paths: raw.signatures?.paths ?? ["**"],
      trustGithubWebCommits: raw.signatures?.["trust-github-web-commits"] ?? false,
    },
    lists,
    listEntries,
    links: raw.links ?? [],
  };
  return { workflows, findings };
}
