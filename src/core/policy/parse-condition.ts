/** One condition of a workflow transition (`when:` or `conditions:`), as workflows.yml writes it. */
import type { Finding, SourceLocation } from "../types.js";
import type { YamlParse } from "../yaml/parse-yaml.js";
import { didYouMean } from "./did-you-mean.js";
import type { Condition } from "./model.js";

export interface RawCondition {
  field?: string;
  equals?: unknown;
  in?: unknown[];
  present?: boolean;
  "one-of"?: string;
  "any-of"?: RawCondition[];
}

/**
 * The condition at `pointer`, or undefined with a finding when it tests nothing or several
 * things, has no field, or names a list that `lists` does not define.
 */
export function parseCondition(
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
      (c, i) => parseCondition(c, `${pointer}/any-of/${i}`, parse, lists, findings) ?? [],
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
