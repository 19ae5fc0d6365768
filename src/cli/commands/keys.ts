import { resolve } from "node:path";
import {
  loadKeyring,
  WEB_FLOW_LOGIN,
  type KeyEntry,
  type Keyring,
} from "../../core/signatures/keyring.js";
import { isoTime } from "../../core/signatures/signer-check.js";
import { readPolicyFilesAt } from "../../git/keys-at-ref.js";
import { openRepository, resolveCommit } from "../../git/refs.js";
import { painter, useColor } from "../color.js";
import type { Command, ParsedArgs } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { verifyRange } from "../keys/verify-range.js";

const DAY = 86_400_000;

export const command: Command = {
  name: "keys",
  summary: "List the trusted signing keys, or verify the signatures of a range of commits",
  usage:
    "gatehouse keys list [--repo DIR] [--ref REF] [--format text|json]\n       gatehouse keys verify [RANGE] [--repo DIR] [--context FILE]",
  details: `Subcommands:
  list             The keyring under <policies>/keys/ at REF: login, type, key id,
                   algorithm, expiry and problems. Exit 1 when a key file cannot be read.
  verify [RANGE]   Verifies every commit of RANGE (BASE..HEAD: the commits of HEAD that are
                   not on BASE; default BASE: origin/HEAD, else main, else master) against
                   the keyring and policy at BASE's tip, as the GitHub App judges a pull
                   request into BASE. One line per commit, then the range and the commit
                   whose keys were read. Exit 0 when all pass, 1 when any fails.

Options:
  --repo DIR       The clone (default: the current directory).
  --ref REF        list: the commit whose keyring to show (default: HEAD).
  --format F       list: text (default) or json.
  --context FILE   verify: identities (commit e-mail -> login), as for 'gatehouse check'.

A key belongs to the login its file is named after: <login>.asc (OpenPGP, armored, several
keys allowed) or <login>.pub (SSH keys, one a line, plain or allowed-signers form).
GitHub's own web-flow key may be kept as web-flow.asc; commits it signs count only when
workflows.yml sets signatures.trust-github-web-commits: true.`,
  options: {
    repo: { type: "string" },
    ref: { type: "string" },
    format: { type: "string" },
    context: { type: "string" },
  },
  allowPositionals: true,
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub === "list") {
      if (rest.length > 0)
        throw new UsageError(`'keys list' takes no arguments, not '${rest.join(" ")}'.`);
      return list(args, io);
    }
    if (sub === "verify") {
      if (rest.length > 1) throw new UsageError("'keys verify' takes at most one RANGE.");
      for (const flag of ["ref", "format"]) {
        if (args.values[flag] !== undefined)
          throw new UsageError(`--${flag} belongs to 'keys list', not 'keys verify'.`);
      }
      return verifyRange(args, rest[0], io);
    }
    throw new UsageError(
      sub === undefined
        ? "say 'list' or 'verify'."
        : `unknown subcommand '${sub}'; say 'list' or 'verify'.`,
    );
  },
};

function repoOf(args: ParsedArgs, io: CliIO): string {
  return resolve(io.cwd, (args.values.repo as string | undefined) ?? ".");
}

async function list(args: ParsedArgs, io: CliIO): Promise<number> {
  const format = (args.values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`--format must be text or json, not '${format}'.`);
  }
  if (args.values.context !== undefined)
    throw new UsageError("--context belongs to 'keys verify'.");
  const root = await openRepository(repoOf(args, io));
  const ref = (args.values.ref as string | undefined) ?? "HEAD";
  const sha = await resolveCommit(root, ref);
  const { dir, keys } = await readPolicyFilesAt(root, sha);
  const keyring = await loadKeyring(keys);
  const now = new Date();
  if (format === "json") {
    const json = {
      ref,
      commit: sha,
      keysDir: `${dir}/keys`,
      keys: keyring.keys.map((key) => ({
        login: key.login,
        type: key.type,
        id: key.id,
        fingerprint: key.fingerprint,
        algorithm: key.algorithm,
        path: key.path,
        line: key.line,
        created: key.created && isoTime(key.created),
        expires: key.expires && isoTime(key.expires),
        revoked: key.revoked && { ...key.revoked, at: isoTime(key.revoked.at) },
        problems: keyProblems(key, now),
      })),
      problems: keyring.problems,
    };
    io.stdout.write(JSON.stringify(json, null, 2) + "\n");
  } else {
    io.stdout.write(listText(keyring, `${dir}/keys`, ref, sha, now, useColor(io)));
  }
  return keyring.problems.length > 0 ? EXIT.blocked : EXIT.clear;
}

/** What is wrong with a key as of `now`, in words for the listing. */
function keyProblems(key: KeyEntry, now: Date): string[] {
  const problems: string[] = [];
  if (key.revoked) {
    problems.push(
      key.revoked.hard
        ? `revoked (${key.revoked.reason}) on ${isoTime(key.revoked.at)}: none of its signatures is trusted`
        : `revoked (${key.revoked.reason}) on ${isoTime(key.revoked.at)}: trusted only for older commits`,
    );
  }
  if (key.expires && key.expires.getTime() <= now.getTime()) {
    problems.push(`expired on ${isoTime(key.expires)}: trusted only for older commits`);
  } else if (key.expires && key.expires.getTime() - now.getTime() < 30 * DAY) {
    problems.push(`expires within 30 days: extend it or add a new key`);
  }
  if (key.login === WEB_FLOW_LOGIN) {
    problems.push("GitHub's web-flow key: counts only with signatures.trust-github-web-commits");
  }
  return problems;
}

function listText(
  keyring: Keyring,
  keysDir: string,
  ref: string,
  sha: string,
  now: Date,
  color: boolean,
): string {
  const paint = painter(color);
  const lines = [`Trusted keys in ${keysDir} at ${ref} (${sha.slice(0, 7)}):`];
  if (keyring.keys.length === 0)
    lines.push(`  none: add <login>.asc or <login>.pub files to ${keysDir}`);
  const rows = keyring.keys.map((key) => [
    key.login,
    key.type,
    key.id,
    key.algorithm,
    key.expires ? `expires ${isoTime(key.expires).slice(0, 10)}` : "no expiry",
    keyProblems(key, now).join("; "),
  ]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows) {
    const cells = row.slice(0, 5).map((cell, i) => cell.padEnd(widths[i] ?? 0));
    const problems = row[5] ? `  ${paint("yellow", row[5])}` : "";
    lines.push(`  ${cells.join("  ")}${problems}`.trimEnd());
  }
  if (keyring.problems.length > 0) {
    lines.push("", paint("red", `Problems (${keyring.problems.length}):`));
    for (const p of keyring.problems) lines.push(`  ${p.path}:${p.line}:${p.column} ${p.message}`);
  }
  return lines.join("\n") + "\n";
}
