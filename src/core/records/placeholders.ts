/**
 * The `{{name}}` placeholders of record templates. A template holds them where `gatehouse new`
 * writes a value (`id: "{{id}}"`), so the JSON Schemas accept them (editors must not flag a
 * template); a record that still holds one was never filled in, so gatehouse refuses it.
 */
import type { Finding, SourceLocation } from "../types.js";
import { fieldName } from "../yaml/schema-findings.js";

/** A whole value that is one placeholder: `{{title}}`, `{{ id }}`. */
export const PLACEHOLDER = /^\s*\{\{\s*[A-Za-z][A-Za-z0-9_-]*\s*\}\}\s*$/;

/** {@link PLACEHOLDER} as a JSON Schema pattern. */
const PLACEHOLDER_SCHEMA = {
  type: "string",
  pattern: PLACEHOLDER.source,
};

/**
 * A copy of a record schema in which every text field whose form is fixed (a pattern or a
 * format: ids, states, times) also accepts a placeholder, so that templates are valid.
 * Fields without a fixed form accept a placeholder already.
 */
export function acceptingPlaceholders<T extends object>(schema: T): T {
  return transform(schema) as T;
}

function transform(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(transform);
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Property names are data, not schemas, and `enum`/`const` values are never placeholders.
    copy[key] =
      key === "enum" || key === "const" || key === "required" || key === "examples"
        ? value
        : key === "properties"
          ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, transform(v)]))
          : transform(value);
  }
  if (typeof copy.pattern !== "string" && typeof copy.format !== "string") return copy;
  // The form moves into the first branch; what a message says about it stays outside.
  const { description, title, "x-expected": expected, ...form } = copy;
  return {
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...(expected === undefined ? {} : { "x-expected": expected }),
    anyOf: [form, PLACEHOLDER_SCHEMA],
  };
}

/**
 * A finding for every value of a record that is still a template's placeholder, placed by
 * `locate` (a JSON pointer to a place in the file).
 */
export function placeholderFindings(
  data: unknown,
  locate: (pointer: string) => SourceLocation,
): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, pointer: string) => {
    if (typeof value === "string") {
      if (PLACEHOLDER.test(value)) {
        const field = fieldName(pointer, "the record");
        findings.push({
          ...locate(pointer),
          code: "record/placeholder",
          message: `${field} still holds the template's placeholder ${value.trim()}; write the ${field} in its place`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${pointer}/${index}`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        visit(item, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
      }
    }
  };
  visit(data, "");
  return findings;
}
