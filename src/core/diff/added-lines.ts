/**
 * The lines a diff adds to one file, with their line numbers in the new version: from a unified
 * diff's hunks (`@@ -a,b +c,d @@`, what `git log -p` and GitHub's `patch` give) or from a merge's
 * combined diff (`@@@ -a,b -c,d +e,f @@@`, `git log --cc`), where a line counts as added only
 * when it is new to every parent (what an evil merge brings in, not what a parent already held).
 *
 * Linear: one pass over the diff's lines, constant work per line.
 */
import type { AddedLines } from "../types.js";

/** Collects the added lines of one file, fed the diff's lines one at a time. */
export class AddedLinesReader {
  private readonly text: string[] = [];
  private readonly lines: number[] = [];
  private size = 0;
  /** The next line number of the new version; 0 before the first hunk. */
  private next = 0;
  /** How many marker columns a content line has: 1, or one per parent in a combined diff. */
  private markers = 1;
  private tooLarge = false;

  /** @param maxBytes the most text kept; beyond it the file is read as too large. */
  constructor(
    readonly path: string,
    private readonly maxBytes = Infinity,
  ) {}

  /** Whether a hunk has started: header lines (`+++ b/…`) end there. */
  get inHunks(): boolean {
    return this.next > 0;
  }

  /** How much text is kept so far. */
  get bytes(): number {
    return this.size;
  }

  /** Reads one line of the diff (without its line break). */
  line(line: string): void {
    if (line.startsWith("@@")) {
      this.hunk(line);
      return;
    }
    if (this.next === 0 || line.startsWith("\\")) return; // "\ No newline at end of file"
    const markers = line.slice(0, this.markers);
    if (markers.includes("-")) return; // not in the new version
    if (/^\++$/.test(markers) && markers.length === this.markers) {
      const body = line.slice(this.markers);
      this.size += body.length + 1;
      if (this.size > this.maxBytes) this.tooLarge = true;
      else {
        this.text.push(body);
        this.lines.push(this.next);
      }
    }
    this.next++;
  }

  /** What was read. */
  result(unreadable?: string): AddedLines {
    const why = unreadable ?? (this.tooLarge ? "too large" : undefined);
    const added: AddedLines = {
      path: this.path,
      text: why === undefined ? this.text.join("\n") : "",
      lines: why === undefined ? this.lines : [],
    };
    if (why !== undefined) added.unreadable = why;
    return added;
  }

  private hunk(header: string): void {
    const at = /^(@+) .*?\+(\d+)(?:,\d+)? \1/.exec(header);
    if (at === null) return;
    this.markers = (at[1] as string).length - 1;
    // A hunk that adds nothing to an empty range says "+0,0"; its lines (none) start at 1.
    this.next = Math.max(1, Number(at[2]));
  }
}

/** The added lines of one file's patch (GitHub's `patch` field: its hunks only). */
export function addedLinesOfPatch(path: string, patch: string, maxBytes = Infinity): AddedLines {
  const reader = new AddedLinesReader(path, maxBytes);
  for (const line of patch.split("\n")) reader.line(line.replace(/\r$/, ""));
  return reader.result();
}
