/**
 * The JSON Schemas `gatehouse init` writes for editors: one for every file people edit, named on
 * each file's first line, strict, and agreeing with what gatehouse itself accepts.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { changeAt, improvementAt, incidentAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { initFiles } from "../../src/cli/init-files.js";
import { loadCalendar } from "../../src/core/calendar/load-calendar.js";
import { loadDeployments } from "../../src/core/deploy/load-deployments.js";
import { loadConfig } from "../../src/core/policy/load-config.js";
import { parseRoles } from "../../src/core/policy/parse-roles.js";
import { parsePrivacyPolicy } from "../../src/core/privacy/privacy-policy.js";
import { fillTemplate } from "../../src/core/records/fill-template.js";
import { parseRecord } from "../../src/core/records/parse-record.js";
import { DEFAULT_CONFIG } from "../../src/core/policy/model.js";
import { SCHEMA_KEYWORDS } from "../../src/core/yaml/schema-findings.js";

const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv) => Ajv;

/** A strict ajv of its own that knows only JSON Schema, its formats and gatehouse's annotations. */
function strictAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const keyword of SCHEMA_KEYWORDS) ajv.addKeyword({ keyword, schemaType: "string" });
  return ajv;
}

let files: Map<string, string>;
const validators = new Map<string, ValidateFunction>();

/** The schema a YAML file names on its first line, as init wrote it. */
function schemaOf(path: string): string {
  const first = files.get(path)!.split("\n")[0]!;
  const named = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
  expect(named, `${path} starts with a schema line`).toBeDefined();
  const up = "../".repeat(path.split("/").length - 1);
  expect(named!.startsWith(`${up}schemas/`), `${path} points at schemas/ from where it is`).toBe(
    true,
  );
  return named!.slice(`${up}schemas/`.length);
}

