import type { RawHit } from "./raw-hit.js";

/**
 * Where the masked form of a hit starts keeping characters as they are (see `keptFrom`), as an
 * offset into the text; the hit's end when its mask keeps nothing long enough to hold a value.
 */
export type KeptFrom = (hit: RawHit) => number;

/**
 * Merges the per-detector lists (each in text order) into text order. Where two candidates
 * overlap, the one that starts first (then the longer one) names the detection, and the
 * detection grows to cover both (see {@link RawHit.head}): in `a@b.cn+c@d.cn` the second
 * address shares characters with the first; masking only the first would leave the second
 * whole, and masking only the second would leave a remainder that is found again once the
 * first is masked. Covering both keeps masking idempotent and leaks nothing.
 *
 * A candidate wholly inside another is dropped when the other's mask hides it, and otherwise
 * starred out with the rest of the detection: an e-mail address keeps its domain, so in
 * `zhang@13800138000.cn` or `a@10.12.3.4.version` the value in the domain is starred out
 * (`z***@***********.**`); kept, it would leak, and be found when the masked text is masked again.
 *
 * O(hits · lists): each step takes the head of one of a fixed number of lists.
 */
export function mergeHits(lists: RawHit[][], keptFrom: KeptFrom = (hit) => hit.end): RawHit[] {
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
    } else if (best.start >= keptFrom(last) && best.start < (last.head ?? last.end)) {
      out[out.length - 1] = { ...last, head: best.start };
    }
  }
}
