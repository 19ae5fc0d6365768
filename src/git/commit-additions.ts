/**
 * What each commit of a range added, for the personal-data scan of a branch's history: one
 * `git log -p` for the whole range, read as it streams. Merges show only what is new to every
 * parent (`--cc`), so a merge of the default branch into the branch brings nothing the default
 * branch already held. Renames are detected, so a moved file adds only its changed lines.
 *
 * Bounded and linear: the patch text is read once, line by line; the kept text is capped per
 * file and in all, and a file beyond the cap is marked unreadable, which the gate fails on.
 */
import { spawn } from "node:child_process";
import { AddedLinesReader } from "../core/diff/added-lines.js";
import type { AddedLines, CommitAdditions } from "../core/types.js";

/** The most added text kept for one pull request. */
export const MAX_ADDED_BYTES = 64 * 1024 * 1024;

/** The commits of `base..head`, oldest first, with what each added. */
export async function readAdditions(
  root: string,
  base: string,
  head: string,
  maxFileBytes: number,
): Promise<CommitAdditions[]> {
  const parser = new PatchParser(maxFileBytes);
  await streamLines(
    root,
    [
      "-c",
      "core.quotePath=false",
      "log",
      "-p",
      "--cc",
      "-M",
      "-U0",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--src-prefix=a/",
      "--dst-prefix=b/",
      "--format=%x00%H",
      `${base}..${head}`,
      "--",
    ],
    (line) => parser.line(line),
  );
  return parser.commits().reverse();
}

/** Reads `git log -p` output line by line into the additions of each commit. */
class PatchParser {
  private readonly done: CommitAdditions[] = [];
  private commit: CommitAdditions | undefined;
  private file: AddedLinesReader | undefined;
  /** Set for a file the commit deletes, or whose path is not known yet. */
  private skip = false;
  private unreadable: string | undefined;
  private pendingPath: string | undefined;
  private total = 0;

  constructor(private readonly maxFileBytes: number) {}

  line(line: string): void {
    if (line.startsWith("\u0000")) {
      this.endFile();
      this.commit = { sha: line.slice(1).trim(), files: [] };
      this.done.push(this.commit);
      return;
    }
    if (this.commit === undefined) return;
    if (/^diff --(?:git|cc|combined) /.test(line)) {
      this.endFile();
      this.skip = false;
      this.unreadable = undefined;
      this.pendingPath = headerPath(line);
      return;
    }
    if (this.file?.inHunks) {
      this.file.line(line);
      return;
    }
    // Header lines of the file, before its first hunk.
    if (line.startsWith("deleted file mode")) this.skip = true;
    else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
      this.pendingPath = unquote(line.slice(line.indexOf(" to ") + 4));
    } else if (line.startsWith("+++ ")) {
      // git ends a name holding a space with a tab on this line.
      const target = line.slice(4).replace(/\t$/, "");
      if (target === "/dev/null") this.skip = true;
      else this.pendingPath = stripPrefix(unquote(target));
    } else if (line.startsWith("Binary files ")) this.unreadable = "binary";
    else if (line.startsWith("@@")) {
      this.openFile()?.line(line);
      return;
    }
  }

  commits(): CommitAdditions[] {
    this.endFile();
    return this.done;
  }

  private openFile(): AddedLinesReader | undefined {
    if (this.file === undefined && !this.skip && this.pendingPath !== undefined) {
      const budget = Math.min(this.maxFileBytes, MAX_ADDED_BYTES - this.total);
      this.file = new AddedLinesReader(this.pendingPath, Math.max(0, budget));
    }
    return this.file;
  }

  private endFile(): void {
    if (this.commit !== undefined && !this.skip && this.pendingPath !== undefined) {
      const reader = this.openFile();
      const added: AddedLines | undefined = reader?.result(this.unreadable);
      if (added !== undefined) {
        this.total += reader?.bytes ?? 0;
        this.commit.files.push(added);
      }
    }
    this.file = undefined;
    this.pendingPath = undefined;
    this.skip = false;
    this.unreadable = undefined;
  }
}

/**
 * The path of a `diff --git a/X b/X` header when it can be told (both sides the same), or of a
 * `diff --cc X` header; otherwise the `+++` or `rename to` line that follows names it.
 */
function headerPath(line: string): string | undefined {
  const cc = /^diff --(?:cc|combined) (.*)$/.exec(line);
  if (cc) return unquote(cc[1] as string);
  const rest = line.slice("diff --git ".length);
  if (rest.startsWith('"')) return undefined;
  const half = (rest.length - 1) / 2;
  const a = rest.slice(0, half);
  const b = rest.slice(half + 1);
  return Number.isInteger(half) && a.startsWith("a/") && b === `b/${a.slice(2)}`
    ? a.slice(2)
    : undefined;
}

function stripPrefix(path: string): string {
  return path.replace(/^[ab]\//, "");
}

/** A path as git writes it in a patch: C-quoted when it holds special characters. */
export function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const char = body.charAt(i);
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const next = body.charAt(++i);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(simple[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Runs git and hands each line of its output (UTF-8, without the line break) to `onLine`. */
function streamLines(root: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let rest = Buffer.alloc(0);
    const errors: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      let buffer = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      let start = 0;
      for (let nl = buffer.indexOf(10); nl !== -1; nl = buffer.indexOf(10, start)) {
        onLine(buffer.subarray(start, nl).toString("utf8").replace(/\r$/, ""));
        start = nl + 1;
      }
      buffer = buffer.subarray(start);
      rest = Buffer.from(buffer);
    });
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (rest.length > 0) onLine(rest.toString("utf8"));
      if (code === 0) resolve();
      else reject(new Error(`git log failed: ${Buffer.concat(errors).toString("utf8").trim()}`));
    });
  });
}
