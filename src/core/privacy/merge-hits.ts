import type { RawHit } from "./raw-hit.js";

/**
 * Merges the per-detector lists (each in text order) into text order. Where two candidates
 * overlap, the one that starts first (then the longer one) names the detection, and the
 * detection grows to cover both (see {@link RawHit.head}): in `a@b.cn+c@d.cn` the second
 * address shares characters with the first; masking only the first would leave the second
 * whole, and masking only the second would leave a remainder that is found again once the
 * first is masked. Covering both keeps masking idempotent and leaks nothing.
 *
 * O(hits · lists): each step takes the head of one of a fixed number of lists.
 */
export function mergeHits(lists: RawHit[][]): RawHit[] {
  const heads = lists.map(() => 0);
  const out: RawHit[] = [];
  for (;;) {
    let best: RawHit | undefined;
    let bestList = -1;
    for (let i = 0; i < lists.length; i++) {
      const hit = lists[i]?.[heads[i] ?? 0];
      if (
        hit &&
        (!best || hit.start < best.start || (hit.start === best.start && hit.end > best.end))
      ) {
        best = hit;
        bestList = i;
      }
    }
    if (!best) return out;
    heads[bestList] = (heads[bestList] ?? 0) + 1;
    const last = out[out.length - 1];
    if (last === undefined || best.start >= last.end) out.push(best);
    else if (best.end > last.end) {
      out[out.length - 1] = { ...last, end: best.end, head: last.head ?? last.end };
    }
  }
}
