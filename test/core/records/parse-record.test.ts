import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../../src/core/policy/model.js";
import type { Config } from "../../../src/core/policy/model.js";
import { fillTemplate } from "../../../src/core/records/fill-template.js";
import {
  parseRecord,
  RECORD_SCHEMAS,
  recordKindForPath,
} from "../../../src/core/records/parse-record.js";
import { SECTION_FIELDS } from "../../../src/core/records/section-fields.js";
import { RECORD_KINDS } from "../../../src/core/types.js";

const CHANGE_PATH = "changes/CHG-2026-0042.yaml";

/** A valid change request; tests replace one line to break it. */
const CHANGE = [
  "apiVersion: gatehouse/v1", // 1
  "kind: ChangeRequest", // 2
  "id: CHG-2026-0042", // 3
  "title: Upgrade the payment gateway", // 4
  "state: draft", // 5
  "type: normal", // 6
  "risk: medium", // 7
  "environment: production", // 8
  "window: { start: 2026-03-10T22:00:00+08:00, end: 2026-03-11T01:00:00+08:00 }", // 9
  "covers: [deploy/production/payments/**]", // 10
  "incidents: [INC-2026-0107]", // 11
  "testing:", // 12
  "  conclusion: passed", // 13
  "  report: https://ci.example/reports/881", // 14
  "",
].join("\n");

function change(line: number, replacement: string): string {
  const lines = CHANGE.split("\n");
  lines[line - 1] = replacement;
  return lines.join("\n");
}

function without(line: number): string {
  return CHANGE.split("\n")
    .filter((_, i) => i !== line - 1)
    .join("\n");
}

