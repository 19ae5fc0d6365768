/**
 * What `gatehouse scan` and `gatehouse mask` share: reading a privacy.yml for its detectors,
 * allow-list and scanned paths, with its mistakes reported as configuration errors.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CONFIG_PATH } from "../core/policy/load-config.js";
import { DEFAULT_CONFIG } from "../core/policy/model.js";
import { scannedGlobs } from "../core/privacy/scanned-globs.js";
import type { ScanOptions } from "../core/privacy/find-hits.js";
import { parsePrivacyPolicy, type PrivacyPolicy } from "../core/privacy/privacy-policy.js";
import { ConfigError } from "./errors.js";
import type { CliIO } from "./io.js";
import { readRepositoryConfig } from "./repository-config.js";

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

export interface ScanPolicy {
  policy: PrivacyPolicy;
  /** The policy file as messages name it. */
  shown: string;
  /** What it scans when no path is named. */
  globs: string[];
}

/**
 * The policy given with --policy, else the repository's own privacy.yml (in the policies
 * directory its configuration names), else none: `scan` and `mask` apply the same one.
 */
export async function repositoryPrivacyPolicy(
  given: string | undefined,
  io: CliIO,
): Promise<ScanPolicy | null> {
  // The configuration is read only in a governed repository: a broken one is reported there,
  // and any other directory is scanned with the defaults.
  const config = existsSync(join(io.cwd, CONFIG_PATH))
    ? await readRepositoryConfig(io.cwd)
    : DEFAULT_CONFIG;
  const shown = given ?? `${config.policies.replace(/\/+$/, "")}/privacy.yml`;
  const file = resolve(io.cwd, shown);
  if (given === undefined && !existsSync(file)) return null;
  const policy = await readPrivacyPolicy(file, shown);
  return { policy, shown, globs: scannedGlobs(policy, config) };
}
