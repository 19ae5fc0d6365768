/**
 * The pages of a pull request's connections (files, commits, reviews, labels, head checks) as
 * the snapshot queries bring them, converted to the words of the core, with the cursor of every
 * connection that has another page.
 */
import type { ChangedFile, Review, Snapshot } from "../core/types.js";
import type {
  Connection,
  ContextNode,
  FollowUpAnswer,
  OpenPullNode,
  PullRequestNode,
} from "./graphql-types.js";
import type { OwnRun } from "./report-check.js";
import type { FollowUpPlan, PullConnection } from "./snapshot-queries.js";
import { addChecks, toChangedFile, toCommit, toReview } from "./snapshot-parts.js";

type Tracked = PullConnection | "checks" | "openPulls";

/** Collects the pages of the pull request's connections as they arrive. */
export class PullPages {
  changed: ChangedFile[] = [];
  commits: Snapshot["commits"] = [];
  reviews: Review[] = [];
  labels: string[] = [];
  checks: Record<string, string> = {};
  /** The repository's open pull requests (this one too), for the commits they head. */
  openPulls: OpenPullNode[] = [];
  /** gatehouse's own newest run on the head commit, the one a write updates. */
  ownRun: OwnRun | null = null;
  private cursors: Partial<Record<Tracked, string>> = {};
  private totals: Partial<Record<Tracked, number>> = {};
  private readonly changedFiles: number | undefined;
  private readonly ownApp: number | undefined;
  private reviewCount = 0;
  private checkCount = 0;
  private parentsCut: string | null = null;

  constructor(
    pr: PullRequestNode,
    private readonly ownCheck: string,
    more: { openPulls?: Connection<OpenPullNode> | undefined; ownApp?: number | undefined } = {},
  ) {
    this.changedFiles = pr.changedFiles;
    this.ownApp = more.ownApp;
    if (more.openPulls) this.addOpenPulls(more.openPulls);
    this.addPull(pr);
    const head = pr.headCommit.nodes?.[0]?.commit.statusCheckRollup?.contexts;
    if (head) this.addContexts(head);
  }

  nextPages(): FollowUpPlan["pages"] {
    const pages: FollowUpPlan["pages"] = {};
    for (const key of ["files", "commits", "latestOpinionatedReviews", "labels"] as const) {
      const cursor = this.cursors[key];
      if (cursor) pages[key] = cursor;
    }
    return pages;
  }

  checksAfter(): string | undefined {
    return this.cursors.checks;
  }

  openPullsAfter(): string | undefined {
    return this.cursors.openPulls;
  }

  add(answer: FollowUpAnswer): void {
    const pull = answer.repository?.pullRequest;
    for (const key of ["files", "commits", "latestOpinionatedReviews", "labels"] as const) {
      if (this.cursors[key] && !pull?.[key]) {
        throw new Error(`GitHub did not answer the next page of the pull request's ${key}.`);
      }
    }
    if (pull) this.addPull(pull);
    const contexts = answer.repository?.checks?.statusCheckRollup?.contexts;
    if (this.cursors.checks && !contexts) {
      throw new Error("GitHub did not answer the next page of the head commit's checks.");
    }
    if (contexts) this.addContexts(contexts);
    const open = answer.repository?.openPulls;
    if (this.cursors.openPulls && !open) {
      throw new Error("GitHub did not answer the next page of the repository's pull requests.");
    }
    if (open) this.addOpenPulls(open);
  }