describe("parseRecord", () => {
  it("accepts a valid change request and reports its kind, id and state", () => {
    const record = parseRecord(CHANGE_PATH, CHANGE, DEFAULT_CONFIG);
    expect(record.findings).toEqual([]);
    expect(record).toMatchObject({ kind: "ChangeRequest", id: "CHG-2026-0042", state: "draft" });
    expect(record.data).toMatchObject({ testing: { conclusion: "passed" } });
    expect(record.locate("/testing/conclusion")).toEqual({
      path: CHANGE_PATH,
      line: 13,
      column: 15,
    });
  });

  it.each([
    ["a missing title", without(4), "record/schema", 1, 1, `the record has no "title"; add it`],
    ["a missing type", without(6), "record/schema", 1, 1, `the record has no "type"; add it`],
    [
      "a bad risk",
      change(7, "risk: hi"),
      "record/schema",
      7,
      7,
      `risk must be one of low, medium, high; found "hi"; did you mean "high"?`,
    ],
    [
      "a bad section enum",
      change(13, "  conclusion: ok"),
      "record/schema",
      13,
      15,
      `testing.conclusion must be one of passed, failed, waived; found "ok"`,
    ],
    [
      "an unknown top-level key",
      change(7, "risc: medium"),
      "record/schema",
      7,
      1,
      `unknown field "risc" in the record; did you mean "risk"? Remove it or correct its name`,
    ],
    [
      "an unknown section key",
      change(14, "  reprot: x"),
      "record/schema",
      14,
      3,
      `unknown field "reprot" in testing; did you mean "report"? Remove it or correct its name`,
    ],
    [
      "an id unlike CHG-YYYY-NNNN",
      change(3, "id: CHG-42"),
      "record/schema",
      3,
      5,
      `id must be CHG-YYYY-NNNN, such as CHG-2026-0042, equal to the file name; found "CHG-42"`,
    ],
    [
      "an id that is not the file name",
      change(3, "id: CHG-2026-0041"),
      "record/id-mismatch",
      3,
      5,
      `id is "CHG-2026-0041" but the file is named CHG-2026-0042; the id must equal the file name, so rename the file or correct the id`,
    ],
    [
      "a kind that does not match the directory",
      change(2, "kind: ImprovementPlan"),
      "record/directory",
      2,
      7,
      "kind is ImprovementPlan, but changes/ holds ChangeRequest records; move the file to improvements/ or correct the kind",
    ],
    [
      "a window without an offset",
      change(9, "window: { start: 2026-03-10T22:00:00, end: 2026-03-11T01:00:00+08:00 }"),
      "record/schema",
      9,
      18,
      `window.start must be a date and time with offset (ISO 8601), such as 2026-03-10T22:00:00+08:00; found "2026-03-10T22:00:00"`,
    ],
    [
      "a window without an end",
      change(9, "window: { start: 2026-03-10T22:00:00+08:00 }"),
      "record/schema",
      9,
      9,
      `window has no "end"; add it`,
    ],
    [
      "a list where text belongs",
      change(8, "environment: [production]"),
      "record/schema",
      8,
      14,
      "environment must be a text; found a list; write one text, not a list",
    ],
    [
      "an incident link that is not an INC id",
      change(11, "incidents: [IMP-2026-0001]"),
      "record/schema",
      11,
      13,
      `incidents[0] must be an id like INC-2026-0042; found "IMP-2026-0001"`,
    ],
    [
      "a phone number in the wrong field, without showing it",
      change(7, "risk: 13812345678"),
      "record/schema",
      7,
      7,
      "risk must be one of low, medium, high; found a value not shown here as it may be personal data",
    ],
    [
      "an e-mail address in the wrong field, without showing it",
      change(7, "risk: wang.jun@bank.example"),
      "record/schema",
      7,
      7,
      "risk must be one of low, medium, high; found a value not shown here as it may be personal data",
    ],
    [
      "a number where text is expected, with the quotes that keep it as written",
      change(8, "environment: production\ndeployment:\n  version: 4.20"),
      "record/schema",
      10,
      12,
      `deployment.version must be a text; found 4.2; write it in quotes: "4.20"`,
    ],
    [
      "a boolean where text is expected, with the quotes to write",
      change(8, "environment: yes\nsystem: true"),
      "record/schema",
      9,
      9,
      `system must be a text; found true; write it in quotes: "true"`,
    ],
    [
      "a phone number where text is expected, asking for quotes without showing it",
      change(8, "environment: 13812345678"),
      "record/schema",
      8,
      14,
      "environment must be a text; found a value not shown here as it may be personal data; write it in quotes",
    ],
    [
      "a single value where a list is expected, written as the list",
      change(10, "covers: deploy/production/**"),
      "record/schema",
      10,
      9,
      'covers must be a list; found "deploy/production/**"; write it as a list: ["deploy/production/**"]',
    ],
    [
      "an empty title, saying what to write",
      change(4, 'title: ""'),
      "record/schema",
      4,
      8,
      "title must not be empty; write a value after the colon",
    ],
    [
      "a wrong apiVersion",
      change(1, "apiVersion: v1"),
      "record/schema",
      1,
      13,
      `apiVersion must be "gatehouse/v1"; found "v1"; write "gatehouse/v1"`,
    ],
    [
      "a YAML error",
      change(7, "risk: low\nrisk: high"),
      "yaml/duplicate-key",
      8,
      1,
      `the key "risk" appears twice in the same mapping; keep only one of them`,
    ],
  ])("reports %s at its place", (_name, text, code, line, column, message) => {
    const record = parseRecord(CHANGE_PATH, text, DEFAULT_CONFIG);
    expect(record.findings).toEqual([{ path: CHANGE_PATH, line, column, code, message }]);
  });

  it.each([
    ["an empty file", "", "the file is empty"],
    ["a list", "- a\n- b\n", "the file holds a list"],
  ])("refuses %s as a record", (_name, text, start) => {
    const record = parseRecord(CHANGE_PATH, text, DEFAULT_CONFIG);
    expect(record.findings).toHaveLength(1);
    expect(record.findings[0]?.message.startsWith(start)).toBe(true);
    expect(record).toMatchObject({ kind: null, id: null, state: null, data: {} });
  });

  it("names the known kinds when a file outside the record directories says an unknown one", () => {
    const record = parseRecord(
      "notes/CHG-2026-0042.yaml",
      change(2, "kind: ChangeRequset"),
      DEFAULT_CONFIG,
    );
    expect(record.kind).toBeNull();
    expect(record.findings.map((f) => f.message)).toMatchInlineSnapshot(`
      [
        "kind must be one of ChangeRequest, IncidentAnalysis, ImprovementPlan; found "ChangeRequset"; did you mean "ChangeRequest"?",
      ]
    `);
  });

  it("validates a misspelt kind in a record directory against that directory's schema", () => {
    const record = parseRecord(CHANGE_PATH, change(2, "kind: Change"), DEFAULT_CONFIG);
    expect(record.findings).toEqual([
      expect.objectContaining({
        line: 2,
        column: 7,
        message: `kind must be "ChangeRequest"; found "Change"; write "ChangeRequest"`,
      }),
    ]);
  });

  it("reports every problem of a record, in file order", () => {
    const text = change(7, "risk: hi").replace("  conclusion: passed", "  conclusion: ok");
    const record = parseRecord(CHANGE_PATH, text, DEFAULT_CONFIG);
    expect(record.findings.map((f) => `${f.line}:${f.column}`)).toEqual(["7:7", "13:15"]);
  });
});

