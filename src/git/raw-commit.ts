/**
 * Raw git commit objects, read byte-exact so that their signatures can be verified by gatehouse
 * itself. A signature covers the commit object minus its signature header, so the payload must
 * be cut out of the very bytes git stored: re-serialising parsed fields would not do.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { signatureFormat } from "../core/signatures/commit-payload.js";
import type { Commit, CommitSignature, Person } from "../core/types.js";
import { runBatch } from "./read-blobs.js";

const execFileAsync = promisify(execFile);

/** A person line of a commit, with the time zone git recorded ("+0800"). */
export interface RawPerson {
  name: string;
  email: string;
  date: Date;
  /** The offset exactly as written in the commit, such as "+0800" or "-0130". */
  timezone: string;
}

/** A commit object as git stores it. */
export interface RawCommit {
  tree: string;
  parents: string[];
  author: RawPerson;
  committer: RawPerson;
  /** The `encoding` header, when the commit has one. */
  encoding?: string;
  message: string;
  /** Present when the commit has a `gpgsig` (or, in a SHA-256 repository, `gpgsig-sha256`). */
  signature?: CommitSignature;
}

/** A raw commit that git's format does not allow; the message says which part is wrong. */
export class RawCommitError extends Error {
  override name = "RawCommitError";
}

const SIGNATURE_HEADERS = ["gpgsig", "gpgsig-sha256"] as const;
const utf8 = new TextDecoder("utf-8", { fatal: false });
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

interface HeaderLine {
  key: string;
  /** Byte range of the whole header, continuation lines and final newline included. */
  start: number;
  end: number;
  /** The value with continuation lines joined by "\n" (their leading space removed). */
  value: Buffer;
}

/**
 * Parses a commit object as `git cat-file commit` prints it.
 *
 * The signature payload is the object without its signature headers (`gpgsig` and
 * `gpgsig-sha256`, with their continuation lines), exactly as git computes it; `mergetag`
 * headers stay in the payload because the signature covers them.
 */
export function parseRawCommit(raw: Buffer): RawCommit {
  const { headers, bodyStart } = splitHeaders(raw);
  const one = (key: string): string | undefined => {
    const header = headers.find((h) => h.key === key);
    return header ? header.value.toString("utf8") : undefined;
  };
  const tree = one("tree");
  if (tree === undefined) throw new RawCommitError("the commit object has no tree header");
  const author = one("author");
  const committer = one("committer");
  if (author === undefined || committer === undefined) {
    throw new RawCommitError("the commit object lacks an author or committer header");
  }
  const encoding = one("encoding");
  const commit: RawCommit = {
    tree,
    parents: headers.filter((h) => h.key === "parent").map((h) => h.value.toString("utf8")),
    author: parsePerson(author, "author"),
    committer: parsePerson(committer, "committer"),
    message: decode(raw.subarray(bodyStart), encoding),
  };
  if (encoding !== undefined) commit.encoding = encoding;

  // A SHA-1 repository signs with `gpgsig`; a SHA-256 one with `gpgsig-sha256`. Either header
  // is cut from the payload, as git does, even when only the other one is verified.
  const signatureHeader =
    headers.find((h) => h.key === "gpgsig") ?? headers.find((h) => h.key === "gpgsig-sha256");
  if (signatureHeader) {
    const signed = headers.filter((h) => (SIGNATURE_HEADERS as readonly string[]).includes(h.key));
    const parts: Buffer[] = [];
    let at = 0;
    for (const header of signed) {
      parts.push(raw.subarray(at, header.start));
      at = header.end;
    }
    parts.push(raw.subarray(at));
    const bytes = Buffer.concat(parts);
    const signature = signatureHeader.value.toString("utf8") + "\n";
    commit.signature = { format: signatureFormat(signature), signature, payload: "" };
    commit.signature.payload = utf8.decode(bytes);
    if (!roundTrips(bytes)) commit.signature.payloadBytes = new Uint8Array(bytes);
  }
  return commit;
}

