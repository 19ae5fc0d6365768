import type { RuleResult } from "../types.js";
import type { EvaluationContext } from "./context.js";
import { andList, EXCLUSION_WORDS } from "./explain-slot.js";
import { leaf } from "./nodes.js";
import { loginKey } from "./resolve-login.js";
import type { Slot } from "./slot.js";

/** The pull-request-wide rules: four-eyes, blocking reviews, unknown contributors. */
export function judgeCommon(ctx: EvaluationContext, slots: Slot[]): RuleResult[] {
  return [fourEyes(ctx), changesRequested(ctx, slots), contributors(ctx)];
}

function fourEyes(ctx: EvaluationContext): RuleResult {
  if (!ctx.policy.workflows.fourEyes)
    return leaf("four-eyes", "skipped", "four-eyes is off in workflows.yml");
  const approvers = ctx.approvals.map((a) => a.user);
  if (approvers.length > 0) {
    return leaf(
      "four-eyes",
      "satisfied",
      `approved by ${andList(approvers)}, who did not write this pull request`,
    );
  }
  // An approval that does not count looks like one in GitHub's list; say why it does not.
  const head = ctx.snapshot.head.sha;
  const approved = [...ctx.latestReviews.entries()].filter(([, r]) => r.state === "APPROVED");
  const own = approved.flatMap(([key, r]) => {
    const exclusion = ctx.excluded.get(key);
    return exclusion
      ? [`${r.user}'s approval does not count: ${r.user} ${EXCLUSION_WORDS[exclusion]}`]
      : [];
  });
  const stale = approved
    .filter(([key, r]) => r.commit !== head && !ctx.excluded.has(key))
    .map(([, r]) => `${r.user} approved ${r.commit.slice(0, 7)}, not the head`);
  const why = [
    ...own,
    ...(stale.length > 0 ? [`${stale.join("; ")}; approvals count only on the head commit`] : []),
  ]
    .map((reason) => `; ${reason}`)
    .join("");
  return leaf(
    "four-eyes",
    "pending",
    `needs an approval on the head commit from someone who neither opened this pull request nor authored or committed any of its commits${why}`,
  );
}

/**
 * A latest "changes requested" review from someone whose approval this pull request needs keeps
 * it waiting until that person approves or the review is dismissed.
 */
function changesRequested(ctx: EvaluationContext, slots: Slot[]): RuleResult {
  const roles = new Set(slots.map((s) => s.role).filter((r) => r !== null));
  const owners = new Set(
    slots.filter((s) => s.kind === "owners").flatMap((s) => s.eligible.map(loginKey)),
  );
  const blocking = [...ctx.latestReviews.values()].filter(
    (r) =>
      r.state === "CHANGES_REQUESTED" &&
      (owners.has(loginKey(r.user)) || [...roles].some((role) => ctx.holds(r.user, role))),
  );
  if (blocking.length === 0) {
    const any = [...ctx.latestReviews.values()].some((r) => r.state === "CHANGES_REQUESTED");
    return any
      ? leaf("changes-requested", "satisfied", "no one whose approval is needed requested changes")
      : leaf("changes-requested", "skipped", "no review requests changes");
  }
  const names = blocking.map((r) => r.user);
  return leaf(
    "changes-requested",
    "pending",
    `${andList(names)} requested changes; waiting until ${names.length === 1 ? "they approve" : "each approves"} or the review is dismissed`,
    { candidates: names },
  );
}

/** Commits whose author is unknown, named by short sha and e-mail domain only (personal data). */
function contributors(ctx: EvaluationContext): RuleResult {
  const unknown = ctx.contributors.filter((c) => c.author === null);
  if (unknown.length === 0)
    return leaf("contributors", "skipped", "every commit author is a known GitHub user");
  // The reader's own e-mail is shown in full: masking is for other people's data.
  const reader = new Set((ctx.snapshot.readerEmails ?? []).map((e) => e.toLowerCase()));
  const list = unknown.map((c) => {
    const own = reader.has(c.authorEmail.trim().toLowerCase());
    return `${c.sha.slice(0, 7)} (${own ? c.authorEmail.trim() : domainOf(c.authorEmail)})`;
  });
  const shown = list.length > 10 ? [...list.slice(0, 10), `${list.length - 10} more`] : list;
  return leaf(
    "contributors",
    "satisfied",
    `${unknown.length === 1 ? "1 commit has" : `${unknown.length} commits have`} an author gatehouse cannot map to a login: ${shown.join(", ")}; this alone does not block (the signature rule judges whether to trust them); to name them, add their e-mail to identities or a trusted key`,
  );
}

function domainOf(email: string): string {
  const at = email.lastIndexOf("@");
  return at >= 0 && at < email.length - 1 ? `@${email.slice(at + 1).toLowerCase()}` : "no e-mail";
}
