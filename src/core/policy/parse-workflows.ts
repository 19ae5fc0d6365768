/**
 * `workflows.yml`: record kinds, their sections and transitions, extra path rules, signature
 * rules and named lists, mapped onto the model the evaluator reads.
 */
import { RECORD_KINDS } from "../types.js";
import type { Finding, RecordKind, RoleId, SourceLocation } from "../types.js";
import { SECTION_FIELDS } from "../records/section-fields.js";
import { topLevelFields } from "../records/top-level-fields.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import type { YamlParse } from "../yaml/parse-yaml.js";
import { createAjv, schemaFindings } from "../yaml/schema-findings.js";
import { didYouMean } from "./did-you-mean.js";
import { NEW_STATE } from "./model.js";
import type {
  Condition,
  KindWorkflow,
  ListEntry,
  PathRule,
  SectionSpec,
  Transition,
  WorkflowsPolicy,
} from "./model.js";
import { unknownRoleFinding } from "./role-reference.js";
import workflowsSchema from "./schemas/workflows.schema.json" with { type: "json" };

const validateWorkflows = createAjv().compile(workflowsSchema);

/** `from: "*"`: every open state of the kind. */
export const ANY_STATE = "*";

interface RawCondition {
  field?: string;
  equals?: unknown;
  in?: unknown[];
  present?: boolean;
  "one-of"?: string;
  "any-of"?: RawCondition[];
}

interface RawTransition {
  from: string | string[];
  to: string;
  when?: RawCondition[];
  requires?: RoleId[];
  complete?: string[];
  conditions?: RawCondition[];
  checks?: string[];
  window?: Transition["window"];
  writes?: string[];
}

