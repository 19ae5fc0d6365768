import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../src/core/policy/load-policy.js";
import type { Policy, Transition } from "../../../src/core/policy/model.js";
import type { RecordKind } from "../../../src/core/types.js";

const PACK = new URL("../../../policies/finance/", import.meta.url);

/** The finance pack as the files of a governed repository's base commit. */
function financeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(PACK)) {
    if (name.endsWith(".yml") || name === "OWNERS") {
      files.set(`policies/${name}`, readFileSync(new URL(name, PACK), "utf8"));
    }
  }
  return files;
}

function loadFinance(): Policy {
  const load = loadPolicy(financeFiles());
  expect(load.findings).toEqual([]);
  if (!load.ok) throw new Error("the finance pack did not load");
  return load.policy;
}

describe("the finance pack", () => {
  const policy = loadFinance();

  it("loads with zero findings and every role of DESIGN.md", () => {
    expect([...policy.roles.roles.keys()].sort()).toEqual(
      [
        "requirements-liaison",
        "architect",
        "dev-lead",
        "test-lead",
        "release-manager",
        "qa",
        "ops-lead",
        "dev-manager",
        "ops-manager",
        "security-admin",
      ].sort(),
    );
    expect(policy.roles.separationOfDuties.map((p) => p.roles)).toEqual([
      ["dev-lead", "ops-lead"],
      ["release-manager", "ops-lead"],
      ["dev-lead", "test-lead"],
    ]);
    expect(policy.roles.roles.get("qa")?.members).toEqual([{ team: "acme/qa" }]);
  });

  it.each([
    ["ChangeRequest", "/requirements", "requirements-liaison", ["scope"]],
    ["ChangeRequest", "/architecture", "architect", ["review"]],
    [
      "ChangeRequest",
      "/deployment",
      "dev-lead",
      ["version", "artifact", "strategy", "steps", "rollback"],
    ],
    ["ChangeRequest", "/testing", "test-lead", ["conclusion", "report"]],
    ["ChangeRequest", "/execution", "ops-lead", ["result", "executedAt"]],
    ["ChangeRequest", "/review", "qa", ["summary"]],
    ["IncidentAnalysis", "/collection", "ops-lead", ["occurredAt", "detectedAt", "symptoms"]],
    ["IncidentAnalysis", "/analysis", "dev-lead", ["rootCause", "category", "handlingStrategy"]],
    ["IncidentAnalysis", "/confirmation", "ops-lead", ["decision"]],
    ["IncidentAnalysis", "/arbitration", "ops-manager", ["decision", "reason"]],
    ["ImprovementPlan", "/opportunity", "ops-lead", ["description"]],
    ["ImprovementPlan", "/plan", "dev-lead", ["actions", "owner", "due"]],
    ["ImprovementPlan", "/result", "dev-lead", ["summary"]],
    ["ImprovementPlan", "/confirmation", "ops-lead", ["decision"]],
  ] as const)("%s section %s is owned by %s", (kind, pointer, owner, required) => {
    const section = policy.workflows.kinds[kind]?.sections.find((s) => s.pointer === pointer);
    expect(section).toMatchObject({ owner, required });
  });

  /** The first transition (from, to) for a record whose `/type` is `type`, as the evaluator picks it. */
  function transition(kind: RecordKind, from: string, to: string, type?: string): Transition {
    const found = policy.workflows.kinds[kind]?.transitions.find(
      (t) =>
        t.from.includes(from) &&
        t.to === to &&
        t.when.every((c) => "equals" in c && c.field === "/type" && c.equals === type),
    );
    if (!found) throw new Error(`no ${kind} transition ${from} -> ${to} (${type ?? "any type"})`);
    return found;
  }

  it.each([
    // kind, from, to, type, requires, window
    ["ChangeRequest", "(new)", "draft", undefined, [], "none"],
    ["ChangeRequest", "draft", "requested", undefined, ["release-manager", "qa"], "none"],
    ["ChangeRequest", "requested", "scheduled", undefined, ["ops-lead"], "required"],
    [
      "ChangeRequest",
      "draft",
      "scheduled",
      "emergency",
      ["dev-manager", "ops-manager"],
      "ignore-freezes",
    ],
    ["ChangeRequest", "draft", "scheduled", "standard", ["ops-lead"], "required"],
    ["ChangeRequest", "scheduled", "done", undefined, [], "none"],
    ["ChangeRequest", "scheduled", "failed", undefined, [], "none"],
    ["ChangeRequest", "scheduled", "rolled-back", undefined, [], "none"],
    ["ChangeRequest", "done", "closed", undefined, ["qa"], "none"],
    ["ChangeRequest", "failed", "closed", undefined, ["qa"], "none"],
    ["ChangeRequest", "rolled-back", "closed", undefined, ["qa"], "none"],
    ["ChangeRequest", "done", "closed", "emergency", ["qa", "ops-manager"], "none"],
    ["ChangeRequest", "*", "cancelled", undefined, ["release-manager"], "none"],
    ["IncidentAnalysis", "(new)", "collected", undefined, [], "none"],
    ["IncidentAnalysis", "collected", "analyzed", undefined, ["dev-manager", "qa"], "none"],
    ["IncidentAnalysis", "analyzed", "confirmed", undefined, ["ops-lead"], "none"],
    ["IncidentAnalysis", "analyzed", "disputed", undefined, ["ops-lead"], "none"],
    ["IncidentAnalysis", "disputed", "confirmed", undefined, ["ops-manager"], "none"],
    ["IncidentAnalysis", "disputed", "collected", undefined, ["ops-manager"], "none"],
    ["IncidentAnalysis", "confirmed", "closed", undefined, ["qa"], "none"],
    ["ImprovementPlan", "(new)", "proposed", undefined, [], "none"],
    ["ImprovementPlan", "proposed", "planned", undefined, [], "none"],
    ["ImprovementPlan", "planned", "approved", undefined, ["dev-manager", "ops-manager"], "none"],
    ["ImprovementPlan", "approved", "implemented", undefined, ["qa"], "none"],
    ["ImprovementPlan", "implemented", "confirmed", undefined, ["ops-lead"], "none"],
    ["ImprovementPlan", "confirmed", "closed", undefined, ["qa"], "none"],
  ] as const)(
    "%s %s -> %s (%s) requires %j, window %s",
    (kind, from, to, type, requires, window) => {
      expect(transition(kind, from, to, type)).toMatchObject({ requires, window });
    },
  );

  it("asks the four provider sections, a passed test and an approved architecture before a change is requested", () => {
    const t = transition("ChangeRequest", "draft", "requested");
    expect(t.complete).toEqual(["/requirements", "/architecture", "/deployment", "/testing"]);
    expect(t.conditions).toEqual([
      expect.objectContaining({ field: "/testing/conclusion", equals: "passed" }),
      expect.objectContaining({ field: "/architecture/review", equals: "approved" }),
    ]);
  });

  it("lets a standard change skip initiation only for a listed standard change", () => {
    const t = transition("ChangeRequest", "draft", "scheduled", "standard");
    expect(t.conditions).toEqual([
      expect.objectContaining({ field: "/standard", oneOf: "standard-changes" }),
    ]);
    expect(policy.workflows.lists["standard-changes"]?.length).toBeGreaterThanOrEqual(2);
    // A normal change has no shortcut from draft to scheduled.
    expect(() => transition("ChangeRequest", "draft", "scheduled", "normal")).toThrow();
  });

  it.each(["done", "failed", "rolled-back"])(
    "moves a change to %s only when the execution says so",
    (to) => {
      const t = transition("ChangeRequest", "scheduled", to);
      expect(t.conditions).toEqual([
        expect.objectContaining({ field: "/execution/result", equals: to }),
      ]);
      expect(t.complete).toEqual(["/execution"]);
    },
  );

  it("closes an incident with improvements linked or explained as none", () => {
    const [condition] = transition("IncidentAnalysis", "confirmed", "closed").conditions;
    expect(condition).toMatchObject({
      anyOf: [
        { field: "/improvements/0", present: true },
        { field: "/improvements", equals: "none" },
      ],
    });
  });

  it("derives states and open states", () => {
    const change = policy.workflows.kinds.ChangeRequest;
    expect(change?.states).toEqual(
      expect.arrayContaining([
        "draft",
        "requested",
        "scheduled",
        "done",
        "failed",
        "rolled-back",
        "closed",
        "cancelled",
      ]),
    );
    expect(change?.openStates.sort()).toEqual([
      "done",
      "draft",
      "failed",
      "requested",
      "rolled-back",
      "scheduled",
    ]);
  });

  it("has the path rule, signatures, four-eyes and OWNERS of DESIGN.md", () => {
    expect(policy.workflows.rules).toEqual([
      expect.objectContaining({
        name: "policy change",
        paths: ["policies/**", ".github/gatehouse.yml"],
        requires: ["security-admin", "security-admin"],
      }),
    ]);
    expect(policy.workflows.signatures).toEqual({
      required: true,
      paths: ["**"],
      trustGithubWebCommits: false,
    });
    expect(policy.workflows.fourEyes).toBe(true);
    expect(policy.owners.map((e) => [e.pattern, e.owners])).toEqual([
      ["/policies/", [{ role: "security-admin" }]],
      ["/.github/", [{ role: "security-admin" }]],
    ]);
  });

  it("passes calendar.yml on untouched and collects keys", () => {
    const files = financeFiles();
    files.set("policies/keys/zhao-min.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
    files.set("changes/CHG-2026-0042.yaml", "not policy");
    const load = loadPolicy(files);
    if (!load.ok) throw new Error("did not load");
    expect([...load.policy.keys.keys()]).toEqual(["policies/keys/zhao-min.asc"]);
    expect(load.policy.files.get("policies/calendar.yml")).toBe(files.get("policies/calendar.yml"));
    expect([...load.policy.files.keys()]).not.toContain("changes/CHG-2026-0042.yaml");
  });
});

const ROLES = `version: 1
roles:
  qa: { members: ["@acme/qa"] }
  release-manager: { members: ["@zhao-min"] }
  ops-lead: { members: ["@li-na"] }
separation-of-duties:
  - [release-manager, ops-lead]
`;

const WORKFLOWS = `version: 1
kinds:
  ChangeRequest:
    initial: draft
    sections:
      /testing: qa
    transitions:
      - from: (new)
        to: draft
      - from: draft
        to: requested
        requires: [release-manager, qa]
        complete: [/testing]
        conditions: [{ field: /standard, one-of: standard-changes }]
lists:
  standard-changes: [tls-certificate-renewal]
`;

function load(overrides: Record<string, string | undefined>) {
  const files = new Map<string, string>([
    ["policies/roles.yml", ROLES],
    ["policies/workflows.yml", WORKFLOWS],
  ]);
  for (const [path, text] of Object.entries(overrides)) {
    if (text === undefined) files.delete(path);
    else files.set(path, text);
  }
  return loadPolicy(files);
}

describe("loadPolicy finds mistakes", () => {
  it("accepts the small policy the table below breaks", () => {
    expect(load({})).toMatchObject({ ok: true, findings: [] });
  });

  it.each([
    [
      "an unknown role in requires",
      {
        "policies/workflows.yml": WORKFLOWS.replace(
          "[release-manager, qa]",
          "[release-manger, qa]",
        ),
      },
      "policies/workflows.yml",
      12,
      20,
      "policy/unknown-role",
      `role "release-manger" is not defined in policies/roles.yml; did you mean "release-manager"?`,
    ],
    [
      "an unknown section owner without a close name",
      { "policies/workflows.yml": WORKFLOWS.replace("/testing: qa", "/testing: auditor") },
      "policies/workflows.yml",
      6,
      17,
      "policy/unknown-role",
      `role "auditor" is not defined in policies/roles.yml; the defined roles are qa, release-manager, ops-lead; use one of them or add it there`,
    ],
    [
      "an unknown state",
      { "policies/workflows.yml": WORKFLOWS.replace("from: draft", "from: drfat") },
      "policies/workflows.yml",
      10,
      15,
      "policy/unknown-state",
      `state "drfat" of ChangeRequest is neither the initial state nor reached by any transition; did you mean "draft"?`,
    ],
    [
      "an initial state that no transition enters or leaves",
      { "policies/workflows.yml": WORKFLOWS.replace("initial: draft", "initial: drafts") },
      "policies/workflows.yml",
      4,
      14,
      "policy/unknown-state",
      `the initial state "drafts" of ChangeRequest is neither reached nor left by any transition; did you mean "draft"?`,
    ],
    [
      "a separation-of-duties pair with one role, saying what a pair names",
      { "policies/roles.yml": ROLES.replace("[release-manager, ops-lead]", "[release-manager]") },
      "policies/roles.yml",
      7,
      5,
      "policy/schema",
      "separation-of-duties[0] must list at least 2 entries; name two roles that one person may not combine, such as [dev-lead, ops-lead]",
    ],
    [
      "a separation-of-duties entry with three roles",
      {
        "policies/roles.yml": ROLES.replace(
          "[release-manager, ops-lead]",
          "[release-manager, ops-lead, qa]",
        ),
      },
      "policies/roles.yml",
      7,
      5,
      "policy/schema",
      "separation-of-duties[0] must list at most 2 entries; name two roles that one person may not combine, such as [dev-lead, ops-lead]",
    ],
    [
      "a version that is not 1",
      { "policies/workflows.yml": WORKFLOWS.replace("version: 1", "version: 2") },
      "policies/workflows.yml",
      1,
      10,
      "policy/schema",
      "version must be 1; found 2; write 1",
    ],
    [
      "a from state that nothing reaches, without a close name",
      { "policies/workflows.yml": WORKFLOWS.replace("from: draft", "from: archived") },
      "policies/workflows.yml",
      10,
      15,
      "policy/unknown-state",
      `state "archived" of ChangeRequest is neither the initial state nor reached by any transition; the states are draft, requested; use one of them, or add a transition to "archived"`,
    ],
    [
      "a separation-of-duties pair naming one role twice",
      {
        "policies/roles.yml": ROLES.replace("[release-manager, ops-lead]", "[ops-lead, ops-lead]"),
      },
      "policies/roles.yml",
      7,
      5,
      "policy/schema",
      `a separation-of-duties pair must name two different roles; found "ops-lead" twice; replace one with the role that ops-lead may not be combined with`,
    ],
    [
      "an unknown section in complete",
      { "policies/workflows.yml": WORKFLOWS.replace("complete: [/testing]", "complete: [/tests]") },
      "policies/workflows.yml",
      13,
      20,
      "policy/unknown-section",
      `section "/tests" is not declared under kinds.ChangeRequest.sections; did you mean "/testing"?`,
    ],
    [
      "a misspelt section declaration, blamed at its key and not at a use of the right name",
      { "policies/workflows.yml": WORKFLOWS.replace("/testing: qa", "/tesitng: qa") },
      "policies/workflows.yml",
      6,
      7,
      "policy/unknown-section",
      `section "/tesitng" is not a section of a ChangeRequest; did you mean "/testing"?`,
    ],
    [
      "a declared section the record schema does not know, without a close name",
      {
        "policies/workflows.yml": WORKFLOWS.replace("/testing: qa", "/audit: qa").replace(
          "complete: [/testing]",
          "complete: [/audit]",
        ),
      },
      "policies/workflows.yml",
      6,
      7,
      "policy/unknown-section",
      `section "/audit" is not a section of a ChangeRequest; its sections are /requirements, /architecture, /deployment, /testing, /execution, /review; correct the name or remove it`,
    ],
    [
      "an unknown list",
      {
        "policies/workflows.yml": WORKFLOWS.replace(
          "one-of: standard-changes }",
          "one-of: standard-change }",
        ),
      },
      "policies/workflows.yml",
      14,
      50,
      "policy/unknown-list",
      `list "standard-change" is not defined under lists:; did you mean "standard-changes"?`,
    ],
    [
      "a condition with two tests",
      {
        "policies/workflows.yml": WORKFLOWS.replace(
          "one-of: standard-changes }",
          "one-of: standard-changes, present: true }",
        ),
      },
      "policies/workflows.yml",
      14,
      22,
      "policy/condition",
      "a condition needs exactly one of equals, in, present, one-of or any-of; found present, one-of",
    ],
    [
      "a misspelt transition key",
      { "policies/workflows.yml": WORKFLOWS.replace("requires: [", "require: [") },
      "policies/workflows.yml",
      12,
      9,
      "policy/schema",
      `unknown field "require" in kinds.ChangeRequest.transitions[1]; did you mean "requires"? Remove it or correct its name`,
    ],
    [
      "a role id with spaces",
      { "policies/roles.yml": ROLES.replace("  qa: {", "  QA Team: {") },
      "policies/roles.yml",
      3,
      3,
      "policy/schema",
      `the name "QA Team" in roles must be a role id of lower-case letters, digits and dashes, such as release-manager`,
    ],
    [
      "a section that is not a pointer",
      { "policies/workflows.yml": WORKFLOWS.replace("/testing: qa", "testing: qa") },
      "policies/workflows.yml",
      6,
      7,
      "policy/schema",
      `the name "testing" in kinds.ChangeRequest.sections must be a section pointer such as /requirements`,
    ],
    [
      "a window value that does not exist",
      {
        "policies/workflows.yml": WORKFLOWS.replace(
          "        complete: [/testing]",
          "        complete: [/testing]\n        window: sometimes",
        ),
      },
      "policies/workflows.yml",
      14,
      17,
      "policy/schema",
      `kinds.ChangeRequest.transitions[1].window must be one of required, ignore-freezes, none; found "sometimes"`,
    ],
    [
      "a separation-of-duties pair with an unknown role",
      {
        "policies/roles.yml": ROLES.replace(
          "[release-manager, ops-lead]",
          "[release-manager, ops]",
        ),
      },
      "policies/roles.yml",
      7,
      23,
      "policy/unknown-role",
      `role "ops" is not defined in policies/roles.yml; did you mean "ops-lead"?`,
    ],
    [
      "a member that is not a login or team",
      { "policies/roles.yml": ROLES.replace(`["@zhao-min"]`, `["zhao-min"]`) },
      "policies/roles.yml",
      4,
      32,
      "policy/schema",
      `roles.release-manager.members[0] must be @login or @org/team; found "zhao-min"; write a GitHub login with its @, such as "@zhao-min", or a team as "@acme/qa"`,
    ],
    [
      "an OWNERS owner of the wrong syntax",
      { "policies/OWNERS": "/policies/ role:qa zhao-min\n" },
      "policies/OWNERS",
      1,
      20,
      "policy/owners-syntax",
      `owner "zhao-min" is not an owner gatehouse understands; write @login, @org/team or role:<id>`,
    ],
    [
      "an OWNERS owner given by e-mail",
      { "policies/OWNERS": "# comment\n\n/policies/   someone@bank.example\n" },
      "policies/OWNERS",
      3,
      14,
      "policy/owners-syntax",
      "this owner is an e-mail address, which gatehouse cannot match to an approval; write the GitHub login as @login instead",
    ],
    [
      "an OWNERS role that roles.yml lacks",
      { "policies/OWNERS": "/policies/ role:security-admin\n" },
      "policies/OWNERS",
      1,
      12,
      "policy/unknown-role",
      `role "security-admin" is not defined in policies/roles.yml; the defined roles are qa, release-manager, ops-lead; use one of them or add it there`,
    ],
    [
      "a negated OWNERS pattern",
      { "policies/OWNERS": "* @zhao-min\n!docs/ @li-na\n" },
      "policies/OWNERS",
      2,
      1,
      "policy/owners-syntax",
      `the pattern "!docs/" starts with "!", but negation is not supported in OWNERS (nor by GitHub CODEOWNERS); list the paths that need owners, or add a later line without owners to remove ownership`,
    ],
    [
      "a character range in OWNERS",
      { "policies/OWNERS": "  *.[ch] @zhao-min\n" },
      "policies/OWNERS",
      1,
      3,
      "policy/owners-syntax",
      `the pattern "*.[ch]" uses a character range "[ ]", which OWNERS does not support (nor does GitHub CODEOWNERS); write one line per name instead`,
    ],
    [
      "a missing roles.yml",
      { "policies/roles.yml": undefined },
      "policies/roles.yml",
      1,
      1,
      "policy/missing-file",
      `policies/roles.yml is missing, so gatehouse cannot tell who holds which role; run "gatehouse init" to write the finance pack, or add the file`,
    ],
    [
      "a missing workflows.yml",
      { "policies/workflows.yml": undefined },
      "policies/workflows.yml",
      1,
      1,
      "policy/missing-file",
      `policies/workflows.yml is missing, so gatehouse cannot tell which transitions are allowed; run "gatehouse init" to write the finance pack, or add the file`,
    ],
    [
      "a configured CODEOWNERS that is missing",
      { ".github/gatehouse.yml": "codeowners: true\n" },
      ".github/CODEOWNERS",
      1,
      1,
      "policy/missing-file",
      `.github/CODEOWNERS is missing, but .github/gatehouse.yml sets codeowners: true; add the file or remove the setting`,
    ],
    [
      "a bad configuration",
      { ".github/gatehouse.yml": "codeowner: true\n" },
      ".github/gatehouse.yml",
      1,
      1,
      "config/schema",
      `unknown field "codeowner" in the file; did you mean "codeowners"? Remove it or correct its name`,
    ],
  ])(
    "%s fails closed with a finding at its place",
    (_name, files, path, line, column, code, message) => {
      const result = load(files);
      expect(result.ok).toBe(false);
      expect(result.findings).toEqual([{ path, line, column, code, message }]);
    },
  );

  it("reads OWNERS from .github/CODEOWNERS when configured", () => {
    const result = load({
      ".github/gatehouse.yml": "codeowners: true\n",
      ".github/CODEOWNERS": "*.js @Octocat\n",
      "policies/OWNERS": "* @ignored\n",
    });
    if (!result.ok) throw new Error("did not load");
    expect(result.policy.owners).toEqual([
      {
        pattern: "*.js",
        owners: [{ login: "octocat" }],
        at: { path: ".github/CODEOWNERS", line: 1, column: 1 },
      },
    ]);
    expect(result.policy.files.has("policies/OWNERS")).toBe(true);
  });

  it("reads the policies from the configured directory", () => {
    const files = new Map([
      [".github/gatehouse.yml", "policies: governance\n"],
      ["governance/roles.yml", ROLES],
      ["governance/workflows.yml", WORKFLOWS],
    ]);
    expect(loadPolicy(files)).toMatchObject({ ok: true, findings: [] });
    files.delete("governance/roles.yml");
    files.set("policies/roles.yml", ROLES);
    expect(loadPolicy(files).ok).toBe(false);
  });

  it("reports only the roles file when it is broken, not every role reference", () => {
    const result = load({ "policies/roles.yml": "version: 1\nroles: [qa]\n" });
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => f.path)).toEqual(["policies/roles.yml"]);
    expect(result.findings[0]?.message).toMatchInlineSnapshot(
      `"roles must be a map of fields; found a list"`,
    );
  });

  it("keeps the section's required fields from SECTION_FIELDS unless workflows.yml lists them", () => {
    const custom = WORKFLOWS.replace("/testing: qa", "/testing: { owner: qa, required: [report] }");
    const result = load({ "policies/workflows.yml": custom });
    if (!result.ok) throw new Error("did not load");
    expect(result.policy.workflows.kinds.ChangeRequest?.sections).toEqual([
      expect.objectContaining({ pointer: "/testing", owner: "qa", required: ["report"] }),
    ]);
    const plain = load({});
    if (!plain.ok) throw new Error("did not load");
    expect(plain.policy.workflows.kinds.ChangeRequest?.sections[0]?.required).toEqual([
      "conclusion",
      "report",
    ]);
  });
});

describe("loadPolicy fails closed", () => {
  it("turns an unexpected error into a failed load", () => {
    const files = new Map<string, string>();
    files.get = () => {
      throw new Error("disk on fire");
    };
    expect(loadPolicy(files)).toEqual({
      ok: false,
      findings: [
        {
          path: ".github/gatehouse.yml",
          line: 1,
          column: 1,
          code: "policy/internal",
          message:
            "gatehouse could not load the policy (disk on fire), so nothing can be approved; please report this as a bug",
        },
      ],
    });
  });
});
