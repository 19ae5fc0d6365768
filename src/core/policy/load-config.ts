/** `.github/gatehouse.yml`: where the policies and records live. */
import { RECORD_KINDS } from "../types.js";
import type { Finding } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import { createAjv, schemaFindings } from "../yaml/schema-findings.js";
import { DEFAULT_CONFIG } from "./model.js";
import type { Config } from "./model.js";
import configSchema from "./schemas/config.schema.json" with { type: "json" };

const validateConfig = createAjv().compile(configSchema);

/** The default location of the configuration file. */
export const CONFIG_PATH = ".github/gatehouse.yml";

/**
 * Reads the configuration, filling in {@link DEFAULT_CONFIG} for whatever it leaves out. A
 * missing file (`text` undefined) is the defaults. Unknown keys and wrong types are findings,
 * and then the defaults are used for the whole file rather than a half-understood mix.
 * `_extends` is accepted and ignored: the GitHub adapter resolves it before calling this.
 */
export function loadConfig(
  text: string | undefined,
  path = CONFIG_PATH,
): { config: Config; findings: Finding[] } {
  const defaults = (): Config => ({ ...DEFAULT_CONFIG, records: { ...DEFAULT_CONFIG.records } });
  if (text === undefined) return { config: defaults(), findings: [] };
  const parse = parseYaml(path, text);
  if (parse.findings.length > 0) return { config: defaults(), findings: parse.findings };
  // A file of comments only (the data is null) means "the defaults", as an empty file does.
  const findings = schemaFindings(validateConfig, parse.data ?? {}, parse, "config/schema");
  if (findings.length > 0) return { config: defaults(), findings };

  const data = (parse.data ?? {}) as {
    policies?: string;
    records?: Partial<Record<string, string>>;
    codeowners?: boolean;
  };
  const config = defaults();
  if (data.policies !== undefined) config.policies = trimSlashes(data.policies);
  for (const kind of RECORD_KINDS) {
    const dir = data.records?.[kind];
    if (dir !== undefined) config.records[kind] = trimSlashes(dir);
  }
  if (data.codeowners !== undefined) config.codeowners = data.codeowners;

  // A directory outside the repository could make the policy come from somewhere a pull
  // request controls; refuse it.
  for (const [pointer, dir] of [
    ["/policies", config.policies],
    ...RECORD_KINDS.map((kind) => [`/records/${kind}`, config.records[kind]] as const),
  ] as const) {
    if (dir.split("/").some((part) => part === ".." || part === ".")) {
      findings.push({
        ...parse.locate(pointer),
        code: "config/schema",
        message: `"${dir}" must be a plain path inside the repository, without "." or ".." parts; write it from the repository root, such as policies`,
      });
    }
  }
  return findings.length > 0 ? { config: defaults(), findings } : { config, findings };
}

function trimSlashes(dir: string): string {
  return dir.replace(/^\.\//, "").replace(/\/+$/, "");
}
