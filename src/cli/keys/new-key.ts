/**
 * A public key on its way into the keyring, from an SSH public key file or from GnuPG, and how
 * it goes into its login's file: an allowed-signers line, or an armored export (merged with the
 * copy already there, as GnuPG merges on import).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { readKey, readKeys, type PublicKey } from "openpgp";
import { parseSshKeyLines, sshLineEmails } from "../../core/signatures/allowed-signers.js";
import { armorBlocks } from "../../core/signatures/key-files.js";
import { mergeKeys } from "../../core/signatures/merge-copies.js";
import { describeOpenPgpKey } from "../../core/signatures/openpgp-facts.js";
import { ConfigError } from "../errors.js";

const run = promisify(execFile);

export interface Written {
  content: string;
  unchanged: boolean;
  verb: "Wrote" | "Added to" | "Updated";
}

export interface NewKey {
  type: "ssh" | "openpgp";
  /** "ed25519 key SHA256:…", "ed25519 key 0x…". */
  description: string;
  fingerprint: string;
  /** E-mails the key names: an SSH comment's, an OpenPGP key's user ids. */
  emails: string[];
  /** The login's key file with this key in it, given the file as it is (empty when new). */
  write(before: string, email: string): Promise<Written>;
}

const PRIVATE = /PRIVATE KEY|^PuTTY-User-Key-File-/m;

/** An SSH public key from a file (`id_ed25519.pub`) or a literal `ssh-ed25519 AAAA…` line. */
export async function sshKey(
  path: string | undefined,
  label: string,
  literal?: string,
): Promise<NewKey> {
  const text =
    literal ??
    (await readFile(path as string, "utf8").catch(() => {
      throw new ConfigError(
        `cannot read ${label}; give the path of an SSH public key file (…/id_ed25519.pub).`,
      );
    }));
  if (PRIVATE.test(text)) {
    throw new ConfigError(
      `${label} is a PRIVATE key; give its public half instead (${label}.pub), and never commit the private one.`,
    );
  }
  const { keys, problems } = parseSshKeyLines(text);
  const line = keys[0];
  if (!line || keys.length > 1 || problems.length > 0) {
    const why = problems[0]
      ? `line ${problems[0].line} ${problems[0].message}`
      : `it holds ${keys.length} keys`;
    throw new ConfigError(
      `${label} is not one SSH public key (${why}); give a file such as ~/.ssh/id_ed25519.pub.`,
    );
  }
  if (line.certAuthority) {
    throw new ConfigError(
      `${label} is a cert-authority line; gatehouse trusts each person's own key.`,
    );
  }
  const blob = Buffer.from(line.key.blob);
  const base64 = blob.toString("base64");
  return {
    type: "ssh",
    description: `${line.key.algorithm} key ${line.key.fingerprint}`,
    fingerprint: line.key.fingerprint,
    emails: sshLineEmails(line),
    write(before, email) {
      const listed = parseSshKeyLines(before).keys.some((k) => blob.equals(k.key.blob));
      const entry = `${email} namespaces="git" ${line.key.type} ${base64}${line.comment ? ` ${line.comment}` : ""}\n`;
      const content = before === "" ? entry : `${before.replace(/\n?$/, "\n")}${entry}`;
      return Promise.resolve(
        listed
          ? { content: before, unchanged: true, verb: "Wrote" }
          : { content, unchanged: false, verb: before === "" ? "Wrote" : "Added to" },
      );
    },
  };
}

/** An OpenPGP public key as `gpg --armor --export KEYID` gives it; KEYID must name one key. */
export async function gpgKey(keyId: string, env: NodeJS.ProcessEnv): Promise<NewKey> {
  const gpg = (args: string[]) =>
    run("gpg", ["--batch", ...args], { env, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: NodeJS.ErrnoException & { stderr?: string }) => {
        if (error.code === "ENOENT") {
          throw new ConfigError(
            "gpg is not installed here; install GnuPG, or add an SSH key with --ssh FILE.",
          );
        }
        return { stdout: "", stderr: error.stderr ?? "" };
      },
    );
  const listing = (await gpg(["--with-colons", "--list-keys", "--", keyId])).stdout;
  const fingerprints = [...listing.matchAll(/^pub:.*\nfpr:+([0-9A-F]{40,64}):/gm)].map(
    (m) => m[1] as string,
  );
  if (fingerprints.length === 0) {
    throw new ConfigError(
      `gpg knows no public key '${keyId}'; import it first (gpg --import) or check the key id (gpg --list-keys).`,
    );
  }
  if (fingerprints.length > 1) {
    throw new ConfigError(
      `'${keyId}' names ${fingerprints.length} keys in gpg; give the fingerprint of one.`,
    );
  }
  const fingerprint = fingerprints[0] as string;
  const armored = (await gpg(["--armor", "--export", "--", fingerprint])).stdout;
  let key: PublicKey;
  try {
    key = await readKey({ armoredKey: armored });
  } catch (error) {
    throw new ConfigError(`gpg's export of ${keyId} cannot be read (${(error as Error).message}).`);
  }
  const facts = await describeOpenPgpKey(key);
  return {
    type: "openpgp",
    description: `${facts.algorithm} key ${facts.id}`,
    fingerprint: facts.fingerprint,
    emails: facts.emails,
    write: (before) => writeOpenPgp(before, key, armored),
  };
}

/** The file with the key merged into the block that holds it already, or appended. */
async function writeOpenPgp(before: string, key: PublicKey, armored: string): Promise<Written> {
  for (const block of armorBlocks(before)) {
    const [old] = await readKeys({ armoredKeys: block.text }).catch(() => [] as PublicKey[]);
    if (!old || old.getFingerprint() !== key.getFingerprint()) continue;
    const merged = await mergeKeys(old, key);
    if (Buffer.from(merged.write()).equals(Buffer.from(old.write()))) {
      return { content: before, unchanged: true, verb: "Updated" };
    }
    const lines = before.split("\n");
    const content = [
      ...lines.slice(0, block.line - 1),
      merged.armor().trimEnd(),
      ...lines.slice(block.end),
    ].join("\n");
    return { content, unchanged: false, verb: "Updated" };
  }
  const content = before === "" ? armored : `${before.replace(/\n?$/, "\n")}${armored}`;
  return { content, unchanged: false, verb: before === "" ? "Wrote" : "Added to" };
}
