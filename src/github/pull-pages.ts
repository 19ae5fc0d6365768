/**
 * The pages of a pull request's connections (files, commits, reviews, labels, head checks) as
 * the snapshot queries bring them, converted to the words of the core, with the cursor of every
 * connection that has another page.
 */
import type { ChangedFile, Review, Snapshot } from "../core/types.js";
import type { Connection, FollowUpAnswer, PullRequestNode } from "./graphql-types.js";
import type { FollowUpPlan, PullConnection } from "./snapshot-queries.js";
import { addChecks, toChangedFile, toCommit, toReview } from "./snapshot-parts.js";

/** Collects the pages of the pull request's connections as they arrive. */
export class PullPages {
  changed: ChangedFile[] = [];
  commits: Snapshot["commits"] = [];
  reviews: Review[] = [];
  labels: string[] = [];
  checks: Record<string, string> = {};
  private cursors: Partial<Record<PullConnection | "checks", string>> = {};

  constructor(
    pr: PullRequestNode,
    private readonly ownCheck: string,
  ) {
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
  }

  private addPull(pr: Partial<PullRequestNode>): void {
    if (pr.files) {
      this.track("files", pr.files);
      for (const f of pr.files.nodes ?? []) if (f) this.changed.push(toChangedFile(f));
    }
    if (pr.commits) {
      this.track("commits", pr.commits);
      for (const c of pr.commits.nodes ?? []) if (c) this.commits.push(toCommit(c.commit));
    }
    if (pr.latestOpinionatedReviews) {
      this.track("latestOpinionatedReviews", pr.latestOpinionatedReviews);
      for (const r of pr.latestOpinionatedReviews.nodes ?? []) {
        const review = r ? toReview(r) : null;
        if (review) this.reviews.push(review);
      }
    }
    if (pr.labels) {
      this.track("labels", pr.labels);
      for (const l of pr.labels.nodes ?? []) if (l) this.labels.push(l.name);
    }
  }

  private addContexts(contexts: Connection<Parameters<typeof addChecks>[1][number]>): void {
    this.track("checks", contexts);
    addChecks(this.checks, contexts.nodes ?? [], this.ownCheck);
  }

  private track(key: PullConnection | "checks", connection: Connection<unknown>): void {
    if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
      this.cursors[key] = connection.pageInfo.endCursor;
    } else {
      delete this.cursors[key];
    }
  }
}
