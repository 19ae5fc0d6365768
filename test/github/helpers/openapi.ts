/**
 * Request bodies checked against GitHub's OpenAPI description (`@octokit/openapi`), so that a
 * mock cannot accept a body the real API would refuse.
 */
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
type Spec = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: object }> } }>
  >;
};
let spec: Spec | undefined;
const validators = new Map<string, ValidateFunction>();

function validator(method: string, path: string): ValidateFunction {
  const key = `${method} ${path}`;
  const cached = validators.get(key);
  if (cached) return cached;
  spec ??= require("@octokit/openapi/generated/api.github.com.deref.json") as Spec;
  const schema =
    spec.paths[path]?.[method.toLowerCase()]?.requestBody?.content["application/json"]?.schema;
  if (!schema) throw new Error(`GitHub's OpenAPI description has no body for ${key}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(withoutUntypedNullable(schema) as object);
  validators.set(key, validate);
  return validate;
}

/** What is wrong with `body` as the request body of the operation, or nothing. */
export function restBodyErrors(method: string, path: string, body: unknown): string[] {
  const validate = validator(method, path);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${method} ${path}: ${e.instancePath} ${e.message ?? ""}`,
  );
}

/**
 * OpenAPI's `nullable` next to no `type` (as in `oneOf` members of the issue body) is
 * meaningless to JSON Schema, and ajv refuses it; it is dropped there and kept elsewhere.
 */
function withoutUntypedNullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutUntypedNullable);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable" && !("type" in schema)) continue;
    out[key] = withoutUntypedNullable(value);
  }
  return out;
}
