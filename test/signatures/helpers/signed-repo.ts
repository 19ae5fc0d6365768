/**
 * Real temporary repositories with commits signed by real GnuPG and real ssh-keygen, so that a
 * signature verified by gatehouse was made by the tools people actually use.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temporary directory removed by {@link TempDir.remove}. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), "gatehouse-sig-"));
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Environment that keeps git away from the user's configuration. */
function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    LANG: "C",
    ...extra,
  };
}

/** A throwaway GnuPG home with keys made by `gpg --quick-gen-key`. */
export class GpgHome {
  readonly dir: string;
  constructor(parent: string) {
    this.dir = join(parent, "gnupg");
    mkdirSync(this.dir, { mode: 0o700 });
  }

  gpg(args: string[], input?: string): string {
    return execFileSync(
      "gpg",
      ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args],
      {
        env: isolatedEnv({ GNUPGHOME: this.dir }),
        encoding: "utf8",
        input: input ?? "",
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
  }

  /**
   * Makes a signing key and returns its fingerprint. `expire` as gpg takes it ("never", "1d");
   * `at` fakes GnuPG's clock (see {@link gpgTime}), so that the key is made in the past.
   */
  generate(uid: string, algo = "ed25519", expire = "never", at?: string): string {
    this.gpg([...faked(at), "--quick-gen-key", uid, algo, "sign", expire]);
    const listing = this.gpg(["--with-colons", "--list-keys", uid]);
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(listing);
    if (!fpr?.[1]) throw new Error(`gpg made no key for ${uid}`);
    return fpr[1];
  }

  /** Adds a signing subkey (its clock faked to `at` when given). */
  addSigningSubkey(fingerprint: string, expire = "never", at?: string): void {
    this.gpg([...faked(at), "--quick-add-key", fingerprint, "ed25519", "sign", expire]);
  }

  /** Sets a new expiry on the primary key, as an owner extending it would (at `at`). */
  setExpiry(fingerprint: string, expire: string, at?: string): void {
    this.gpg([...faked(at), "--quick-set-expire", fingerprint, expire]);
  }

  /** The private key as `gpg --export-secret-keys` writes it without --armor: binary. */
  exportSecretBinary(fingerprint: string): Buffer {
    return execFileSync(
      "gpg",
      [
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--export-secret-keys",
        fingerprint,
      ],
      { env: isolatedEnv({ GNUPGHOME: this.dir }) },
    );
  }

  /** One export holding everything the given exports hold, as GnuPG merges them on import. */
  combine(...exports: string[]): string {
    const other = new GpgHome(mkdtempSync(join(this.dir, "..", "combine-")));
    try {
      for (const text of exports) other.gpg(["--import"], text);
      return other.gpg(["--armor", "--export"]);
    } finally {
      other.close();
    }
  }

  exportPublic(fingerprint: string): string {
    return this.gpg(["--armor", "--export", fingerprint]);
  }

  /** The revocation certificate GnuPG made with the key, as it keeps it (a leading ":"). */
  revocationCertificate(fingerprint: string): string {
    return readFileSync(join(this.dir, "openpgp-revocs.d", `${fingerprint}.rev`), "utf8");
  }

  /**
   * The public key with GnuPG's own revocation certificate applied, made in a second home so
   * that this one can still sign with the key (as a thief of the key could).
   */
  exportRevoked(fingerprint: string): string {
    const other = new GpgHome(mkdtempSync(join(this.dir, "..", "revoke-")));
    try {
      const certificate = readFileSync(
        join(this.dir, "openpgp-revocs.d", `${fingerprint}.rev`),
        "utf8",
      );
      other.gpg(["--import"], this.exportPublic(fingerprint));
      // GnuPG guards the stored certificate with a leading ":" against accidental import.
      other.gpg(["--import"], certificate.replace(/^:-----BEGIN/m, "-----BEGIN"));
      return other.exportPublic(fingerprint);
    } finally {
      other.close();
    }
  }

  /**
   * The public key revoked for `reason` (0 no reason, 1 compromised, 2 superseded, 3 retired),
   * as `gpg --edit-key` makes it; of subkey number `subkey` when given. The revocation is made
   * in a copy of this home, so that this one can still sign with the key (as a thief could).
   * `at` fakes GnuPG's clock ("20260101T000000").
   */
  exportRevokedFor(
    fingerprint: string,
    reason: 0 | 1 | 2 | 3,
    options: { subkey?: number; at?: string; from?: string } = {},
  ): string {
    const other = new GpgHome(mkdtempSync(join(this.dir, "..", "revoke-")));
    try {
      other.gpg(["--import"], this.gpg(["--export-secret-keys", "--armor", fingerprint]));
      if (options.from) other.gpg(["--import"], options.from);
      const select = options.subkey === undefined ? [] : [`key ${options.subkey}`];
      other.edit(
        fingerprint,
        [...select, "revkey", "y", String(reason), "", "y", "save"],
        options.at,
      );
      return other.exportPublic(fingerprint);
    } finally {
      other.close();
    }
  }

  /** Runs `gpg --edit-key` with the given answers, GnuPG's clock faked to `at` when given. */
  edit(fingerprint: string, answers: string[], at?: string): void {
    execFileSync(
      "gpg",
      [
        "--no-tty",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--command-fd",
        "0",
        ...faked(at),
        "--edit-key",
        fingerprint,
      ],
      {
        env: isolatedEnv({ GNUPGHOME: this.dir }),
        input: answers.join("\n") + "\n",
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
  }

  /** `gpg.program` for git: GnuPG with its clock frozen at `at` ("20260101T000000"). */
  fakedClock(at: string): string {
    const path = join(this.dir, `gpg-at-${at}.sh`);
    writeFileSync(path, `#!/bin/sh\nexec gpg --faked-system-time ${at}! "$@"\n`, { mode: 0o755 });
    return path;
  }

  /** Stops the agent this home started. */
  close(): void {
    try {
      execFileSync("gpgconf", ["--kill", "gpg-agent"], {
        env: isolatedEnv({ GNUPGHOME: this.dir }),
      });
    } catch {
      // No agent was started.
    }
  }
}

/** GnuPG's `--faked-system-time` value for a time in seconds: "20260105T000000". */
export function gpgTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:]/g, "").slice(0, 15);
}

