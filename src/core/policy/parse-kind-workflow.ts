/**
 * One record kind of `workflows.yml` (`kinds.<Kind>`): its sections, transitions and states,
 * each name it uses checked against the record's schema and the rest of the file.
 */
import type { Finding, RecordKind, RoleId } from "../types.js";
import { SECTION_FIELDS } from "../records/section-fields.js";
import { topLevelFields } from "../records/top-level-fields.js";
import type { YamlParse } from "../yaml/parse-yaml.js";
import { didYouMean } from "./did-you-mean.js";
import { kindStates } from "./kind-states.js";
import type { Condition, KindWorkflow, SectionSpec, Transition } from "./model.js";
import { parseCondition } from "./parse-condition.js";
import type { RawCondition } from "./parse-condition.js";

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

export interface RawKind {
  initial: string;
  sections?: Record<string, RoleId | { owner: RoleId; required?: string[] }>;
  transitions: RawTransition[];
  free?: string[];
  fixed?: string[];
}

/** What a kind is read against: the whole file, its named lists, and where findings go. */
export interface WorkflowsContext {
  parse: YamlParse;
  lists: Record<string, string[]>;
  findings: Finding[];
  /** Adds a finding when `role`, named at `pointer`, is not defined in roles.yml. */
  checkRole(role: RoleId, pointer: string): void;
}

/**
 * The workflow of `kind` from its schema-valid declaration. Every section, field, state and
 * role it names that does not exist adds a finding to `context.findings`, suggesting the
 * closest existing name.
 */
export function parseKindWorkflow(
  kind: RecordKind,
  rawKind: RawKind,
  context: WorkflowsContext,
): KindWorkflow {
  const { parse, findings, checkRole } = context;
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
      (list ?? []).flatMap(
        (c, j) => parseCondition(c, `${at}/${key}/${j}`, parse, context.lists, findings) ?? [],
      );
    checkFields(kind, t.writes, `${at}/writes`, context);
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
  checkFields(kind, rawKind.free, `${base}/free`, context);
  checkFields(kind, rawKind.fixed, `${base}/fixed`, context);

  const { states, openStates } = kindStates(
    kind,
    rawKind.initial,
    rawKind.transitions,
    transitions,
    parse,
    findings,
  );
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
  return {
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

/** Every field a `free`, `fixed` or `writes` list names must be a top-level field of the kind. */
function checkFields(
  kind: RecordKind,
  list: string[] | undefined,
  pointer: string,
  { parse, findings }: WorkflowsContext,
): void {
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

/** "a ChangeRequest", "an IncidentAnalysis". */
function article(kind: RecordKind): string {
  return /^[AEIOU]/.test(kind) ? "an" : "a";
}
