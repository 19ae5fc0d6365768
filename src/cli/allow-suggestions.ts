/**
 * `gatehouse scan --suggest-allow`: allow-list entries for what a scan found, each naming the
 * value by its digest (`sha256`), so that a value is never written out, not even into the
 * policy; and none for a value that passes every check of real personal data, which is to be
 * desensitised, never allowed.
 */
import { allowDigest } from "../core/privacy/allow-list.js";
import { DETECTORS, passesEveryCheck } from "../core/privacy/detector.js";
import type { Hit } from "../core/privacy/scan-text.js";

/** Places listed per entry, and values listed as not offered; the rest are counted. */
const MAX_PLACES = 3;
const MAX_REFUSED = 20;

export class AllowSuggestions {
  private readonly entries = new Map<
    string,
    { detector: Hit["detector"]; places: string[]; n: number }
  >();
  private readonly refused: string[] = [];
  private refusedCount = 0;

  /** Notes one hit, found at `shown` (a path as shown: masked). */
  add(shown: string, hit: Hit, raw: string): void {
    const place = `${shown}:${hit.line}:${hit.column} ${hit.masked}`;
    if (passesEveryCheck(hit.detector, hit.confidence)) {
      this.refusedCount++;
      if (this.refused.length < MAX_REFUSED) {
        this.refused.push(`${place} (${DETECTORS[hit.detector].title})`);
      }
      return;
    }
    const digest = allowDigest(hit.detector, raw);
    const entry = this.entries.get(digest) ?? { detector: hit.detector, places: [], n: 0 };
    if (entry.places.length < MAX_PLACES) entry.places.push(place);
    entry.n++;
    this.entries.set(digest, entry);
  }

  /** The entries as YAML to paste under `allow:` of the policy, and what was not offered. */
  render(policy: string): string {
    const lines: string[] = [];
    if (this.entries.size > 0) {
      lines.push(
        `# Allow-list entries for ${policy}: paste them under \`allow:\`. Each names a value by`,
        "# its digest, never by the value itself. Write in `reason` why the value is not personal",
        "# data (an entry without a reason is refused); drop the entries of values that are.",
      );
      for (const [digest, entry] of this.entries) {
        const more =
          entry.n > entry.places.length ? ` (and ${entry.n - entry.places.length} more)` : "";
        lines.push(
          `  - sha256: "${digest}"`,
          `    detectors: [${entry.detector}]`,
          `    reason: "" # ${entry.places.join(", ")}${more}`,
        );
      }
    }
    if (this.refusedCount > 0) {
      const more = this.refusedCount - this.refused.length;
      lines.push(
        "# Not offered for the allow-list: these pass every check of real personal data;",
        "# desensitise them with `gatehouse mask`.",
        ...this.refused.map((r) => `#   ${r}`),
        ...(more > 0 ? [`#   and ${more} more`] : []),
      );
    }
    if (lines.length === 0) lines.push("# No personal data found: nothing to allow-list.");
    return `${lines.join("\n")}\n`;
  }
}
