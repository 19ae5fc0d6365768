/**
 * Rules about the changed paths themselves, before anything reads their content. Every change
 * of a path is judged whatever git object carries it and whatever its name holds: a name that
 * checkouts show differently is refused, and so is a symbolic link or a submodule entry, whose
 * content gatehouse cannot judge, unless workflows.yml lists the path under `links`.
 */
import { pathMatcher } from "../paths/path-matcher.js";
import { displayPath, unplainName } from "../paths/path-name.js";
import type { ChangedFile, EntryType, Finding, RuleResult } from "../types.js";
import type { EvaluationContext } from "./context.js";
import { branch, leaf } from "./nodes.js";

const WHAT: Record<Exclude<EntryType, "file">, string> = {
  symlink: "a symbolic link",
  submodule: "a submodule entry (a commit of another repository)",
};

/** The `files` node: plain names, and regular files wherever no link is allowed. */
export function judgeFiles(ctx: EvaluationContext): RuleResult {
  const linksAllowed = pathMatcher(ctx.policy.workflows.links);
  const children: RuleResult[] = [];
  for (const file of ctx.snapshot.changed) {
    const paths = new Set([file.previousPath ?? file.path, file.path]);
    for (const path of paths) {
      const why = unplainName(path);
      if (why !== null) {
        const reason = `the file name ${displayPath(path)} ${why}; every checkout and review page must show a name as git stores it, so rename the file`;
        children.push(failure(`files/name/${displayPath(path)}`, path, "path/name", reason));
      }
    }
    const head = headEntry(file);
    if (head !== "file" && !linksAllowed(file.path)) {
      const was = file.entry?.base;
      const becomes = file.status === "added" || was === head ? "is" : "becomes";
      const reason = `${displayPath(file.path)} ${becomes} ${WHAT[head]}; gatehouse judges the content of regular files only, and a link or submodule can change what a checkout holds where no rule looks; make it a regular file, or list the path under links: in workflows.yml`;
      children.push(
        failure(`files/entry/${displayPath(file.path)}`, file.path, "path/entry", reason),
      );
    }
  }
  const count = ctx.snapshot.changed.length;
  if (children.length === 0) {
    const what =
      count === 1
        ? "the changed path is a regular file with a plain name"
        : `all ${count} changed paths are regular files with plain names`;
    return leaf(
      "files",
      count === 0 ? "skipped" : "satisfied",
      count === 0 ? "no file changed" : what,
    );
  }
  return branch("files", children, "");
}

/** What the head side of a change holds; a removed path holds nothing to judge. */
function headEntry(file: ChangedFile): EntryType {
  return file.status === "removed" ? "file" : (file.entry?.head ?? "file");
}

function failure(id: string, path: string, code: string, reason: string): RuleResult {
  const finding: Finding = { path: displayPath(path), line: 1, column: 1, code, message: reason };
  return leaf(id, "failed", reason, { findings: [finding] });
}
