/**
 * SSH public key lines of `<login>.pub`: plain `ssh-ed25519 AAAA… comment` lines, or lines of
 * an OpenSSH allowed-signers file (`principal[,principal] [options] keytype key [comment]`).
 */
import { readSshPublicKey, type SshPublicKey } from "./ssh-wire.js";

/** One SSH key line, with the limits its allowed-signers options set. */
export interface SshKeyLine {
  line: number;
  key: SshPublicKey;
  /** The allowed-signers principals; e-mails among them map to the file's login. */
  principals: string[];
  /** `namespaces="…"`; absent means every namespace. */
  namespaces?: string[];
  validAfter?: Date;
  validBefore?: Date;
  /** The free text after the key (`ssh-keygen -C`); a plain line's e-mail there maps too. */
  comment?: string;
  /** A `cert-authority` line: its key signs certificates; gatehouse never trusts it. */
  certAuthority?: boolean;
}

export interface SshLineProblem {
  line: number;
  column: number;
  message: string;
}

const KEY_TYPE = /^(?:ssh-|ecdsa-sha2-|sk-)/;

/** Parses the lines of a `.pub` file. Bad lines become problems, never exceptions. */
export function parseSshKeyLines(content: string): {
  keys: SshKeyLine[];
  problems: SshLineProblem[];
} {
  const keys: SshKeyLine[] = [];
  const problems: SshLineProblem[] = [];
  content.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const column = text.length - text.trimStart().length + 1;
    try {
      keys.push(parseLine(trimmed, line));
    } catch (error) {
      problems.push({ line, column, message: (error as Error).message });
    }
  });
  return { keys, problems };
}

function parseLine(text: string, line: number): SshKeyLine {
  const tokens = tokenize(text);
  const typeAt = tokens.findIndex((token) => KEY_TYPE.test(token));
  if (typeAt === -1 || typeAt > 2) {
    throw new Error(
      'is not an SSH public key line: write "ssh-ed25519 AAAA… comment" or an allowed-signers line "email namespaces=\\"git\\" ssh-ed25519 AAAA…"',
    );
  }
  const type = tokens[typeAt] as string;
  const base64 = tokens[typeAt + 1];
  if (base64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new Error(`has no base64 key after "${type}"`);
  }
  const key = readSshPublicKey(Buffer.from(base64, "base64"));
  if (key.type !== type) throw new Error(`says "${type}" but holds a "${key.type}" key`);
  const entry: SshKeyLine = {
    line,
    key,
    principals: typeAt >= 1 ? (tokens[0] as string).split(",").filter((p) => p !== "") : [],
  };
  const comment = tokens.slice(typeAt + 2).join(" ");
  if (comment !== "") entry.comment = comment;
  if (typeAt === 2) applyOptions(entry, tokens[1] as string);
  return entry;
}

const EMAIL = /^[^\s@<>()*?!]+@[^\s@<>()*?!]+\.[^\s@<>()*?!]+$/;

/**
 * The e-mails a line maps to its file's login: the e-mail principals of an allowed-signers
 * line, or, on a plain line (`ssh-ed25519 AAAA… wang.jun@acme.example`, what `ssh-keygen -C`
 * writes), the e-mails in its comment.
 */
export function sshLineEmails(line: SshKeyLine): string[] {
  const words =
    line.principals.length > 0
      ? line.principals
      : (line.comment ?? "").split(/\s+/).map((w) => w.replace(/^[<(]+|[>),;]+$/g, ""));
  return [...new Set(words.filter((w) => EMAIL.test(w)).map((w) => w.toLowerCase()))];
}

/** Splits on blanks outside double quotes, as OpenSSH reads allowed-signers lines. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (!quoted && (char === " " || char === "\t")) {
      if (current !== "") tokens.push(current);
      current = "";
    } else current += char;
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

function applyOptions(entry: SshKeyLine, options: string): void {
  for (const option of splitOptions(options)) {
    const eq = option.indexOf("=");
    const name = (eq === -1 ? option : option.slice(0, eq)).toLowerCase();
    const value = eq === -1 ? "" : option.slice(eq + 1).replace(/^"|"$/g, "");
    if (name === "namespaces") entry.namespaces = value.split(",").map((n) => n.trim());
    else if (name === "valid-after") entry.validAfter = sshTime(value, name);
    else if (name === "valid-before") entry.validBefore = sshTime(value, name);
    else if (name === "cert-authority") entry.certAuthority = true;
    else throw new Error(`has the unknown option "${name}"`);
  }
}

function splitOptions(options: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const char of options) {
    if (char === '"') quoted = !quoted;
    if (char === "," && !quoted) {
      out.push(current);
      current = "";
    } else current += char;
  }
  out.push(current);
  return out.filter((o) => o !== "");
}

/**
 * An allowed-signers time, YYYYMMDD[HHMM[SS]] with an optional "Z". OpenSSH reads a time
 * without "Z" in the verifier's local zone; gatehouse has no local zone, so it reads UTC.
 */
function sshTime(value: string, name: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?Z?$/.exec(value);
  if (!match) throw new Error(`has ${name}="${value}", which is not YYYYMMDD[HHMM[SS]][Z]`);
  const [, y, mo, d, h = "00", mi = "00", s = "00"] = match;
  return new Date(Date.UTC(+(y as string), +(mo as string) - 1, +(d as string), +h, +mi, +s));
}
