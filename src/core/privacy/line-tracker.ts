/**
 * Lines and columns of increasing positions in a text, in linear time overall: the next
 * newline is searched for once and remembered, so a text without newlines is not searched to
 * its end again for every position (which made reporting many hits on one long line quadratic).
 */
export class LineTracker {
  /** Line and column (from 1) of {@link pos}. */
  line: number;
  column: number;
  private pos: number;
  /** The first newline at or after `pos`; -1 when there is none; -2 when not searched yet. */
  private nextNewline = -2;

  /**
   * @param utf8Bytes the text holds UTF-8 bytes, one character per byte (read as latin1):
   *   columns then count characters, not bytes, by leaving out continuation bytes.
   */
  constructor(
    private readonly text: string,
    from = 0,
    line = 1,
    column = 1,
    private readonly utf8Bytes = false,
  ) {
    this.pos = from;
    this.line = line;
    this.column = column;
  }

  /** Moves to `to`, which is never before the current position. */
  advance(to: number): void {
    let lineFrom = -1;
    for (;;) {
      if (this.nextNewline === -2) this.nextNewline = this.text.indexOf("\n", this.pos);
      if (this.nextNewline === -1 || this.nextNewline >= to) break;
      this.line++;
      lineFrom = this.nextNewline + 1;
      this.pos = lineFrom;
      this.nextNewline = -2;
    }
    const from = lineFrom === -1 ? this.pos : lineFrom;
    let width = to - from;
    if (this.utf8Bytes) {
      for (let i = from; i < to; i++) {
        const code = this.text.charCodeAt(i);
        if (code >= 0x80 && code <= 0xbf) width--;
      }
    }
    this.column = lineFrom === -1 ? this.column + width : width + 1;
    this.pos = to;
  }
}