function faked(at: string | undefined): string[] {
  return at === undefined ? [] : ["--faked-system-time", `${at}!`];
}

/** An SSH key made by `ssh-keygen`. */
export interface SshKey {
  privatePath: string;
  /** The public key line, "ssh-ed25519 AAAA… comment". */
  publicLine: string;
}

export function sshKeygen(dir: string, name: string, type = "ed25519", comment = name): SshKey {
  const privatePath = join(dir, `id_${name}`);
  const bits = type === "rsa" ? ["-b", "3072"] : [];
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    type,
    ...bits,
    "-N",
    "",
    "-C",
    comment,
    "-f",
    privatePath,
  ]);
  const publicLine = execFileSync("ssh-keygen", ["-y", "-f", privatePath], { encoding: "utf8" });
  return { privatePath, publicLine: publicLine.trim() };
}

/**
 * Certifies `key` with the authority `ca` (`ssh-keygen -s`) and returns the key to sign with:
 * the certificate, which ssh-keygen pairs with the private key beside it.
 */
export function sshCertify(ca: SshKey, key: SshKey, principal: string): SshKey {
  execFileSync("ssh-keygen", [
    "-q",
    "-s",
    ca.privatePath,
    "-I",
    principal,
    "-n",
    principal,
    `${key.privatePath}.pub`,
  ]);
  return { privatePath: `${key.privatePath}-cert.pub`, publicLine: key.publicLine };
}

export interface Author {
  name: string;
  email: string;
}

/** A git repository in a temporary directory, with commits made at chosen times. */
export class TestRepo {
  constructor(
    readonly dir: string,
    private readonly gnupg?: GpgHome,
  ) {
    mkdirSync(dir, { recursive: true });
    this.git(["init", "-q", "-b", "main"]);
  }

  git(args: string[], extra: Record<string, string> = {}, input?: string): string {
    const env = isolatedEnv(this.gnupg ? { GNUPGHOME: this.gnupg.dir, ...extra } : extra);
    return execFileSync("git", args, {
      cwd: this.dir,
      env,
      encoding: "utf8",
      input: input ?? "",
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  write(path: string, content: string): void {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  /**
   * Commits every change. `sign` is a gpg fingerprint, or an SSH key for `gpg.format=ssh`;
   * `at` is the author and committer time in seconds.
   */
  commit(
    message: string,
    author: Author,
    options: { sign?: string | SshKey; at?: number; merge?: string; gpgProgram?: string } = {},
  ): string {
    const time = `${options.at ?? Math.floor(Date.now() / 1000)} +0800`;
    const env = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_AUTHOR_DATE: time,
      GIT_COMMITTER_DATE: time,
    };
    const config: string[] = [];
    if (options.gpgProgram) config.push("-c", `gpg.program=${options.gpgProgram}`);
    if (typeof options.sign === "string") config.push("-c", `user.signingkey=${options.sign}`);
    else if (options.sign) {
      config.push("-c", "gpg.format=ssh", "-c", `user.signingkey=${options.sign.privatePath}`);
    }
    const sign = options.sign ? ["-S"] : ["--no-gpg-sign"];
    if (options.merge) {
      this.git([...config, "merge", "-q", "--no-ff", ...sign, "-m", message, options.merge], env);
    } else {
      this.git(["add", "-A"]);
      this.git([...config, "commit", "-q", "--allow-empty", ...sign, "-m", message], env);
    }
    return this.git(["rev-parse", "HEAD"]).trim();
  }

  catFile(sha: string): Buffer {
    return execFileSync("git", ["cat-file", "commit", sha], { cwd: this.dir, env: isolatedEnv() });
  }

  /** Writes a commit object as given, byte for byte, and returns its sha. */
  hashObject(raw: Buffer | string): string {
    return execFileSync("git", ["hash-object", "-t", "commit", "-w", "--stdin"], {
      cwd: this.dir,
      env: isolatedEnv(),
      input: raw,
      encoding: "utf8",
    }).trim();
  }
}
