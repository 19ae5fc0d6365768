/**
 * What `gatehouse validate` checks beyond the schemas, so that it refuses what `check` would:
 * the calendar, the deployments policy, the privacy policy, the trusted keys, a record's state against its workflow,
 * and a change window that ends before it starts. Each check reuses the loader `check` uses.
 */
import { loadCalendar } from "../core/calendar/load-calendar.js";
import { loadDeployments } from "../core/deploy/load-deployments.js";
import { parseRoles } from "../core/policy/parse-roles.js";
import type { Config, Policy } from "../core/policy/model.js";
import { parsePrivacyPolicy } from "../core/privacy/privacy-policy.js";
import type { ParsedRecord } from "../core/records/model.js";
import { loadKeyring, type KeyFiles } from "../core/signatures/keyring.js";
import type { Finding } from "../core/types.js";
import { didYouMean } from "../core/policy/did-you-mean.js";

/** "did you mean "draft"? Its workflow knows " for a likely typo of one of `known`. */
function hint(name: string, known: string[]): string {
  const guess = didYouMean(name, known);
  return guess === undefined
    ? "its workflow knows "
    : `did you mean "${guess}"? Its workflow knows `;
}

/**
 * Findings in calendar.yml, privacy.yml and the key files among `files` (the policy files), or
 * in `keys` when given (key files read as bytes, so that a binary one can be named).
 */
export async function policyFileFindings(
  files: Map<string, string>,
  config: Config,
  keys?: KeyFiles,
): Promise<Finding[]> {
  const dir = config.policies.replace(/\/+$/, "");
  const findings: Finding[] = [];
  const calendar = files.get(`${dir}/calendar.yml`);
  if (calendar !== undefined) {
    findings.push(...loadCalendar(`${dir}/calendar.yml`, calendar).findings);
  }
  const deployments = files.get(`${dir}/deployments.yml`);
  const rolesText = files.get(`${dir}/roles.yml`);
  if (deployments !== undefined && rolesText !== undefined) {
    // Roles.yml reports its own problems; here it only names the roles an executor may be.
    const roles = parseRoles(`${dir}/roles.yml`, rolesText).roles?.roles;
    if (roles) {
      const path = `${dir}/deployments.yml`;
      const rolesPath = `${dir}/roles.yml`;
      findings.push(
        ...loadDeployments(path, deployments, new Set(roles.keys()), rolesPath).findings,
      );
    }
  }
  const privacy = files.get(`${dir}/privacy.yml`);
  if (privacy !== undefined) {
    findings.push(...parsePrivacyPolicy(`${dir}/privacy.yml`, privacy).findings);
  }
  const keyFiles = keys ?? new Map([...files].filter(([path]) => path.startsWith(`${dir}/keys/`)));
  if (keyFiles.size > 0) findings.push(...(await loadKeyring(keyFiles)).problems);
  return findings;
}

/**
 * Findings a valid-looking record still has: a state its kind's workflow does not know, and a
 * window that ends at or before its start. Only for records without schema findings, so one
 * mistake is not reported twice.
 */
export function recordFindings(record: ParsedRecord, policy: Policy | null): Finding[] {
  if (record.findings.length > 0) return [];
  const findings: Finding[] = [];
  const workflow = record.kind === null ? undefined : policy?.workflows.kinds[record.kind];
  if (workflow && record.state !== null && !workflow.states.includes(record.state)) {
    findings.push({
      ...record.locate("/state"),
      code: "record/unknown-state",
      message: `state "${record.state}" is not a state of ${record.kind}; ${hint(record.state, workflow.states)}${workflow.states.join(", ")}.`,
    });
  }
  const window = record.data.window as { start?: unknown; end?: unknown } | null | undefined;
  if (typeof window?.start === "string" && typeof window.end === "string") {
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start) {
      findings.push({
        ...record.locate("/window/end"),
        code: "record/window-order",
        message: `window.end (${window.end}) is not after window.start (${window.start}); make the window end after it starts.`,
      });
    }
  }
  return findings;
}
