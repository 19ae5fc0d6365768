/**
 * `gatehouse keys add [--ssh FILE | --gpg KEYID] [--login L] [--email E]`: writes a public key
 * into `<policies>/keys/<login>.pub|.asc` in the form gatehouse reads, with the e-mail that maps
 * the owner's commits to the login. Without --ssh or --gpg it adds the key git signs with
 * (`user.signingkey`). It writes the working tree only: the key counts once a pull request
 * that adds it is merged (or, for the first keys, once they are committed to the default
 * branch before branch protection is on).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { resolveLogin } from "../../core/evaluate/resolve-login.js";
import { showEmail } from "../../core/signatures/judge-commit.js";
import { keyringIdentities, loadKeyring } from "../../core/signatures/keyring.js";
import { readPolicyFilesAt, readWorkingPolicyFiles } from "../../git/keys-at-ref.js";
import { readerEmails } from "../../git/reader-emails.js";
import { defaultBranch, openRepository, revParse } from "../../git/refs.js";
import type { ParsedArgs } from "../command.js";
import { ConfigError, EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { gitConfig } from "../../git/git-config.js";
import { gpgKey, sshKey, type NewKey } from "./new-key.js";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export async function addKey(args: ParsedArgs, io: CliIO): Promise<number> {
  const root = await openRepository(
    resolve(io.cwd, (args.values.repo as string | undefined) ?? "."),
  );
  const sshFile = args.values.ssh as string | undefined;
  const gpgId = args.values.gpg as string | undefined;
  if (sshFile !== undefined && gpgId !== undefined) {
    throw new UsageError("give --ssh FILE or --gpg KEYID, not both.");
  }
  const own = sshFile === undefined && gpgId === undefined;
  const env = { ...process.env, ...io.env };
  const key = own
    ? await configuredKey(root, env)
    : sshFile !== undefined
      ? await sshKey(resolve(io.cwd, sshFile), sshFile)
      : await gpgKey(gpgId as string, env);

  const reader = await readerEmails(root, io.env);
  const email = chooseEmail(
    key,
    args.values.email as string | undefined,
    own ? reader[0] : undefined,
  );
  const working = await readWorkingPolicyFiles(root);
  const login = await chooseLogin(
    root,
    args.values.login as string | undefined,
    email,
    own,
    working,
  );

  const path = `${working.dir}/keys/${login}${key.type === "ssh" ? ".pub" : ".asc"}`;
  const absolute = join(root, path);
  const before = existsSync(absolute) ? await readFile(absolute, "utf8") : "";
  const written = await key.write(before, email);
  if (written.unchanged) {
    io.stdout.write(`${path} already holds ${key.description}; nothing to do.\n`);
    return EXIT.clear;
  }
  // Read the result as every check will, and refuse to write a key that would not count.
  const others = new Map([...working.keys].filter(([p]) => p !== path));
  const owner = (await loadKeyring(others)).keys.find(
    (k) => k.fingerprint === key.fingerprint && k.login.toLowerCase() !== login.toLowerCase(),
  );
  if (owner) {
    throw new ConfigError(
      `${key.description} was not added to ${path}: it is also listed for ${owner.login} in ${owner.path}; a key belongs to one login.`,
    );
  }
  const keyring = await loadKeyring(new Map([...others, [path, written.content]]));
  const problems = keyring.problems.filter((p) => p.path === path);
  const entry = keyring.keys.find((k) => k.path === path && k.fingerprint === key.fingerprint);
  const unusable = entry?.revoked
    ? `it was revoked (${entry.revoked.reason})`
    : entry?.expires && entry.expires.getTime() <= Date.now()
      ? "it has expired; extend it first (gpg --quick-set-expire)"
      : undefined;
  if (!entry || problems.length > 0 || unusable) {
    const why =
      unusable ?? problems.map((p) => `${p.path}:${p.line}:${p.column} ${p.message}`).join("; ");
    throw new ConfigError(
      `${key.description} was not added to ${path}: ${why || "gatehouse cannot read it"}`,
    );
  }
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, written.content);

  const shown = showEmail(email, new Set(reader));
  io.stdout.write(
    `${written.verb} ${path}: ${login}'s ${key.description}, mapping commits made as ${shown} to ${login}.\n`,
  );
  const mine = reader[0];
  if (own && mine !== undefined && !entry.emails.includes(mine)) {
    io.stderr.write(
      `gatehouse keys: note: you commit as ${mine}, which this key does not name, so your commits will not map to ${login}; add it to the key (gpg --quick-add-uid) and run this again.\n`,
    );
  }
  io.stdout.write(await nextSteps(root, working.dir, path));
  return EXIT.clear;
}

/** The key git signs with in this clone: `user.signingkey`, read as `gpg.format` says. */
async function configuredKey(root: string, env: NodeJS.ProcessEnv): Promise<NewKey> {
  const format = (await gitConfig(root, "gpg.format")) ?? "openpgp";
  const signingKey = await gitConfig(root, "user.signingkey");
  if (signingKey === undefined) {
    throw new UsageError(
      "say which key to add: --ssh FILE (an SSH public key) or --gpg KEYID; or set git's user.signingkey to the key you sign commits with.",
    );
  }
  if (format === "ssh") {
    const literal = signingKey.replace(/^key::/, "");
    return /^(ssh-|ecdsa-|sk-)/.test(literal)
      ? sshKey(undefined, "git's user.signingkey", literal)
      : sshKey(resolve(root, signingKey.replace(/^~(?=\/)/, env.HOME ?? "~")), signingKey);
  }
  if (format !== "openpgp") {
    throw new ConfigError(
      `git signs with gpg.format=${format}; gatehouse trusts OpenPGP and SSH keys only.`,
    );
  }
  return gpgKey(signingKey, env);
}

