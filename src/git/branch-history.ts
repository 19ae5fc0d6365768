/**
 * The first-parent history of a branch with the paths each commit changed against its first
 * parent (a merge commit: what the merge brought in; the root commit: every file), in one
 * `git log`, for the completeness of the population `gatehouse audit` reports.
 */
import { simpleGit } from "simple-git";
import type { BranchCommit } from "../core/evidence/audit/population.js";

const MARK = "\u0001";

/** Newest first. `since` limits it to commits at or after that time. */
export async function branchHistory(
  root: string,
  tip: string,
  since?: Date,
): Promise<BranchCommit[]> {
  const output = await simpleGit({ baseDir: root }).raw([
    "-c",
    "core.quotePath=false",
    "log",
    "--first-parent",
    "--diff-merges=first-parent",
    "--root",
    "--no-renames",
    "--name-only",
    "-z",
    `--format=${MARK}%H%x00%cI%x00%s`,
    ...(since ? [`--since=${since.toISOString()}`] : []),
    tip,
    "--",
  ]);
  const commits: BranchCommit[] = [];
  for (const chunk of output.split(MARK)) {
    if (chunk === "") continue;
    // "<sha>\0<date>\0<subject>\0\n<path>\0<path>\0…": paths follow a newline after the subject.
    const [sha = "", date = "", subject = "", ...paths] = chunk.split("\0");
    commits.push({
      sha,
      date,
      subject,
      paths: paths.map((p) => p.replace(/^\n/, "")).filter((p) => p !== ""),
    });
  }
  return commits;
}
