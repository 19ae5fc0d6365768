/**
 * Webhook payloads checked against GitHub's OpenAPI description (`x-webhooks`), for events the
 * examples package has no example of (`deployment_protection_rule`).
 */
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
type Spec = {
  "x-webhooks": Record<
    string,
    { post: { requestBody: { content: Record<string, { schema: object }> } } }
  >;
};
const validators = new Map<string, ValidateFunction>();

/** What is wrong with `payload` as the webhook `name` (such as "deployment-protection-rule-requested"). */
export function webhookErrors(name: string, payload: unknown): string[] {
  let validate = validators.get(name);
  if (!validate) {
    const spec = require("@octokit/openapi/generated/api.github.com.deref.json") as Spec;
    const schema = spec["x-webhooks"][name]?.post.requestBody.content["application/json"]?.schema;
    if (!schema) throw new Error(`GitHub's OpenAPI description has no webhook ${name}`);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    validate = ajv.compile(schema);
    validators.set(name, validate);
  }
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${name}: ${e.instancePath} ${e.message ?? ""}`);
}