describe("IncidentAnalysis improvements", () => {
  const incident = (extra: string): string =>
    [
      "apiVersion: gatehouse/v1",
      "kind: IncidentAnalysis",
      "id: INC-2026-0107",
      "title: Payment timeouts",
      "state: confirmed",
      extra,
      "",
    ].join("\n");
  const PATH = "incidents/INC-2026-0107.yaml";

  it.each([
    ["a list of plans", "improvements: [IMP-2026-0011]", []],
    ["none with a reason", "improvements: none\nimprovementsReason: a one-off operator error", []],
    [
      "none without a reason",
      "improvements: none",
      [`the record has no "improvementsReason", needed because improvements is none; add it`],
    ],
    [
      "another word",
      "improvements: later",
      [
        `improvements must be a list of improvement plan ids (such as [IMP-2026-0011]) or the word none; found "later"`,
      ],
    ],
  ])("accepts or explains %s", (_name, extra, messages) => {
    expect(
      parseRecord(PATH, incident(extra), DEFAULT_CONFIG).findings.map((f) => f.message),
    ).toEqual(messages);
  });
});

describe("recordKindForPath", () => {
  const custom: Config = {
    ...DEFAULT_CONFIG,
    records: {
      ChangeRequest: "records/changes/",
      IncidentAnalysis: "./inc",
      ImprovementPlan: "imp",
    },
  };
  it.each([
    ["changes/CHG-2026-0042.yaml", DEFAULT_CONFIG, "ChangeRequest"],
    ["incidents/INC-2026-0107.yml", DEFAULT_CONFIG, "IncidentAnalysis"],
    ["improvements/2026/IMP-2026-0011.yaml", DEFAULT_CONFIG, "ImprovementPlan"],
    ["changes/README.md", DEFAULT_CONFIG, null],
    ["changes-old/CHG-2026-0042.yaml", DEFAULT_CONFIG, null],
    ["policies/roles.yml", DEFAULT_CONFIG, null],
    ["records/changes/CHG-2026-0042.yaml", custom, "ChangeRequest"],
    ["inc/INC-2026-0107.yaml", custom, "IncidentAnalysis"],
    ["changes/CHG-2026-0042.yaml", custom, null],
  ] as const)("%s is a %s record", (path, config, kind) => {
    expect(recordKindForPath(path, config)).toBe(kind);
  });
});