interface RawKind {
  initial: string;
  sections?: Record<string, RoleId | { owner: RoleId; required?: string[] }>;
  transitions: RawTransition[];
  free?: string[];
  fixed?: string[];
}

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
  const conditionOf = (cond: RawCondition, pointer: string): Condition | undefined =>
    toCondition(cond, pointer, parse, lists, findings);

  const kinds: Partial<Record<RecordKind, KindWorkflow>> = {};
  for (const kind of RECORD_KINDS) {
    const rawKind = raw.kinds[kind];
    if (rawKind === undefined) continue;
    const base = `/kinds/${kind}`;
    const sections: SectionSpec[] = [];
    const schemaSections = Object.keys(SECTION_FIELDS[kind]);
    // Misspelt declarations, by the schema section they were meant to be: a use of the right
    // name is then no mistake of its own, and must not be blamed or "corrected" to the typo.
    const meantBy = new Map<string, string>();
    for (const [pointer, spec] of Object.entries(rawKind.sections ?? {})) {
      const at = `${base}/sections/${pointer.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (!schemaSections.includes(pointer)) {
        const close = didYouMean(pointer, schemaSections);
        if (close !== undefined) meantBy.set(close, pointer);
        findings.push({
          ...parse.locateKey(at),
          code: "policy/unknown-section",
          message: `section "${pointer}" is not a section of ${article(kind)} ${kind}; ${close !== undefined ? `did you mean "${close}"?` : `its sections are ${schemaSections.join(", ")}; correct the name or remove it`}`,
        });
      }
      const owner = typeof spec === "string" ? spec : spec.owner;
      checkRole(owner, typeof spec === "string" ? at : `${at}/owner`);
      const required =
        typeof spec === "string" || spec.required === undefined
          ? (SECTION_FIELDS[kind][pointer] ?? [])
          : spec.required;
      sections.push({ pointer, owner, required, at: parse.locateKey(at) });
    }

    const transitions: Transition[] = [];
    for (const [i, t] of rawKind.transitions.entries()) {
      const at = `${base}/transitions/${i}`;
      (t.requires ?? []).forEach((role, j) => checkRole(role, `${at}/requires/${j}`));
      const conditions = (list: RawCondition[] | undefined, key: string): Condition[] =>
        (list ?? []).flatMap((c, j) => conditionOf(c, `${at}/${key}/${j}`) ?? []);
      checkFields(kind, t.writes, `${at}/writes`);
      transitions.push({
        from: Array.isArray(t.from) ? t.from : [t.from],
        to: t.to,
        when: conditions(t.when, "when"),
        requires: t.requires ?? [],
        complete: t.complete ?? [],
        conditions: conditions(t.conditions, "conditions"),
        checks: t.checks ?? [],
        window: t.window ?? "none",
        writes: t.writes ?? [],
        at: parse.locate(at),
      });
    }
    checkFields(kind, rawKind.free, `${base}/free`);
    checkFields(kind, rawKind.fixed, `${base}/fixed`);

    const states = statesOf(rawKind.initial, transitions);
    const openStates = states.filter((s) =>
      transitions.some((t) => !t.from.includes(ANY_STATE) && t.from.includes(s)),
    );
    checkStates(kind, rawKind, transitions, parse, findings);
    const sectionPointers = sections.map((s) => s.pointer);
    rawKind.transitions.forEach((t, i) =>
      (t.complete ?? []).forEach((pointer, j) => {
        if (sectionPointers.includes(pointer) || meantBy.has(pointer)) return;
        const close = didYouMean(
          pointer,
          sectionPointers.filter((p) => schemaSections.includes(p)),
        );
        findings.push({
          ...parse.locate(`${base}/transitions/${i}/complete/${j}`),
          code: "policy/unknown-section",
          message: `section "${pointer}" is not declared under kinds.${kind}.sections; ${close !== undefined ? `did you mean "${close}"?` : `the sections are ${sectionPointers.join(", ") || "none"}; declare it there`}`,
        });
      }),
    );
    kinds[kind] = {
      kind,
      initial: rawKind.initial,
      states,
      openStates,
      sections,
      transitions,
      free: rawKind.free ?? [],
      fixed: rawKind.fixed ?? [],
      at: parse.locateKey(base),
    };
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

  /** Every field a `free`, `fixed` or `writes` list names must be a top-level field of the kind. */
  function checkFields(kind: RecordKind, list: string[] | undefined, pointer: string): void {
    const known = topLevelFields(kind);
    (list ?? []).forEach((field, i) => {
      if (known.includes(field)) return;
      const close = didYouMean(field, known);
      findings.push({
        ...parse.locate(`${pointer}/${i}`),
        code: "policy/unknown-field",
        message: `"${field}" is not a field ${article(kind)} ${kind} may change; ${close !== undefined ? `did you mean "${close}"?` : `the fields are ${known.join(", ")}`}`,
      });
    });
  }
}

/** The initial state, then every state a transition names, in order of appearance. */
function statesOf(initial: string, transitions: Transition[]): string[] {
  const states = new Set<string>([initial]);
  for (const t of transitions) {
    for (const s of [...t.from, t.to]) if (s !== NEW_STATE && s !== ANY_STATE) states.add(s);
  }
  return [...states];
}

/**
 * A state a transition starts from must be reachable: the initial state or the target of some
 * transition. Anything else is almost always a typo, which would silently open a new state.
 */
function checkStates(
  kind: RecordKind,
  rawKind: RawKind,
  transitions: Transition[],
  parse: YamlParse,
  findings: Finding[],
): void {
  const reachable = new Set([rawKind.initial, ...transitions.map((t) => t.to)]);
  rawKind.transitions.forEach((t, i) => {
    const from = Array.isArray(t.from) ? t.from : [t.from];
    from.forEach((state, j) => {
      if (state === NEW_STATE || state === ANY_STATE || reachable.has(state)) return;
      const close = didYouMean(state, reachable);
      const pointer = `/kinds/${kind}/transitions/${i}/from${Array.isArray(t.from) ? `/${j}` : ""}`;
      findings.push({
        ...parse.locate(pointer),
        code: "policy/unknown-state",
        message: `state "${state}" of ${kind} is neither the initial state nor reached by any transition; ${close !== undefined ? `did you mean "${close}"?` : `the states are ${[...reachable].join(", ")}; use one of them, or add a transition to "${state}"`}`,
      });
    });
    if (t.to === NEW_STATE || t.to === ANY_STATE) {
      findings.push({
        ...parse.locate(`/kinds/${kind}/transitions/${i}/to`),
        code: "policy/unknown-state",
        message: `a transition cannot go to "${t.to}"; name the state the record moves to`,
      });
    }
  });
}

function toCondition(
  raw: RawCondition,
  pointer: string,
  parse: YamlParse,
  lists: Record<string, string[]>,
  findings: Finding[],
): Condition | undefined {
  const at: SourceLocation = parse.locate(pointer);
  const tests = (["equals", "in", "present", "one-of", "any-of"] as const).filter(
    (key) => key in raw,
  );
  const bad = (message: string): undefined => {
    findings.push({ ...at, code: "policy/condition", message });
    return undefined;
  };
  if (tests.length !== 1) {
    return bad(
      `a condition needs exactly one of equals, in, present, one-of or any-of; found ${tests.length === 0 ? "none" : tests.join(", ")}`,
    );
  }
  const test = tests[0];
  if (test === "any-of") {
    if (raw.field !== undefined)
      return bad(`an any-of condition takes no field; move "field" into its conditions`);
    const anyOf = (raw["any-of"] ?? []).flatMap(
      (c, i) => toCondition(c, `${pointer}/any-of/${i}`, parse, lists, findings) ?? [],
    );
    return { anyOf, at };
  }
  if (raw.field === undefined)
    return bad(`this condition has no field; add field: /<section>/<field>`);
  const field = raw.field;
  switch (test) {
    case "equals":
      return { field, equals: raw.equals, at };
    case "in":
      return { field, in: raw.in ?? [], at };
    case "present":
      return { field, present: raw.present ?? true, at };
    default: {
      const name = raw["one-of"] ?? "";
      if (!(name in lists)) {
        const close = didYouMean(name, Object.keys(lists));
        findings.push({
          ...parse.locate(`${pointer}/one-of`),
          code: "policy/unknown-list",
          message: `list "${name}" is not defined under lists:; ${close !== undefined ? `did you mean "${close}"?` : "add it there"}`,
        });
        return undefined;
      }
      return { field, oneOf: name, at };
    }
  }
}

/** "a ChangeRequest", "an IncidentAnalysis". */
function article(kind: RecordKind): string {
  return /^[AEIOU]/.test(kind) ? "an" : "a";
}
