import type { Config } from "../policy/model.js";
import type { PrivacyPolicy } from "./privacy-policy.js";

/**
 * The globs (picomatch, relative to the repository root) of the files a privacy policy scans:
 * its `paths`, and every record directory of the configuration when `records` is on. Both the
 * gate and `gatehouse scan` without paths use it, so they scan the same files.
 */
export function scannedGlobs(policy: PrivacyPolicy, config: Config): string[] {
  const globs = [...policy.paths];
  if (policy.records) {
    for (const dir of Object.values(config.records)) globs.push(`${dir.replace(/\/+$/, "")}/**`);
  }
  return globs;
}
