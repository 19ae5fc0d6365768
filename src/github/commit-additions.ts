/**
 * What each commit of a pull request added, from GitHub, for the personal-data scan of the
 * branch's history (GraphQL has no diffs; REST gives each commit's files with their patches).
 * A merge counts only the lines new to every parent, as `git log --cc` does: a line is kept
 * when the diff from each parent adds it at the same place.
 *
 * Bounded: one request per commit (and one per further parent of a merge), four at a time, at
 * most {@link MAX_FILE_PAGES} pages of files each; the patches kept are capped in all, and a
 * commit's additions are remembered by sha (commits never change), so a re-judgement of the
 * same pull request asks again only for new commits.
 */
import { addedLinesOfPatch } from "../core/diff/added-lines.js";
import type { AddedLines, Commit, CommitAdditions } from "../core/types.js";
import type { PullRequestRef } from "./load-snapshot.js";

/** The part of an Octokit this needs. */
export interface RestClient {
  request(route: string, parameters: Record<string, unknown>): Promise<{ data: unknown }>;
}

/** GitHub's page size for a commit's files, and the most pages read (GitHub stops at 3,000). */
const FILES_PER_PAGE = 100;
const MAX_FILE_PAGES = 30;
/** The most patch text kept for one pull request, and remembered across pull requests. */
const MAX_ADDED_BYTES = 64 * 1024 * 1024;
const MAX_REMEMBERED_BYTES = 32 * 1024 * 1024;
const PARALLEL = 4;

interface FileNode {
  filename: string;
  status: string;
  patch?: string;
  changes?: number;
}

const remembered = new Map<string, { additions: CommitAdditions; bytes: number }>();
let rememberedBytes = 0;

/** What each commit added, oldest first as given; and how many requests that took. */
export async function commitAdditions(
  github: RestClient,
  pull: Pick<PullRequestRef, "owner" | "repo">,
  commits: readonly Commit[],
): Promise<{ additions: CommitAdditions[]; requests: number }> {
  const out: CommitAdditions[] = new Array(commits.length);
  let requests = 0;
  let budget = MAX_ADDED_BYTES;
  for (let i = 0; i < commits.length; i += PARALLEL) {
    const batch = commits.slice(i, i + PARALLEL);
    const answers = await Promise.all(
      batch.map(async (commit) => {
        const key = `${pull.owner}/${pull.repo}@${commit.sha}`;
        const known = remembered.get(key);
        if (known) return { additions: known.additions, asked: 0 };
        const read = await readCommit(github, pull, commit);
        remember(key, read.additions);
        return read;
      }),
    );
    answers.forEach((answer, j) => {
      requests += answer.asked;
      budget -= bytesOf(answer.additions);
      out[i + j] =
        budget >= 0
          ? answer.additions
          : {
              sha: answer.additions.sha,
              files: answer.additions.files.map((f) => ({ ...unread(f.path, "too large") })),
            };
    });
  }
  return { additions: out, requests };
}

async function readCommit(
  github: RestClient,
  pull: Pick<PullRequestRef, "owner" | "repo">,
  commit: Commit,
): Promise<{ additions: CommitAdditions; asked: number }> {
  // A commit with one parent (or none) is read as GitHub shows it; a merge against each parent.
  const parents = commit.parents.length <= 1 ? [undefined] : commit.parents;
  const diffs: Array<Map<string, AddedLines>> = [];
  let asked = 0;
  for (const parent of parents) {
    const files = await filesOf(github, pull, commit.sha, parent);
    asked += files.pages;
    diffs.push(new Map(files.nodes.flatMap((node) => addedOf(node))));
  }
  const [first, ...others] = diffs;
  const files: AddedLines[] = [];
  for (const [path, added] of first ?? []) {
    // A merge: only what every parent's diff adds at the same place.
    const kept = others.reduce<AddedLines | undefined>(
      (acc, other) => (acc === undefined ? undefined : common(acc, other.get(path))),
      added,
    );
    if (kept !== undefined) files.push(kept);
  }
  return { additions: { sha: commit.sha, files }, asked };
}

/** The files a commit changed, against one parent (or as GitHub shows the commit when none is named). */
async function filesOf(
  github: RestClient,
  pull: Pick<PullRequestRef, "owner" | "repo">,
  sha: string,
  parent: string | undefined,
): Promise<{ nodes: FileNode[]; pages: number }> {
  const nodes: FileNode[] = [];
  for (let page = 1; page <= MAX_FILE_PAGES; page++) {
    const { data } = await github.request(
      parent === undefined
        ? "GET /repos/{owner}/{repo}/commits/{ref}"
        : "GET /repos/{owner}/{repo}/compare/{basehead}",
      {
        owner: pull.owner,
        repo: pull.repo,
        ...(parent === undefined ? { ref: sha } : { basehead: `${parent}...${sha}` }),
        per_page: FILES_PER_PAGE,
        page,
      },
    );
    const files = ((data as { files?: FileNode[] }).files ?? []).filter(Boolean);
    nodes.push(...files);
    if (files.length < FILES_PER_PAGE) return { nodes, pages: page };
  }
  // GitHub lists no more than this; what lies beyond cannot be shown clean.
  nodes.push({
    filename: `(more than ${MAX_FILE_PAGES * FILES_PER_PAGE} files)`,
    status: "unlisted",
  });
  return { nodes, pages: MAX_FILE_PAGES };
}

function addedOf(node: FileNode): Array<[string, AddedLines]> {
  if (node.status === "removed") return [];
  if (node.status === "unlisted")
    return [[node.filename, unread(node.filename, "GitHub lists no more files of this commit")]];
  if (node.patch !== undefined)
    return [[node.filename, addedLinesOfPatch(node.filename, node.patch)]];
  // No patch: a rename or mode change without changed lines, or a binary or too large diff.
  if (node.changes === 0) return [[node.filename, { path: node.filename, text: "", lines: [] }]];
  return [[node.filename, unread(node.filename, "GitHub shows no patch: binary or too large")]];
}

/** The lines that both diffs add at the same line number. */
function common(a: AddedLines, b: AddedLines | undefined): AddedLines | undefined {
  if (b === undefined) return undefined; // the file is as one parent had it
  if (a.unreadable !== undefined) return a;
  if (b.unreadable !== undefined) return b;
  const theirText = b.text.split("\n");
  const theirs = new Map(b.lines.map((line, i) => [line, theirText[i]]));
  const ours = a.text === "" ? [] : a.text.split("\n");
  const text: string[] = [];
  const lines: number[] = [];
  a.lines.forEach((line, i) => {
    if (theirs.get(line) === ours[i]) {
      text.push(ours[i] as string);
      lines.push(line);
    }
  });
  return { path: a.path, text: text.join("\n"), lines };
}

function unread(path: string, why: string): AddedLines {
  return { path, text: "", lines: [], unreadable: why };
}

function bytesOf(additions: CommitAdditions): number {
  return additions.files.reduce((sum, f) => sum + f.text.length, 0);
}

/** Remembers a commit's additions, forgetting the oldest beyond the memory bound. */
function remember(key: string, additions: CommitAdditions): void {
  const bytes = bytesOf(additions);
  if (bytes > MAX_REMEMBERED_BYTES) return;
  remembered.set(key, { additions, bytes });
  rememberedBytes += bytes;
  for (const [old, entry] of remembered) {
    if (rememberedBytes <= MAX_REMEMBERED_BYTES) break;
    remembered.delete(old);
    rememberedBytes -= entry.bytes;
  }
}
