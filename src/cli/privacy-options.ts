/**
 * What `gatehouse scan` and `gatehouse mask` share: reading a privacy.yml for its detectors,
 * allow-list and scanned paths, with its mistakes reported as configuration errors.
 */
import { readFile } from "node:fs/promises";
import type { ScanOptions } from "../core/privacy/find-hits.js";
import { parsePrivacyPolicy, type PrivacyPolicy } from "../core/privacy/privacy-policy.js";
import { ConfigError } from "./errors.js";

/**
 * Reads and checks the privacy.yml at `file`. `shown` is how messages name it: the path as the
 * user gave it, so that it can be pasted back into a command.
 */
export async function readPrivacyPolicy(file: string, shown: string): Promise<PrivacyPolicy> {
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
  return load.policy;
}

/** The detectors and allow-list of a privacy policy, as the scanner takes them. */
export function scanOptionsOf(policy: PrivacyPolicy): ScanOptions {
  return { detectors: policy.detectors, allow: policy.allow };
}

/** The detectors and allow-list of a privacy.yml file (see {@link readPrivacyPolicy}). */
export async function privacyOptions(file: string, shown: string): Promise<ScanOptions> {
  return scanOptionsOf(await readPrivacyPolicy(file, shown));
}
