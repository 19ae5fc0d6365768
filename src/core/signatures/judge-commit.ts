/**
 * The signature rule for one commit: signed, over a payload that is this commit, by a trusted
 * key valid at the commit time, which belongs to the login the commit names as its author.
 */
import type { Commit, Login } from "../types.js";
import { parseCommitPayload, payloadMismatch } from "./commit-payload.js";
import { WEB_FLOW_LOGIN, type KeyEntry, type Keyring } from "./keyring.js";
import { verifySignature } from "./verify-signature.js";
import { maskValue } from "../privacy/mask-value.js";

export interface JudgeOptions {
  /** The author's login, resolved by the evaluator; null when nobody can tell. */
  authorLogin: Login | null;
  /** `signatures.trust-github-web-commits` of workflows.yml. */
  trustGithubWebCommits: boolean;
  /** Where the keyring lives, for messages. Default "policies/keys". */
  keysDir?: string;
  /**
   * The time of judgement: the key must still be valid then, whatever date the commit claims
   * (see {@link verifySignature}).
   */
  now: Date;
  /**
   * E-mail addresses of the person who reads the judgement (the CLI's user), in lower case:
   * messages show these in full, since masking is for other people's data.
   */
  readerEmails?: ReadonlySet<string>;
}

export interface CommitJudgement {
  status: "satisfied" | "failed";
  /** The sentence after the short sha: "signed by zhao-min's ed25519 key 0x…". */
  reason: string;
  /** The trusted key that made a valid signature, when one did. */
  key?: KeyEntry;
}

/**
 * An e-mail address as a message may show it: in full to its owner, masked ("z***@acme.example")
 * to everyone else, since e-mail addresses are personal data.
 */
export function showEmail(email: string, readerEmails?: ReadonlySet<string>): string {
  const trimmed = email.trim();
  if (readerEmails?.has(trimmed.toLowerCase())) return trimmed;
  return trimmed.includes("@") ? maskValue("email", trimmed) : "***";
}

/** Judges one commit. Never throws: an error becomes a failed judgement with the reason. */
export async function judgeCommit(
  commit: Commit,
  keyring: Keyring,
  options: JudgeOptions,
): Promise<CommitJudgement> {
  const keysDir = options.keysDir ?? "policies/keys";
  const fail = (reason: string, key?: KeyEntry): CommitJudgement =>
    key ? { status: "failed", reason, key } : { status: "failed", reason };
  try {
    const signature = commit.signature;
    if (!signature) {
      return fail(`is not signed; sign it with "git commit -S" and a key listed in ${keysDir}`);
    }
    let payload;
    try {
      payload = parseCommitPayload(signature.payload);
    } catch (error) {
      return fail(`has a signed payload that cannot be read: ${(error as Error).message}`);
    }
    const mismatch = payloadMismatch(commit, payload);
    if (mismatch) return fail(mismatch);

    // The commit time is the committer date the signature covers: when the commit was made.
    const signer = await verifySignature(
      commit.sha,
      signature,
      { committedAt: payload.committer.date, now: options.now },
      keyring,
    );
    if (!signer.ok) return fail(signer.reason.replace("policies/keys", keysDir), signer.key);
    const key = signer.key;
    const keyText = `${key.algorithm} key ${key.id}`;

    if (key.login === WEB_FLOW_LOGIN) {
      if (!options.trustGithubWebCommits) {
        return fail(
          `was made in GitHub's web interface and signed by GitHub's ${keyText}; such commits are refused unless workflows.yml sets signatures.trust-github-web-commits: true`,
          key,
        );
      }
      if (options.authorLogin === null) {
        return fail(
          `was made in GitHub's web interface by an unknown contributor (${showEmail(payload.author.email, options.readerEmails)}); GitHub names no login for its author`,
          key,
        );
      }
      return {
        status: "satisfied",
        reason: `was made in GitHub's web interface by ${options.authorLogin} and signed by GitHub's ${keyText}`,
        key,
      };
    }
    if (options.authorLogin === null) {
      const email = payload.author.email.trim().toLowerCase();
      const shown = showEmail(payload.author.email, options.readerEmails);
      const claimants = keyring.sharedEmails.get(email);
      if (claimants) {
        const who = [...new Set(claimants.map((c) => `${c.login} (${c.path})`))].join(" and ");
        return fail(
          `is authored as ${shown}, an e-mail that the keys of ${who} both claim, so it maps to neither login: keep the address only in its owner's key in ${keysDir}`,
          key,
        );
      }
      return fail(
        `is authored by an unknown contributor (${shown}): map the e-mail to a login (a user id of the author's key in ${keysDir}, identities in --context, or a GitHub noreply address)`,
        key,
      );
    }
    if (key.login.toLowerCase() !== options.authorLogin.toLowerCase()) {
      return fail(
        `is signed by the key of ${key.login} (${keyText}) but authored as ${options.authorLogin}; every commit must be signed by its author's own key`,
        key,
      );
    }
    return { status: "satisfied", reason: `signed by ${key.login}'s ${keyText}`, key };
  } catch (error) {
    return fail(`could not be verified: ${(error as Error).message}`);
  }
}
