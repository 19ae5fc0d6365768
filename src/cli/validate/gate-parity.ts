/**
 * What `validate` checks beyond each file on its own, so that "valid" means the gate will not
 * refuse the push: the repository's set-up (example members, signatures without keys), personal
 * data in every scanned file, and the gate's own verdict on the working tree.
 */
import { realpath } from "node:fs/promises";
import type { Policy } from "../../core/policy/model.js";
import type { Finding } from "../../core/types.js";
import { openRepository } from "../../git/refs.js";
import { workTreeFiles } from "../../git/work-tree-files.js";
import { workTreeText } from "../work-tree-text.js";
import { adoptionFindings } from "./adoption-findings.js";
import { gateFindings } from "./gate-findings.js";
import { privacyFindings } from "./privacy-findings.js";

export interface ParityOutcome {
  findings: Finding[];
  /** Said to the user when the gate's rules could not be applied, and why. */
  note?: string;
}

/**
 * The findings for the repository at `repo`, whose policy loaded from `files`. With `targets`
 * (repository paths the user named), file findings are kept only for files at or under them.
 */
export async function gateParity(
  repo: string,
  policy: Policy | null,
  files: Map<string, string>,
  targets: string[] | null,
  now: Date,
): Promise<ParityOutcome> {
  if (policy === null) return { findings: [] }; // validate reports why the policy did not load
  // The gate judges a clone as a whole: only when `repo` is the top of one.
  const clone = (await gitTop(repo)) === (await realpath(repo));
  const paths = await workTreeFiles(repo);
  const findings = [
    ...(await adoptionFindings(policy, files)),
    ...(await privacyFindings(policy, paths, (path) => workTreeText(repo, path), now)),
  ];
  const gate = clone ? await gateFindings(repo, now) : { findings: [] };
  findings.push(...gate.findings);
  const kept =
    targets === null
      ? findings
      : findings.filter((f) => isPolicyFinding(f, policy) || within(f.path, targets));
  return gate.note === undefined ? { findings: kept } : { findings: kept, note: gate.note };
}

function within(path: string, targets: string[]): boolean {
  return targets.some(
    (t) => t === "." || path === t || path.startsWith(`${t.replace(/\/+$/, "")}/`),
  );
}

function isPolicyFinding(finding: Finding, policy: Policy): boolean {
  return finding.path.startsWith(`${policy.config.policies.replace(/\/+$/, "")}/`);
}

/** The top level of the clone holding `dir`, or undefined outside git. */
async function gitTop(dir: string): Promise<string | undefined> {
  return openRepository(dir).catch(() => undefined);
}