describe("templates", () => {
  it.each([
    ["change-request", "changes/CHG-2026-0001.yaml", "CHG-2026-0001", "ChangeRequest", "draft"],
    [
      "incident-analysis",
      "incidents/INC-2026-0001.yaml",
      "INC-2026-0001",
      "IncidentAnalysis",
      "collected",
    ],
    [
      "improvement-plan",
      "improvements/IMP-2026-0001.yaml",
      "IMP-2026-0001",
      "ImprovementPlan",
      "proposed",
    ],
  ] as const)("%s parses with zero findings once filled in", (name, path, id, kind, state) => {
    const template = readFileSync(
      new URL(`../../../templates/${name}.yaml`, import.meta.url),
      "utf8",
    );
    expect(
      template.startsWith(`# yaml-language-server: $schema=../schemas/${name}.schema.json\n`),
    ).toBe(true);
    const title = 'A "quoted" title: with \\ and # in it';
    const text = fillTemplate(template, { id, title });
    const record = parseRecord(path, text, DEFAULT_CONFIG);
    expect(record.findings).toEqual([]);
    expect(record).toMatchObject({ kind, id, state, data: { title } });
    // Every section of the kind is in the template, for its owner to fill in.
    for (const pointer of Object.keys(SECTION_FIELDS[kind])) {
      expect(record.data).toHaveProperty(pointer.slice(1));
    }
  });

  it.each(RECORD_KINDS)("%s: every required section field is a field of its schema", (kind) => {
    const schema = RECORD_SCHEMAS[kind] as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    const sections = Object.entries(SECTION_FIELDS[kind]);
    expect(sections.length).toBeGreaterThan(0);
    for (const [pointer, fields] of sections) {
      const section = schema.properties[pointer.slice(1)];
      expect(Object.keys(section?.properties ?? {})).toEqual(expect.arrayContaining(fields));
    }
  });
});

describe("template placeholders", () => {
  it.each([
    ["the title", change(4, 'title: "{{title}}"'), 4, 8, "title", "{{title}}"],
    [
      "a section field",
      change(14, "  report: '{{ report }}'"),
      14,
      11,
      "testing.report",
      "{{ report }}",
    ],
    [
      "a list entry",
      change(11, 'incidents: ["{{incident}}"]'),
      11,
      13,
      "incidents[0]",
      "{{incident}}",
    ],
  ])("refuses %s still holding one, at its place", (_name, text, line, column, field, value) => {
    const record = parseRecord(CHANGE_PATH, text, DEFAULT_CONFIG);
    expect(record.findings).toEqual([
      {
        path: CHANGE_PATH,
        line,
        column,
        code: "record/placeholder",
        message: `${field} still holds the template's placeholder ${value.trim()}; write the ${field} in its place`,
      },
    ]);
  });

  it("says once that an id still holding its placeholder is to be written", () => {
    const record = parseRecord(CHANGE_PATH, change(3, 'id: "{{id}}"'), DEFAULT_CONFIG);
    expect(record.findings.map((f) => [f.line, f.code])).toEqual([[3, "record/placeholder"]]);
  });

  it("leaves text that merely contains braces alone (a Helm value, a sentence)", () => {
    const text = change(14, '  report: "helm --set image={{ .Values.tag }} and {{x}} later"');
    expect(parseRecord(CHANGE_PATH, text, DEFAULT_CONFIG).findings).toEqual([]);
  });
});

describe("fillTemplate", () => {
  it.each([
    ['title: "{{title}}"', { title: "plain" }, 'title: "plain"'],
    ['title: "{{title}}"', { title: 'say "hi"\\now' }, 'title: "say \\"hi\\"\\\\now"'],
    ['title: "{{title}}"', { title: "line\nbreak" }, 'title: "line\\nbreak"'],
    ['id: "{{id}}" # {{other}}', { id: "CHG-2026-0001" }, 'id: "CHG-2026-0001" # {{other}}'],
  ])("fills %j", (template, values, expected) => {
    expect(fillTemplate(template, values)).toBe(expected);
  });
});