/** Validates YAML text (read as YAML 1.2, as gatehouse and editors read it) with a schema. */
function check(schema: string, text: string): string[] {
  const validate = validators.get(schema)!;
  return validate(parse(text))
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const yamlFiles = () => [...files.keys()].filter((path) => /\.ya?ml$/.test(path));

describe("the editor schemas gatehouse init writes", () => {
  beforeAll(async () => {
    files = await initFiles("finance");
    const ajv = strictAjv();
    for (const [path, text] of files) {
      if (path.startsWith("schemas/")) validators.set(path.slice(8), ajv.compile(JSON.parse(text)));
    }
  });

  it("writes one for the records, the configuration and every policy file people edit", () => {
    expect([...validators.keys()].sort()).toEqual([
      "calendar.schema.json",
      "change-request.schema.json",
      "config.schema.json",
      "deployments.schema.json",
      "improvement-plan.schema.json",
      "incident-analysis.schema.json",
      "privacy.schema.json",
      "roles.schema.json",
      "workflows.schema.json",
    ]);
    // Strict indeed: a keyword gatehouse has not declared does not compile.
    expect(() => strictAjv().compile({ type: "object", "x-hint": "h" })).toThrow(/strict mode/);
  });

  it("names its schema on the first line of every YAML file it writes, and accepts the file", () => {
    const named = new Map(yamlFiles().map((path) => [path, schemaOf(path)]));
    expect(Object.fromEntries(named)).toEqual({
      ".github/gatehouse.yml": "config.schema.json",
      "policies/roles.yml": "roles.schema.json",
      "policies/workflows.yml": "workflows.schema.json",
      "policies/calendar.yml": "calendar.schema.json",
      "policies/privacy.yml": "privacy.schema.json",
      "policies/deployments.yml": "deployments.schema.json",
      ".gatehouse/templates/change-request.yaml": "change-request.schema.json",
      ".gatehouse/templates/incident-analysis.yaml": "incident-analysis.schema.json",
      ".gatehouse/templates/improvement-plan.yaml": "improvement-plan.schema.json",
    });
    // The templates with their {{placeholders}}, the pack, the configuration: all accepted.
    for (const [path, schema] of named) expect(check(schema, files.get(path)!), path).toEqual([]);
  });

  it("refuses each file init writes once it is wrong: an unknown key, a required key left out, a wrong type", () => {
    let tried = 0;
    for (const path of yamlFiles()) {
      const schema = schemaOf(path);
      const { required = [] } = JSON.parse(files.get(`schemas/${schema}`)!) as {
        required?: string[];
      };
      const data = parse(files.get(path)!) as Record<string, unknown> | null;
      const wrong: Array<[string, unknown]> = [
        ["an unknown key", { ...data, "not-a-key": true }],
        ["a list instead of a mapping", [data]],
        ...required.map((key): [string, unknown] => {
          const rest = { ...data };
          delete rest[key];
          return [`no ${key}`, rest];
        }),
      ];
      for (const [what, value] of wrong) {
        tried++;
        expect(validators.get(schema)!(value), `${path} with ${what}`).toBe(false);
      }
    }
    expect(tried).toBeGreaterThan(3 * yamlFiles().length);
  });

  it("accepts every record of the demo, and the templates once filled in", () => {
    const records = [
      ...Object.values(changeAt).map((r) => (typeof r === "function" ? r(DEMO_WINDOW) : r)),
      ...Object.values(incidentAt),
      ...Object.values(improvementAt),
    ];
    const schemaFor: Record<string, string> = {
      ChangeRequest: "change-request.schema.json",
      IncidentAnalysis: "incident-analysis.schema.json",
      ImprovementPlan: "improvement-plan.schema.json",
    };
    expect(records.length).toBeGreaterThan(10);
    for (const record of records) {
      const { kind, id, state } = record as { kind: string; id: string; state: string };
      expect(check(schemaFor[kind]!, yamlOf(record)), `${id} ${state}`).toEqual([]);
    }
    for (const [name, id] of [
      ["change-request", "CHG-2026-0001"],
      ["incident-analysis", "INC-2026-0001"],
      ["improvement-plan", "IMP-2026-0001"],
    ] as const) {
      const filled = fillTemplate(files.get(`.gatehouse/templates/${name}.yaml`)!, {
        id,
        title: "A title",
      });
      expect(check(`${name}.schema.json`, filled), name).toEqual([]);
    }
  });

  it("reads unquoted dates and times as the text YAML 1.2 makes of them", () => {
    const record = [
      "apiVersion: gatehouse/v1",
      "kind: ChangeRequest",
      "id: CHG-2026-0001",
      "title: t",
      "state: draft",
      "type: normal",
      "window: { start: 2026-12-03T22:00:00+08:00, end: 2026-12-03T23:30:00+08:00 }",
    ].join("\n");
    expect(check("change-request.schema.json", record)).toEqual([]);
    expect(parseRecord("changes/CHG-2026-0001.yaml", record, DEFAULT_CONFIG).findings).toEqual([]);
    const calendar =
      "version: 1\ntimezone: Asia/Shanghai\nfreezes:\n  - { name: close, from: 2026-12-28, to: 2027-01-04 }\n";
    expect(check("calendar.schema.json", calendar)).toEqual([]);
    expect(loadCalendar("policies/calendar.yml", calendar).findings).toEqual([]);
  });

  /** The finance pack's roles, which deployments.yml may name. */
  const ROLES = new Set(["ops-lead", "qa", "ops-manager", "dev-lead", "release-manager"]);

  /** gatehouse's own verdict on a file: does it load without findings? */
  const GATEHOUSE: Record<string, (text: string) => boolean> = {
    "roles.schema.json": (t) => parseRoles("policies/roles.yml", t).findings.length === 0,
    "calendar.schema.json": (t) => loadCalendar("policies/calendar.yml", t).findings.length === 0,
    "privacy.schema.json": (t) =>
      parsePrivacyPolicy("policies/privacy.yml", t).findings.length === 0,
    "config.schema.json": (t) => loadConfig(t).findings.length === 0,
    "deployments.schema.json": (t) =>
      loadDeployments("policies/deployments.yml", t, ROLES, "policies/roles.yml").findings
        .length === 0,
  };

  it.each<[string, string, string]>([
    [
      "roles.schema.json",
      "a member not written @login",
      "version: 1\nroles:\n  qa: { members: [zhao-min] }\n",
    ],
    ["roles.schema.json", "a role without members", "version: 1\nroles:\n  qa: {}\n"],
    [
      "roles.schema.json",
      "a good file",
      'version: 1\nroles:\n  qa: { members: ["@zhao-min", "@acme/qa"] }\n',
    ],
    ["calendar.schema.json", "no time zone", "version: 1\n"],
    [
      "calendar.schema.json",
      "a freeze without an end",
      "version: 1\ntimezone: UTC\nfreezes: [{ name: x, from: 2026-12-28 }]\n",
    ],
    [
      "privacy.schema.json",
      "an allow entry without a reason",
      'version: 1\nallow: [{ value: "4111" }]\n',
    ],
    [
      "privacy.schema.json",
      "an allow entry with a blank reason",
      'version: 1\nallow: [{ value: "4111", reason: "  " }]\n',
    ],
    [
      "privacy.schema.json",
      "an allow entry with both value and pattern",
      'version: 1\nallow: [{ value: "1", pattern: "1", reason: r }]\n',
    ],
    ["privacy.schema.json", "an allow entry with neither", "version: 1\nallow: [{ reason: r }]\n"],
    [
      "privacy.schema.json",
      "a pattern that does not compile",
      'version: 1\nallow: [{ pattern: "(", reason: r }]\n',
    ],
    [
      "privacy.schema.json",
      "a number too long to be exact",
      "version: 1\nallow: [{ value: 6222020200112233445, reason: r }]\n",
    ],
    [
      "privacy.schema.json",
      "a number that is exact",
      "version: 1\nallow: [{ value: 4111111111111111, reason: r }]\n",
    ],
    [
      "privacy.schema.json",
      "a detector that does not exist",
      "version: 1\ndetectors: [cn-mobil]\n",
    ],
    ["privacy.schema.json", "an unknown key", "version: 1\nrecord: true\n"],
    ["privacy.schema.json", "no version", "records: true\n"],
    ["privacy.schema.json", "a blank path", 'version: 1\npaths: ["  "]\n'],
    [
      "privacy.schema.json",
      "a good file",
      'version: 1\nrecords: false\npaths: ["incidents/**"]\ndetectors: [cn-id]\nallow: [{ pattern: "10\\\\.0\\\\..*", detectors: [ipv4], reason: lab }]\n',
    ],
    ["config.schema.json", "an unknown key", "record: {}\n"],
    ["config.schema.json", "an empty file", ""],
    ["deployments.schema.json", "no version", "paths: [deploy/**]\n"],
  ])("%s agrees with gatehouse on %s", (schema, _what, text) => {
    const accepted = GATEHOUSE[schema]!(text);
    expect(
      check(schema, text).length === 0,
      `the schema ${accepted ? "refuses" : "accepts"} it`,
    ).toBe(accepted);
  });
});
