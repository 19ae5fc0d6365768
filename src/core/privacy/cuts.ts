/**
 * Where an e-mail address cut out of a longer run of local-part characters starts (see
 * `findEmails`). Every other detector reads such a start as the end of its candidate, as the
 * text will read once the address is replaced: that keeps masking idempotent.
 */
export class Cuts {
  private readonly set = new Set<number>();
  private sorted: number[] = [];
  private dirty = false;

  get size(): number {
    return this.set.size;
  }

  add(at: number): void {
    if (this.set.has(at)) return;
    this.set.add(at);
    this.dirty = true;
  }

  has(at: number): boolean {
    return this.set.size > 0 && this.set.has(at);
  }

  /** The first cut in `(start, start + span]`, or -1. O(log cuts). */
  nextAfter(start: number, span: number): number {
    if (this.set.size === 0) return -1;
    if (this.dirty) {
      this.sorted = [...this.set].sort((a, b) => a - b);
      this.dirty = false;
    }
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as number) <= start) lo = mid + 1;
      else hi = mid;
    }
    const next = this.sorted[lo];
    return next !== undefined && next <= start + span ? next : -1;
  }
}

/**
 * Runs a sticky pattern at `start` on the text as a candidate there may read it: when a cut
 * lies within `span` characters, the text ends there with a space. Only the characters from one
 * before `start` (for a look-behind) to the cut are copied, so the cost stays bounded by `span`.
 * Returns the match, with `index` relative to `start` being 0, or null.
 */
export function matchAt(
  pattern: RegExp,
  text: string,
  start: number,
  span: number,
  cuts: Cuts,
): RegExpExecArray | null {
  const cut = cuts.nextAfter(start, span);
  if (cut === -1) {
    pattern.lastIndex = start;
    return pattern.exec(text);
  }
  const from = Math.max(0, start - 1);
  pattern.lastIndex = start - from;
  return pattern.exec(`${text.slice(from, cut)} `);
}