  /**
   * Why what the pages brought is not everything the pull request holds, or null when it is.
   * GitHub lists at most 3,000 files (and 250 commits) of a pull request and says so only
   * through the totals: a change hidden past the cap must fail the check, never pass unread.
   */
  incomplete(): string | null {
    const files = Math.max(this.changedFiles ?? 0, this.totals.files ?? 0);
    if (this.changed.length < files) {
      return `GitHub listed ${count(this.changed.length)} of the ${count(files)} files this pull request changes (it lists at most 3,000), so gatehouse could not read every change. Split the pull request into smaller ones.`;
    }
    const listed: Array<[Tracked, number, string]> = [
      ["openPulls", this.openPulls.length, "open pull requests of the repository"],
      ["commits", this.commits.length, "commits"],
      ["latestOpinionatedReviews", this.reviewCount, "reviews"],
      ["labels", this.labels.length, "labels"],
      ["checks", this.checkCount, "checks on the head commit"],
    ];
    for (const [key, have, what] of listed) {
      const total = this.totals[key] ?? 0;
      if (have < total) {
        return `GitHub listed ${count(have)} of the ${key === "openPulls" ? "" : "pull request's "}${count(total)} ${what}, so gatehouse could not read them all. ${key === "commits" ? "Split the pull request into smaller ones." : "Judge it again with /gatehouse recheck; if this stays, report it to the gatehouse maintainers."}`;
      }
    }
    return this.parentsCut;
  }

  private addPull(pr: Partial<PullRequestNode>): void {
    if (pr.files) {
      this.track("files", pr.files);
      for (const f of pr.files.nodes ?? []) if (f) this.changed.push(toChangedFile(f));
    }
    if (pr.commits) {
      this.track("commits", pr.commits);
      for (const c of pr.commits.nodes ?? []) {
        if (!c) continue;
        const parents = c.commit.parents;
        if ((parents.totalCount ?? 0) > (parents.nodes ?? []).length) {
          this.parentsCut ??= `commit ${c.commit.oid.slice(0, 12)} merges ${count(parents.totalCount ?? 0)} parents, more than gatehouse reads; merge fewer branches at once.`;
        }
        this.commits.push(toCommit(c.commit));
      }
    }
    if (pr.latestOpinionatedReviews) {
      this.track("latestOpinionatedReviews", pr.latestOpinionatedReviews);
      for (const r of pr.latestOpinionatedReviews.nodes ?? []) {
        // Counted before conversion: a review of a deleted account is listed but left out.
        if (r) this.reviewCount += 1;
        const review = r ? toReview(r) : null;
        if (review) this.reviews.push(review);
      }
    }
    if (pr.labels) {
      this.track("labels", pr.labels);
      for (const l of pr.labels.nodes ?? []) if (l) this.labels.push(l.name);
    }
  }

  private addOpenPulls(open: Connection<OpenPullNode>): void {
    this.track("openPulls", open);
    for (const pull of open.nodes ?? []) if (pull) this.openPulls.push(pull);
  }

  private addContexts(contexts: Connection<ContextNode>): void {
    this.track("checks", contexts);
    for (const node of contexts.nodes ?? []) {
      if (node?.__typename !== "CheckRun" || node.name !== this.ownCheck) continue;
      if (typeof node.databaseId !== "number") continue;
      // A run of the same name by another app is not ours to update, nor to compare with.
      const app = node.checkSuite?.app?.databaseId;
      if (this.ownApp !== undefined && app !== this.ownApp) continue;
      if (this.ownRun && this.ownRun.id > node.databaseId) continue;
      this.ownRun = {
        id: node.databaseId,
        status: node.status,
        conclusion: node.conclusion === null ? null : node.conclusion.toLowerCase(),
        externalId: node.externalId ?? null,
        annotated: (node.annotations?.totalCount ?? 0) > 0,
      };
    }
    this.checkCount += (contexts.nodes ?? []).filter((n) => n !== null).length;
    addChecks(this.checks, contexts.nodes ?? [], this.ownCheck);
  }

  private track(key: Tracked, connection: Connection<unknown>): void {
    if (connection.totalCount !== undefined) this.totals[key] = connection.totalCount;
    if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
      this.cursors[key] = connection.pageInfo.endCursor;
    } else {
      delete this.cursors[key];
    }
  }
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
