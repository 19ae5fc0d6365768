import { describe, expect, it } from "vitest";
import { filesById, idOfPath, sharedIds } from "../../../src/core/records/record-ids.js";

describe("record ids", () => {
  it.each([
    ["changes/CHG-2026-0042.yaml", "CHG-2026-0042"],
    ["changes/2026/03/CHG-2026-0042.yml", "CHG-2026-0042"],
    ["INC-2026-0001.yaml", "INC-2026-0001"],
  ])("reads the id of %s as %s", (path, id) => {
    expect(idOfPath(path)).toBe(id);
  });

  it("groups the files that share an id, each once, and leaves single ids out", () => {
    const paths = [
      "changes/CHG-1.yaml",
      "changes/old/CHG-1.yml",
      "changes/CHG-2.yaml",
      "changes/CHG-1.yaml", // listed twice, as two record kinds sharing a directory would
    ];
    expect(sharedIds(paths)).toEqual(
      new Map([["CHG-1", ["changes/CHG-1.yaml", "changes/old/CHG-1.yml"]]]),
    );
  });

  it("indexes every file by its id, each file once", () => {
    const paths = [
      "changes/CHG-1.yaml",
      "changes/b/CHG-1.yml",
      "changes/b/CHG-1.yml",
      "x/CHG-2.yaml",
    ];
    expect(filesById(paths)).toEqual(
      new Map([
        ["CHG-1", ["changes/CHG-1.yaml", "changes/b/CHG-1.yml"]],
        ["CHG-2", ["x/CHG-2.yaml"]],
      ]),
    );
  });
});