function splitHeaders(raw: Buffer): { headers: HeaderLine[]; bodyStart: number } {
  const headers: HeaderLine[] = [];
  let at = 0;
  while (at < raw.length) {
    const eol = lineEnd(raw, at);
    if (eol === at) return { headers, bodyStart: Math.min(at + 1, raw.length) };
    const first = raw.subarray(at, eol);
    const space = first.indexOf(0x20);
    if (first[0] === 0x20 || space <= 0) {
      throw new RawCommitError(`the commit object has a malformed header line at byte ${at}`);
    }
    const values: Buffer[] = [first.subarray(space + 1)];
    let end = Math.min(eol + 1, raw.length);
    // Continuation lines start with one space that is not part of the value.
    while (end < raw.length && raw[end] === 0x20) {
      const next = lineEnd(raw, end);
      values.push(raw.subarray(end + 1, next));
      end = Math.min(next + 1, raw.length);
    }
    headers.push({
      key: first.subarray(0, space).toString("latin1"),
      start: at,
      end,
      value: joinLines(values),
    });
    at = end;
  }
  return { headers, bodyStart: raw.length };
}

function lineEnd(raw: Buffer, from: number): number {
  const eol = raw.indexOf(0x0a, from);
  return eol === -1 ? raw.length : eol;
}

function joinLines(lines: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  lines.forEach((line, i) => {
    if (i > 0) parts.push(Buffer.from("\n"));
    parts.push(line);
  });
  return Buffer.concat(parts);
}

const PERSON = /^(.*) <([^<>]*)> (-?\d+) ([+-]\d{4})$/;

function parsePerson(line: string, role: string): RawPerson {
  const match = PERSON.exec(line);
  if (!match)
    throw new RawCommitError(`the ${role} line "${line}" is not "Name <email> time zone"`);
  const [, name = "", email = "", seconds = "0", timezone = "+0000"] = match;
  return { name, email, date: new Date(Number(seconds) * 1000), timezone };
}

function decode(bytes: Buffer, encoding: string | undefined): string {
  if (encoding !== undefined) {
    try {
      return new TextDecoder(encoding).decode(bytes);
    } catch {
      // An encoding Node does not know: fall back to UTF-8 rather than lose the message.
    }
  }
  return utf8.decode(bytes);
}

function roundTrips(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The domain commit of a raw one. Logins are left to the identity mapping of the core. */
export function toCommit(sha: string, raw: RawCommit): Commit {
  const person = (p: RawPerson): Person => ({ name: p.name, email: p.email, date: p.date });
  const commit: Commit = {
    sha,
    parents: raw.parents,
    tree: raw.tree,
    author: person(raw.author),
    committer: person(raw.committer),
    message: raw.message,
  };
  if (raw.signature) commit.signature = raw.signature;
  return commit;
}

/**
 * Reads the commits of a revision range (`base..head`, or anything `git rev-list` takes),
 * oldest first as GitHub lists a pull request's commits. One `git cat-file --batch` process
 * reads all of them.
 */
export async function readCommits(repoDir: string, range: string): Promise<Commit[]> {
  const { stdout } = await execFileAsync("git", ["rev-list", "--reverse", range, "--"], {
    cwd: repoDir,
    maxBuffer: 64 * 1024 * 1024,
  });
  const shas = stdout.split("\n").filter((line) => line.length > 0);
  if (shas.length === 0) return [];
  const objects = await catFileBatch(repoDir, shas);
  return shas.map((sha, i) => toCommit(sha, parseRawCommit(objects[i] as Buffer)));
}

/** The raw objects of the given shas, in order, from one `git cat-file --batch`. */
export async function catFileBatch(repoDir: string, shas: string[]): Promise<Buffer[]> {
  return splitBatch(await runBatch(repoDir, shas), shas);
}

function splitBatch(out: Buffer, shas: string[]): Buffer[] {
  const objects: Buffer[] = [];
  let at = 0;
  for (const sha of shas) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol === -1 ? out.length : eol).toString("utf8");
    const [, type, size] = header.split(" ");
    if (type !== "commit" || size === undefined) {
      throw new Error(`git cat-file: ${sha} is not a commit (${header})`);
    }
    const start = eol + 1;
    const end = start + Number(size);
    objects.push(out.subarray(start, end));
    at = end + 1; // git ends every object with a newline
  }
  return objects;
}
