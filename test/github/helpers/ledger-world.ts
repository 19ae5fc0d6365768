/**
 * A governed repository on the fake GitHub whose pull requests are opened, judged, merged and
 * closed as on GitHub: `main` moves with merge commits in the repository's git objects, which
 * also hold the evidence ledger the App writes. The people are the demo's cast.
 */
import { CAST, DEPUTIES } from "../../../src/cli/demo/cast.js";
import { demoPack } from "../../../src/cli/demo/demo-pack.js";
import { initFiles } from "../../../src/cli/init-files.js";
import { APP_ID, examplePayload } from "./app.js";
import { FakeGit } from "./fake-git.js";
import type { FakeCommit, FakePull } from "./fake-github.js";

export const OWNER = "acme";
export const NAME = "payments";

export class LedgerWorld {
  readonly git = new FakeGit();
  files: Map<string, string>;
  main: string;
  private next = 10;

  private constructor(files: Map<string, string>) {
    this.files = files;
    this.main = this.git.commitFiles(files, [], "Adopt gatehouse");
    this.git.refs.set("refs/heads/main", this.main);
  }

  /** The finance pack with the demo's cast (signatures off) and the given files. */
  static async create(extra: Record<string, string> = {}): Promise<LedgerWorld> {
    const files = demoPack(await initFiles("finance"), [...CAST, ...DEPUTIES], null);
    for (const [path, text] of Object.entries(extra)) files.set(path, text);
    return new LedgerWorld(files);
  }

  /** A pull request into main by `author` that writes `files`, approved by `approvals`. */
  pull(
    author: string,
    files: Record<string, string>,
    approvals: string[],
    check: "SUCCESS" | "FAILURE" | null = "SUCCESS",
  ): FakePull {
    const number = this.next++;
    const headFiles = new Map(this.files);
    for (const [path, text] of Object.entries(files)) headFiles.set(path, text);
    const message = `#${number} by ${author}`;
    const head = this.git.commitFiles(headFiles, [this.main], message);
    const actor = {
      name: author,
      email: `${author}@users.noreply.github.com`,
      login: author,
      date: "2026-11-24T01:00:00Z",
    };
    const commit: FakeCommit = {
      sha: head,
      tree: this.git.commits.get(head)!.tree,
      parents: [this.main],
      author: actor,
      committer: actor,
      message,
      signature: null,
    };
    return {
      owner: OWNER,
      name: NAME,
      number,
      state: "OPEN",
      author,
      body: "",
      baseRef: "main",
      baseSha: this.main,
      headSha: head,
      baseFiles: new Map(this.files),
      headFiles,
      changed: Object.keys(files).map((path) => ({
        path,
        changeType: this.files.has(path) ? ("MODIFIED" as const) : ("ADDED" as const),
      })),
      commits: [commit],
      reviews: approvals.map((login) => ({
        login,
        state: "APPROVED" as const,
        commit: head,
        submittedAt: "2026-11-24T02:00:00Z",
      })),
      labels: [],
      checks:
        check === null
          ? []
          : [
              {
                name: "gatehouse",
                status: "COMPLETED",
                conclusion: check,
                databaseId: 500 + number,
                app: APP_ID,
              },
            ],
      teams: {},
      git: this.git,
    };
  }

  /** Merges the pull request with a merge commit; main moves to it. */
  merge(pull: FakePull): string {
    const tree = this.git.commits.get(pull.headSha)!.tree;
    const merge = this.git.commit(
      tree,
      [this.main, pull.headSha],
      `Merge pull request #${pull.number}`,
    );
    this.main = merge;
    this.files = new Map(pull.headFiles);
    this.git.refs.set("refs/heads/main", merge);
    pull.state = "MERGED";
    return merge;
  }

  /** The `pull_request.closed` delivery of a merged pull request. */
  closedPayload(pull: FakePull, merge: string, by: string): Record<string, unknown> {
    const payload = examplePayload("pull_request", "closed", pull);
    payload.pull_request.state = "closed";
    payload.pull_request.merged = true;
    payload.pull_request.merge_commit_sha = merge;
    payload.pull_request.merged_by = { ...payload.pull_request.user, login: by };
    payload.pull_request.merged_at = "2026-11-24T03:00:00Z";
    return payload;
  }
}
