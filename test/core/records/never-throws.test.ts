import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/policy/load-config.js";
import { DEFAULT_CONFIG } from "../../../src/core/policy/model.js";
import type { Config } from "../../../src/core/policy/model.js";
import { parseRecord } from "../../../src/core/records/parse-record.js";
import { parseYaml } from "../../../src/core/yaml/parse-yaml.js";

const PATH = "changes/CHG-2026-0042.yaml";

/** Text that looks like YAML often enough to reach deep into the parser. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "a: ",
        "- ",
        "  ",
        "\n",
        "&x ",
        "*x ",
        "!!binary ",
        "!t ",
        "---\n",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "'",
        '"',
        "#",
        "kind: ChangeRequest\n",
        "id: CHG-2026-0042\n",
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("bad input never throws", () => {
  it("parseYaml gives findings with places inside the file", () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const lines = text.split("\n").length;
        for (const finding of parseYaml(PATH, text).findings) {
          expect(finding.line).toBeGreaterThanOrEqual(1);
          expect(finding.line).toBeLessThanOrEqual(lines);
          expect(finding.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("parseRecord always returns a record, invalid unless it has no findings", () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const record = parseRecord(PATH, text, DEFAULT_CONFIG);
        expect(record.path).toBe(PATH);
        if (record.findings.length === 0) expect(record.kind).toBe("ChangeRequest");
      }),
      { numRuns: 300 },
    );
  });

  it("loadConfig always returns a configuration", () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        expect(loadConfig(text).config.policies).toEqual(expect.any(String));
      }),
      { numRuns: 200 },
    );
  });

  it("parseRecord turns an unexpected error into a finding instead of a throw", () => {
    const broken = {
      ...DEFAULT_CONFIG,
      get records(): Config["records"] {
        throw new Error("config exploded");
      },
    } as Config;
    const record = parseRecord(PATH, "kind: ChangeRequest\n", broken);
    expect(record.findings).toEqual([
      {
        path: PATH,
        line: 1,
        column: 1,
        code: "record/internal",
        message:
          "gatehouse could not read this record (config exploded), so it counts as invalid; please report this as a bug",
      },
    ]);
  });
});
