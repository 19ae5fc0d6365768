import { loadConfig } from "../core/policy/load-config.js";

/**
 * The policies directory that `.github/gatehouse.yml` names (default "policies"). An invalid
 * config gives the default here; the evaluator loads the config again and fails on it.
 */
export function policiesDirectory(configText: string | undefined): string {
  return loadConfig(configText).config.policies;
}
