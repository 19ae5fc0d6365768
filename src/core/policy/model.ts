/**
 * The policy as the evaluator sees it, after loading and validation. Loaders in this folder
 * turn the YAML files of the base commit into these shapes; every part keeps the place it came
 * from so that a rule can point at it.
 */
import type { Finding, Login, RecordKind, RoleId, SourceLocation, TeamName } from "../types.js";

/** `.github/gatehouse.yml`, with defaults filled in. */
export interface Config {
  /** Directory of the policy files, relative to the repository root. Default "policies". */
  policies: string;
  /** Record kind -> directory of its records. */
  records: Record<RecordKind, string>;
  /** Use `.github/CODEOWNERS` instead of `<policies>/OWNERS`. Default false. */
  codeowners: boolean;
}

export const DEFAULT_CONFIG: Config = {
  policies: "policies",
  records: {
    ChangeRequest: "changes",
    IncidentAnalysis: "incidents",
    ImprovementPlan: "improvements",
  },
  codeowners: false,
};

/** A member entry of a role: a person or a team. */
export type Member = { login: Login } | { team: TeamName };

export interface Role {
  id: RoleId;
  members: Member[];
  at: SourceLocation;
}

export interface RolesPolicy {
  roles: Map<RoleId, Role>;
  /** Pairs of roles that no one person may both act in on the same record. */
  separationOfDuties: Array<{ roles: [RoleId, RoleId]; at: SourceLocation }>;
}

/** An owner as OWNERS names it. */
export type Owner = { login: Login } | { team: TeamName } | { role: RoleId };

/** One line of OWNERS. An entry with no owners removes ownership of what it matches. */
export interface OwnersEntry {
  pattern: string;
  owners: Owner[];
  at: SourceLocation;
}

/**
 * A test on a record's field, addressed by JSON pointer ("/testing/conclusion").
 * Exactly one of the tests is set; `anyOf` joins conditions where one must hold.
 */
export type Condition =
  | { field: string; equals: unknown; at: SourceLocation }
  | { field: string; in: unknown[]; at: SourceLocation }
  | { field: string; present: boolean; at: SourceLocation }
  /** The field's value is one of the named list in workflows.yml (e.g. standard-changes). */
  | { field: string; oneOf: string; at: SourceLocation }
  | { anyOf: Condition[]; at: SourceLocation };

/** `(new)` in workflows.yml: the record is created by this pull request. */
export const NEW_STATE = "(new)";

export interface Transition {
  /** States it may start from; `["(new)"]` for creation. `["*"]` matches every open state. */
  from: string[];
  to: string;
  /** Only records matching all of these use this transition (e.g. `/type equals emergency`). */
  when: Condition[];
  /** One approval per entry, each by a different person holding that role. */
  requires: RoleId[];
  /** JSON pointers of sections that must be complete. */
  complete: string[];
  conditions: Condition[];
  /** Named check runs or statuses that must be "success" on the head. */
  checks: string[];
  /** The transition must happen inside a change window of the record's environment. */
  window: "required" | "ignore-freezes" | "none";
  /**
   * Top-level fields (JSON pointers such as "/improvementsReason") this transition writes
   * besides its `complete` sections, the fields of its conditions and (with a window) /window;
   * see `writtenFields` in core/evaluate/approved-content.
   */
  writes: string[];
  at: SourceLocation;
}

export interface SectionSpec {
  /** JSON pointer of the section, e.g. "/requirements". */
  pointer: string;
  owner: RoleId;
  /** Fields that must be present and non-empty for the section to be complete. */
  required: string[];
  at: SourceLocation;
}

export interface KindWorkflow {
  kind: RecordKind;
  initial: string;
  /** Every state a record of this kind may be in. */
  states: string[];
  /** States from which `*` transitions (like cancel) may start. */
  openStates: string[];
  sections: SectionSpec[];
  transitions: Transition[];
  /** Top-level fields anyone may edit past the initial state without approvals again. */
  free: string[];
  /**
   * Top-level fields that never change once the record leaves its initial state, beside the
   * fields a transition's `when` names (see `fixedFields` in core/evaluate/approved-content).
   */
  fixed: string[];
  at: SourceLocation;
}

export interface PathRule {
  name: string;
  paths: string[];
  requires: RoleId[];
  checks: string[];
  at: SourceLocation;
}

export interface SignaturePolicy {
  required: boolean;
  /** Globs; a pull request touching any of them needs every commit signed. */
  paths: string[];
  trustGithubWebCommits: boolean;
}

/**
 * One entry of a named list. A pre-approved standard change may say which deployment files
 * (`covers`) and environments it may change; null where the entry does not limit it.
 */
export interface ListEntry {
  name: string;
  covers: string[] | null;
  environments: string[] | null;
  at: SourceLocation;
}

export interface WorkflowsPolicy {
  fourEyes: boolean;
  kinds: Partial<Record<RecordKind, KindWorkflow>>;
  rules: PathRule[];
  signatures: SignaturePolicy;
  /** Named lists a `oneOf` condition can refer to, such as `standard-changes`: their names. */
  lists: Record<string, string[]>;
  /** The same lists with what each entry allows (a standard change's covers and environments). */
  listEntries?: Record<string, ListEntry[]>;
  /** Globs where a pull request may add or change a symbolic link or a submodule entry. */
  links: string[];
}

/** Everything loaded from the policies directory at the base commit. */
export interface Policy {
  config: Config;
  roles: RolesPolicy;
  owners: OwnersEntry[];
  workflows: WorkflowsPolicy;
  /** Raw files of optional parts that later stages parse themselves (privacy, calendar). */
  files: Map<string, string>;
  /** Path -> content of every file under `<policies>/keys/`. */
  keys: Map<string, string>;
}

/** A policy load either gives a policy, or findings that explain why it cannot. */
export type PolicyLoad =
  { ok: true; policy: Policy; findings: Finding[] } | { ok: false; findings: Finding[] };
