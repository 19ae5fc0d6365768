/**
 * `gatehouse keys list`: the keyring as gatehouse reads it, from the working tree (what the next
 * commit would hold) or from a commit, with the e-mails that map each login's commits and what
 * is wrong with each key today.
 */
import { resolve } from "node:path";
import { showEmail } from "../../core/signatures/judge-commit.js";
import {
  loadKeyring,
  WEB_FLOW_LOGIN,
  type KeyEntry,
  type Keyring,
  type Revocation,
} from "../../core/signatures/keyring.js";
import { isoTime } from "../../core/signatures/signer-check.js";
import { readPolicyFilesAt, readWorkingPolicyFiles } from "../../git/keys-at-ref.js";
import { readerEmails } from "../../git/reader-emails.js";
import { openRepository, resolveCommit } from "../../git/refs.js";
import { painter, useColor } from "../color.js";
import type { ParsedArgs } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";

const DAY = 86_400_000;

export async function listKeys(args: ParsedArgs, io: CliIO): Promise<number> {
  const format = (args.values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`--format must be text or json, not '${format}'.`);
  }
  const root = await openRepository(
    resolve(io.cwd, (args.values.repo as string | undefined) ?? "."),
  );
  const ref = args.values.ref as string | undefined;
  const sha = ref === undefined ? undefined : await resolveCommit(root, ref);
  const { dir, keys } =
    sha === undefined ? await readWorkingPolicyFiles(root) : await readPolicyFilesAt(root, sha);
  const keyring = await loadKeyring(keys);
  const reader = new Set(await readerEmails(root, io.env));
  const now = new Date();
  const where =
    ref === undefined || sha === undefined
      ? `${dir}/keys in the working tree (committed or not; a pull request is judged by the keys of its base branch's tip)`
      : `${dir}/keys at ${ref} (${sha.slice(0, 7)})`;
  if (format === "json") {
    const json = {
      ref: ref ?? null,
      commit: sha ?? null,
      keysDir: `${dir}/keys`,
      keys: keyring.keys.map((key) => ({
        login: key.login,
        type: key.type,
        id: key.id,
        fingerprint: key.fingerprint,
        algorithm: key.algorithm,
        path: key.path,
        line: key.line,
        copies: key.copies,
        emails: key.emails.map((e) => showEmail(e, reader)),
        created: key.created && isoTime(key.created),
        expires: key.expires && isoTime(key.expires),
        revoked: key.revoked && { ...key.revoked, at: isoTime(key.revoked.at) },
        problems: keyProblems(key, now),
      })),
      problems: keyring.problems,
    };
    io.stdout.write(JSON.stringify(json, null, 2) + "\n");
  } else {
    io.stdout.write(listText(keyring, where, `${dir}/keys`, reader, now, useColor(io)));
  }
  return keyring.problems.length > 0 ? EXIT.blocked : EXIT.clear;
}

/** What a revocation means for the key's signatures, in words for the listing. */
function revocationText(what: string, revocation: Revocation): string {
  return revocation.hard
    ? `${what} revoked (${revocation.reason}) on ${isoTime(revocation.at)}: none of its signatures is trusted, not even older ones`
    : `${what} revoked (${revocation.reason}) on ${isoTime(revocation.at)}: signs nothing a pull request brings in any more`;
}

/** What is wrong with a key as of `now`, in words for the listing. */
function keyProblems(key: KeyEntry, now: Date): string[] {
  const problems: string[] = [];
  if (key.revoked) problems.push(revocationText("", key.revoked).trimStart());
  if (key.expires && key.expires.getTime() <= now.getTime()) {
    problems.push(
      `expired on ${isoTime(key.expires)}: signs nothing a pull request brings in any more; extend it or add a new key`,
    );
  } else if (key.expires && key.expires.getTime() - now.getTime() < 30 * DAY) {
    problems.push(`expires within 30 days: extend it or add a new key`);
  }
  for (const subkey of key.subkeys) {
    if (subkey.revoked)
      problems.push(revocationText(`signing subkey ${subkey.id}`, subkey.revoked));
    else if (subkey.expires && subkey.expires.getTime() <= now.getTime()) {
      problems.push(`signing subkey ${subkey.id} expired on ${isoTime(subkey.expires)}`);
    }
  }
  if (key.copies.length > 0) {
    const lines = [key, ...key.copies].map((c) => `${c.path}:${c.line}`).join(", ");
    problems.push(
      `exported ${key.copies.length + 1} times (${lines}): read as one key, every revocation applied`,
    );
  }
  if (key.login === WEB_FLOW_LOGIN) {
    problems.push("GitHub's web-flow key: counts only with signatures.trust-github-web-commits");
  }
  return problems;
}

function listText(
  keyring: Keyring,
  where: string,
  keysDir: string,
  reader: ReadonlySet<string>,
  now: Date,
  color: boolean,
): string {
  const paint = painter(color);
  const lines = [`Keys in ${where}:`];
  if (keyring.keys.length === 0)
    lines.push(`  none: add keys with 'gatehouse keys add' (see ${keysDir}/README.md)`);
  const rows = keyring.keys.map((key) => [
    key.login,
    key.type,
    key.id,
    key.algorithm,
    key.expires ? `expires ${isoTime(key.expires).slice(0, 10)}` : "no expiry",
    key.emails.length > 0
      ? key.emails.map((e) => showEmail(e, reader)).join(", ")
      : key.login === WEB_FLOW_LOGIN
        ? "-"
        : "no e-mail: commits map only through GitHub",
    keyProblems(key, now).join("; "),
  ]);
  const widths = [0, 1, 2, 3, 4, 5].map((i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows) {
    const cells = row.slice(0, 6).map((cell, i) => cell.padEnd(widths[i] ?? 0));
    const problems = row[6] ? `  ${paint("yellow", row[6])}` : "";
    lines.push(`  ${cells.join("  ")}${problems}`.trimEnd());
  }
  if (keyring.problems.length > 0) {
    lines.push("", paint("red", `Problems (${keyring.problems.length}):`));
    for (const p of keyring.problems) lines.push(`  ${p.path}:${p.line}:${p.column} ${p.message}`);
  }
  return lines.join("\n") + "\n";
}
