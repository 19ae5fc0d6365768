/**
 * One verdict per commit. GitHub keeps a check run on a commit, not on a pull request, and
 * branch protection reads the newest run of that name on the head. A commit that heads two open
 * pull requests (into `main` and into a branch with a looser policy) would otherwise carry the
 * verdict of whichever was judged last into both. gatehouse therefore passes a commit only while
 * it heads exactly one open pull request: whichever of them is judged, the verdict is the same
 * failure, so no order of judgements can lend one base's success to another. The check is
 * named `gatehouse` on every branch, so branch protection cannot be configured with the wrong
 * name for a branch. docs/github-app.md says what an admin requires.
 */
import type { Snapshot } from "../core/types.js";

/** Why the commit may not pass while other open pull requests share it, or null. */
export function sameHeadReason(
  snapshot: Pick<Snapshot, "number">,
  base: string,
  sameHead: Array<{ number: number; base: string }>,
): { title: string; reason: string } | null {
  if (sameHead.length === 0) return null;
  const all = [{ number: snapshot.number ?? 0, base }, ...sameHead].sort(
    (a, b) => a.number - b.number,
  );
  const list = all.map((p) => `#${p.number} into ${p.base}`).join(", ");
  const title = `Blocked: this commit heads ${all.length} open pull requests (${list})`;
  return {
    title,
    reason: `This commit is the head of ${all.length} open pull requests (${list}). A check belongs to a commit, not to a pull request, so gatehouse passes a commit only while it heads one open pull request: close the others (gatehouse then judges this one again), or give each pull request a commit of its own.`,
  };
}
