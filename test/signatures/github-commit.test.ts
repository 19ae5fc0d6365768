import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKeyring, type Keyring } from "../../src/core/signatures/keyring.js";
import {
  gitHubCommit,
  verifyGitHubCommit,
  type GitHubCommitInput,
} from "../../src/core/signatures/github-commit.js";
import { parseRawCommit } from "../../src/git/raw-commit.js";
import { GpgHome, TempDir, TestRepo } from "./helpers/signed-repo.js";

const zhao = { name: "Zhao Min", email: "zhao.min@acme.example" };
const tmp = new TempDir();
let gnupg: GpgHome;
let keyring: Keyring;
/** Two signed commits as the REST API would report them. */
let first: GitHubCommitInput;
let second: GitHubCommitInput;

/** What `GET /repos/{owner}/{repo}/commits/{sha}` says about a commit, from the real object. */
function asGitHub(repo: TestRepo, sha: string): GitHubCommitInput {
  const raw = parseRawCommit(repo.catFile(sha));
  const person = (p: typeof raw.author) => ({ name: p.name, email: p.email, date: p.date });
  return {
    sha,
    tree: raw.tree,
    parents: raw.parents,
    author: person(raw.author),
    committer: person(raw.committer),
    message: raw.message,
    signature: raw.signature?.signature ?? null,
    payload: raw.signature?.payload ?? null,
  };
}

beforeAll(async () => {
  gnupg = new GpgHome(tmp.path);
  const fpr = gnupg.generate(`${zhao.name} <${zhao.email}>`);
  const repo = new TestRepo(join(tmp.path, "repo"), gnupg);
  repo.write("a.txt", "1\n");
  const a = repo.commit("first", zhao, { sign: fpr });
  repo.write("a.txt", "2\n");
  const b = repo.commit("second", zhao, { sign: fpr });
  first = asGitHub(repo, a);
  second = asGitHub(repo, b);
  keyring = await loadKeyring(new Map([["policies/keys/zhao-min.asc", gnupg.exportPublic(fpr)]]));
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

/** Judged as of the call: the key was made in beforeAll, after this file was loaded. */
const options = () => ({ authorLogin: "zhao-min", trustGithubWebCommits: false, now: new Date() });

describe("verifyGitHubCommit", () => {
  it("accepts GitHub's signature and payload of a GnuPG-signed commit", async () => {
    const result = await verifyGitHubCommit(second, keyring, options());
    expect(result.reason).toMatch(/^signed by zhao-min's ed25519 key 0x/);
    expect(result.status).toBe("satisfied");
  });

  it.each<[string, (c: GitHubCommitInput) => GitHubCommitInput, RegExp]>([
    [
      "the payload and signature of another commit",
      (c) => ({ ...c, payload: first.payload, signature: first.signature }),
      /^has a signed payload for tree \w{7}, but the commit's tree is \w{7}$/,
    ],
    [
      "a tree that is not the payload's",
      (c) => ({ ...c, tree: "0".repeat(40) }),
      /but the commit's tree is 0000000/,
    ],
    [
      "parents that are not the payload's",
      (c) => ({ ...c, parents: [] }),
      /parents differ from the commit's parents/,
    ],
    [
      "a payload altered after signing",
      (c) => ({ ...c, payload: c.payload?.replace("second", "sec0nd") ?? null }),
      /the commit was altered after signing/,
    ],
    ["no signature", (c) => ({ ...c, signature: null, payload: null }), /^is not signed/],
  ])("refuses %s", async (_, change, reason) => {
    const result = await verifyGitHubCommit(change(second), keyring, options());
    expect(result.reason).toMatch(reason);
    expect(result.status).toBe("failed");
  });
});

describe("gitHubCommit", () => {
  it.each([
    ["-----BEGIN PGP SIGNATURE-----\n…", "openpgp"],
    ["-----BEGIN SSH SIGNATURE-----\n…", "ssh"],
    ["-----BEGIN SIGNED MESSAGE-----\n…", "x509"],
    ["something else", "unknown"],
  ])("recognises %j as %s", (signature, format) => {
    expect(gitHubCommit({ ...second, signature }).signature?.format).toBe(format);
  });

  it("leaves a commit without signature unsigned", () => {
    expect(gitHubCommit({ ...second, signature: null, payload: null })).not.toHaveProperty(
      "signature",
    );
  });
});
