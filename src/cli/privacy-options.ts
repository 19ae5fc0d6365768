/**
 * What `gatehouse scan` and `gatehouse mask` share: reading a privacy.yml for its detectors
 * and allow-list, with its mistakes reported as configuration errors.
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { ScanOptions } from "../core/privacy/find-hits.js";
import { parsePrivacyPolicy } from "../core/privacy/privacy-policy.js";
import { ConfigError } from "./errors.js";

/** The detectors and allow-list of a privacy.yml file. */
export async function privacyOptions(file: string, cwd: string): Promise<ScanOptions> {
  const shown = relative(cwd, file) || file;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ConfigError(
      `cannot read the privacy policy ${shown}; check the path given to --policy.`,
    );
  }
  const load = parsePrivacyPolicy(shown, text);
  if (load.policy === null) {
    const first = load.findings[0];
    const more = load.findings.length > 1 ? ` (and ${load.findings.length - 1} more)` : "";
    throw new ConfigError(
      first
        ? `${first.path}:${first.line}:${first.column} ${first.message}${more}`
        : `${shown} cannot be used as a privacy policy; fix it.`,
    );
  }
  return { detectors: load.policy.detectors, allow: load.policy.allow };
}
