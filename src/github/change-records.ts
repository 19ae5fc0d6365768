/**
 * The ChangeRequest files of the base commit, for the deployment rules: the change a pull
 * request names, overlapping windows, overdue emergency changes. They come with the snapshot's
 * first follow-up query (no request of their own), three folders deep
 * (`changes/2026/03/CHG-….yaml`); anything unreadable fails the judgement closed, since a
 * change left out could hide a conflict.
 */
import { loadPolicy } from "../core/policy/load-policy.js";
import type { Config } from "../core/policy/model.js";
import { environmentsOfPath } from "../core/deploy/load-deployments.js";
import { policyDeployments } from "../core/deploy/policy-deployments.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import type { ChangedFile } from "../core/types.js";
import type { TreeNode } from "./graphql-types.js";
import { flattenTree } from "./snapshot-parts.js";

/**
 * Whether a pull request needs the base commit's change records: it changes a record, or a file
 * the base policy's deployments.yml governs. A policy that cannot be loaded fails in the core.
 */
export function needsChangeRecords(
  baseFiles: Map<string, string>,
  config: Config,
  changed: ChangedFile[],
): boolean {
  const paths = changed.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]));
  if (paths.some((p) => recordKindForPath(p, config) !== null)) return true;
  const load = loadPolicy(baseFiles);
  if (!load.ok) return false;
  const deployments = policyDeployments(load.policy).deployments;
  if (!deployments) return false;
  return paths.some((p) => environmentsOfPath(p, deployments).length > 0);
}

/**
 * The change records (path -> text) of the base commit's change directory as the snapshot's
 * follow-up query read it (`changes`, three folders deep). Throws when one cannot be read.
 */
export function changeRecordsOf(
  tree: TreeNode | null | undefined,
  config: Config,
): Map<string, string> {
  const dir = config.records.ChangeRequest.replace(/\/+$/, "");
  const files = new Map<string, string>();
  const unreadable = flattenTree(tree, files).filter(
    (path) => recordKindForPath(path, config) !== null || !/\.[^/]*$/.test(path),
  );
  if (unreadable.length > 0) {
    throw new Error(
      `${unreadable.slice(0, 3).join(", ")} could not be read as change records (binary, too large, a link, or more than three folders deep in ${dir}/), so gatehouse cannot show which changes are scheduled; keep change records small YAML files at most two folders below ${dir}/`,
    );
  }
  for (const path of [...files.keys()]) {
    if (recordKindForPath(path, config) !== "ChangeRequest") files.delete(path);
  }
  return files;
}
