/**
 * A record is judged wherever it stands: outside the record folders, in a folder spelt in
 * other letter case, under another extension, or in any spelling of its kind that YAML reads
 * as a record kind. A pull request with one friendly approval is refused in each case.
 */
import { describe, expect, it } from "vitest";
import { evaluateWithPolicy } from "../../../src/core/evaluate/evaluate.js";
import {
  declaredRecordKind,
  lookalikeKindForPath,
} from "../../../src/core/records/record-place.js";
import { DEFAULT_CONFIG } from "../../../src/core/policy/model.js";
import { change, loaded, review, snapshot } from "./fixtures.js";

const ID = "CHG-2026-0001";
const RECORD = change(ID, "draft");
const friendly = [review("li-na")];

async function judge(head: Record<string, string>, base: Record<string, string> = {}) {
  return evaluateWithPolicy(snapshot({ base, head, approvals: friendly }), loaded());
}

describe("records outside the record folders", () => {
  it.each([
    ["outside any record folder", `docs/${ID}.yaml`, RECORD, /it is not in a record directory/],
    [
      "in a folder spelt in capitals",
      `Changes/${ID}.yaml`,
      RECORD,
      /live in changes\/ exactly; .* move the file to changes\/CHG-2026-0001\.yaml$/,
    ],
    [
      "in the record folder under another extension",
      `changes/${ID}.txt`,
      RECORD,
      /a record file ends in \.yaml or \.yml; rename it to changes\/CHG-2026-0001\.yaml$/,
    ],
    [
      "written as JSON",
      `notes/${ID}.json`,
      JSON.stringify({ apiVersion: "gatehouse/v1", kind: "ChangeRequest", id: ID }),
      /not in a record directory/,
    ],
    [
      "with its kind spelt in escapes",
      "docs/plan.yaml",
      'kind: "Change\\u0052equest"\nid: CHG-2026-0001\n',
      /declares a ChangeRequest/,
    ],
    [
      "with its kind split by a line continuation",
      "docs/plan.yaml",
      'kind: "Change\\\n  Request"\n',
      /declares a ChangeRequest/,
    ],
    [
      "with its kind behind an alias",
      "docs/plan.yml",
      "names: [&k IncidentAnalysis]\nkind: *k\n",
      /declares an IncidentAnalysis/,
    ],
    [
      "in a look-alike folder (a Cyrillic а)",
      `chаnges/${ID}.yaml`,
      RECORD,
      /it is not in a record directory/,
    ],
  ])("refuses a record %s", async (_what, path, text, message) => {
    const verdict = await judge({ [path]: text });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings).toContainEqual(
      expect.objectContaining({
        path,
        code: "record/directory",
        message: expect.stringMatching(message) as unknown,
      }),
    );
  });

  it("judges a record with a capitalised extension as the record it is", async () => {
    const verdict = await judge({ [`changes/${ID}.YAML`]: RECORD });
    expect(verdict.records).toEqual([
      { path: `changes/${ID}.YAML`, kind: "ChangeRequest", id: ID, from: null, to: "draft" },
    ]);
    expect(verdict.conclusion).toBe("success");
  });

  it.each([
    ["a Kubernetes manifest", "deploy/app.yaml", "apiVersion: apps/v1\nkind: Deployment\n"],
    ["a note that mentions a kind", "docs/notes.md", "A ChangeRequest is a YAML file.\n"],
    ["a note with escapes", "docs/paths.txt", "C:\\temp\\ChangeRequest\n"],
  ])("leaves %s alone", async (_what, path, text) => {
    const verdict = await judge({ [path]: text });
    expect(verdict.records).toEqual([]);
    expect(verdict.conclusion).toBe("success");
  });

  it("lets a stray record-shaped file outside the folders be deleted", async () => {
    const verdict = await evaluateWithPolicy(
      snapshot({
        base: { [`docs/${ID}.yaml`]: RECORD },
        removed: [`docs/${ID}.yaml`],
        approvals: friendly,
      }),
      loaded(),
    );
    expect(verdict.records).toEqual([]);
    expect(verdict.conclusion).toBe("success");
  });
});

describe("declaredRecordKind", () => {
  it.each([
    ["kind: ChangeRequest\n", "ChangeRequest"],
    ['kind: ChangeRequest\nid: "{{id}}"\n', null],
    ['{"kind": "ImprovementPlan"}', "ImprovementPlan"],
    ["kind: !!str IncidentAnalysis\n", "IncidentAnalysis"],
    ['"k\\x69nd": "ChangeRequest"\n', "ChangeRequest"],
    ["kind: >-\n  ChangeRequest\n", "ChangeRequest"],
    ["kind: ChangeRequests\n", null],
    ["- kind: ChangeRequest\n", null],
    ["title: no kind at all\n", null],
  ])("reads %j as %s", (text, kind) => {
    expect(declaredRecordKind(text)).toBe(kind);
  });
});

describe("lookalikeKindForPath", () => {
  it.each([
    ["CHANGES/x.yaml", "ChangeRequest"],
    ["Incidents/2026/x.yml", "IncidentAnalysis"],
    ["changes/x.yaml", null],
    ["changes/readme.md", null],
    ["changesets/x.yaml", null],
  ])("%s -> %s", (path, kind) => {
    expect(lookalikeKindForPath(path, DEFAULT_CONFIG)).toBe(kind);
  });
});