/**
 * The e-mail that maps the owner's commits to the login: --email; else the key's own (an SSH
 * comment, an OpenPGP user id); else, for the key git signs with, git's user.email.
 */
function chooseEmail(key: NewKey, given: string | undefined, ownEmail: string | undefined): string {
  if (given !== undefined) {
    const email = given.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      throw new UsageError(`--email must be an e-mail address, not '${given}'.`);
    }
    if (key.type === "openpgp" && !key.emails.includes(email)) {
      throw new ConfigError(
        `${key.description} has no user id with that e-mail (it has ${key.emails.length} other${key.emails.length === 1 ? "" : "s"}); add one with gpg --quick-add-uid <key id> "Name <e-mail>" and run this again.`,
      );
    }
    return email;
  }
  if (ownEmail !== undefined && (key.type === "ssh" || key.emails.includes(ownEmail))) {
    return ownEmail;
  }
  const email = key.emails[0];
  if (email === undefined) {
    throw new UsageError(
      `${key.description} names no e-mail; say which e-mail its owner commits with: --email ADDRESS.`,
    );
  }
  return email;
}

/** The login: --login; else the login the keyring already maps the e-mail to; else the noreply address's. */
async function chooseLogin(
  root: string,
  given: string | undefined,
  email: string,
  own: boolean,
  working: Awaited<ReturnType<typeof readWorkingPolicyFiles>>,
): Promise<string> {
  const login =
    given?.replace(/^@/, "") ??
    resolveLogin(
      { name: "", email, date: new Date(0) },
      { known: new Map(), extra: keyringIdentities(await loadKeyring(working.keys)) },
    ) ??
    (own ? await gitConfig(root, "github.user") : undefined);
  if (login === undefined || login === null) {
    throw new UsageError("say whose key this is: --login <GitHub login>.");
  }
  if (!LOGIN.test(login)) {
    throw new UsageError(
      `'${login}' is not a GitHub login; give the key owner's login with --login.`,
    );
  }
  return login;
}

/** What to do next: how the key comes to count. */
async function nextSteps(root: string, dir: string, path: string): Promise<string> {
  const branch = await defaultBranch(root, "").catch(() => undefined);
  const tip = branch === undefined ? undefined : await revParse(root, `${branch}^{commit}`);
  const existing =
    tip === undefined
      ? 0
      : (await loadKeyring((await readPolicyFilesAt(root, tip)).keys)).keys.length;
  if (existing === 0) {
    return `This is the first key of ${dir}/keys: commit it to the default branch before you turn on branch protection (git add ${path} && git commit -S), so that the first pull request has keys to be judged by.\n`;
  }
  return `Next: git add ${path}, commit it on a branch (signed), and open a pull request; a change of ${dir}/ needs two security-admin approvals, and the key counts from the moment it is merged.\n`;
}
