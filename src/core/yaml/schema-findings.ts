/**
 * JSON Schema validation that speaks to people: ajv errors become findings at the line and
 * column of the offending value, with a sentence instead of ajv's jargon.
 */
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import type { Finding } from "../types.js";
import { suggestion } from "../policy/did-you-mean.js";
import { pointerSegments } from "./parse-yaml.js";
import type { YamlParse } from "./parse-yaml.js";

// ajv-formats is CommonJS; depending on the loader its default export is the plugin itself or
// a namespace holding it.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv) => Ajv;

/** The annotations gatehouse's schemas may carry beyond JSON Schema's own keywords. */
export const SCHEMA_KEYWORDS = ["x-expected", "x-because", "x-remedy"] as const;

/**
 * One ajv instance for gatehouse's schemas. `x-expected` (what a value should look like, in
 * words), `x-because` (why a property is required) and `x-remedy` (what to write instead, where
 * the rule alone does not say) are annotations our messages use.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  for (const keyword of SCHEMA_KEYWORDS) ajv.addKeyword({ keyword, schemaType: "string" });
  return ajv;
}

/** "/testing/conclusion" -> "testing.conclusion", "/covers/2" -> "covers[2]". */
export function fieldName(pointer: string, root = "the file"): string {
  const segments = pointerSegments(pointer);
  if (segments.length === 0) return root;
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** A value as a message may show it: short, quoted, and never a whole block of text. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  const text = JSON.stringify(value);
  // A misplaced phone, card or ID number, or an e-mail address, must not leak into a message.
  if (/\d{7,}|[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i.test(text))
    return "a value not shown here as it may be personal data";
  return text.length > 40 ? `${text.slice(0, 37)}…"` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a map of fields",
};

function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== "null");
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ");
}

/**
 * What to write instead of a value of the wrong type, or "". A number or boolean where text is
 * expected is the common case (`version: 4.2`): quoting keeps it exactly as written.
 */
function typeRemedy(type: unknown, data: unknown, written: string | undefined): string {
  const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== "null");
  const scalar = typeof data === "number" || typeof data === "boolean";
  const shown = written ?? (scalar || typeof data === "string" ? String(data) : undefined);
  // The value is repeated only when it is short and cannot be personal data (see describeValue).
  const safe =
    shown !== undefined && shown.length <= 40 && describeValue(shown) === JSON.stringify(shown);
  if (types.includes("string") && scalar) {
    return safe ? `; write it in quotes: ${JSON.stringify(shown)}` : "; write it in quotes";
  }
  if (types.includes("array") && (scalar || typeof data === "string")) {
    // Text is quoted so that the suggestion is valid YAML when pasted: [@alice] is not.
    const item = typeof data === "string" ? JSON.stringify(shown) : shown;
    return safe ? `; write it as a list: [${item}]` : "; write it as a list in [ ]";
  }
  if (types.includes("string") && Array.isArray(data)) return "; write one text, not a list";
  if (types.includes("string") && data !== null && typeof data === "object") {
    return "; write one text on the same line, in quotes if it holds a colon";
  }
  return "";
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Validates `data` and turns every error into a finding with `code`, placed by `parse`.
 * `root` names the whole document in messages ("the record", "the file").
 */
export function schemaFindings(
  validate: ValidateFunction,
  data: unknown,
  parse: Pick<YamlParse, "locate" | "locateKey"> & Partial<Pick<YamlParse, "sourceOf">>,
  code: string,
  root = "the file",
): Finding[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // An anyOf error explains its value as a whole; the errors of its branches are noise.
  const explained = errors
    .filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
    .map((e) => e.instancePath);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // "if" only selects a "then"; "propertyNames" repeats the error about the name itself.
    if (error.keyword === "if" || error.keyword === "propertyNames") continue;
    if (
      error.keyword !== "anyOf" &&
      error.keyword !== "oneOf" &&
      explained.some((p) => error.instancePath === p || error.instancePath.startsWith(`${p}/`))
    ) {
      continue;
    }
    const finding = toFinding(error, parse, code, root);
    const key = `${finding.line}:${finding.column}:${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function toFinding(
  error: ErrorObject,
  parse: Pick<YamlParse, "locate" | "locateKey"> & Partial<Pick<YamlParse, "sourceOf">>,
  code: string,
  root: string,
): Finding {
  const where = fieldName(error.instancePath, root);
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const expected = typeof schema["x-expected"] === "string" ? schema["x-expected"] : undefined;
  const remedy = typeof schema["x-remedy"] === "string" ? schema["x-remedy"] : undefined;
  const found = `found ${describeValue(error.data)}`;
  const params = error.params as Record<string, unknown>;
  let place = parse.locate(error.instancePath);
  let message: string;
  if (error.propertyName !== undefined) {
    // The error is about a key of the map, not a value: point at the key and name it.
    const key = error.propertyName;
    return {
      ...parse.locateKey(`${error.instancePath}/${escapeSegment(key)}`),
      code,
      message: `the name "${key}" in ${where} must be ${expected ?? `valid (${error.message ?? error.keyword})`}`,
    };
  }
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const because =
        typeof schema["x-because"] === "string" ? `, needed because ${schema["x-because"]}` : "";
      message = `${where} has no "${missing}"${because}; add it`;
      break;
    }
    case "additionalProperties": {
      const unknown = String(params.additionalProperty);
      const known = Object.keys((schema.properties ?? {}) as object);
      place = parse.locateKey(`${error.instancePath}/${escapeSegment(unknown)}`);
      const hint = suggestion(unknown, known);
      message =
        hint === ""
          ? `unknown field "${unknown}" in ${where}; the known fields are ${known.join(", ")}. Remove it or correct its name`
          : `unknown field "${unknown}" in ${where}${hint} Remove it or correct its name`;
      break;
    }
    case "enum": {
      const values = ((params.allowedValues ?? []) as unknown[]).filter((v) => v !== null);
      const hint = typeof error.data === "string" ? suggestion(error.data, values.map(String)) : "";
      message = `${where} must be one of ${values.join(", ")}; ${found}${hint}`;
      break;
    }
    case "const":
      message = `${where} must be ${JSON.stringify(params.allowedValue)}; ${found}; write ${JSON.stringify(params.allowedValue)}`;
      break;
    case "type": {
      const written = parse.sourceOf?.(error.instancePath);
      message = `${where} must be ${typeWords(params.type)}; ${found}${typeRemedy(params.type, error.data, written)}`;
      break;
    }
    case "pattern":
    case "format":
    case "anyOf":
    case "oneOf":
      message = `${where} must be ${expected ?? `valid (${error.message ?? error.keyword})`}; ${found}${remedy === undefined ? "" : `; ${remedy}`}`;
      break;
    case "minLength":
      message = `${where} must not be empty; ${remedy ?? `write ${expected ?? "a value"} after the colon`}`;
      break;
    case "minItems": {
      const limit = Number(params.limit);
      message = `${where} must list at least ${String(limit)} ${limit === 1 ? "entry" : "entries"}; ${remedy ?? (limit === 1 ? "add one or remove the field" : "add the missing entries")}`;
      break;
    }
    case "maxItems":
      message = `${where} must list at most ${String(params.limit)} entries; ${remedy ?? "remove the extra ones"}`;
      break;
    default:
      message = `${where} ${error.message ?? "is not valid"}`;
  }
  return { ...place, code, message };
}
