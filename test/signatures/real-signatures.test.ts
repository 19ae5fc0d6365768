import { join } from "node:path";
import { createMessage, sign } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeCommit } from "../../src/core/signatures/judge-commit.js";
import { loadKeyring, type Keyring } from "../../src/core/signatures/keyring.js";
import type { Commit } from "../../src/core/types.js";
import { parseRawCommit, readCommits, toCommit } from "../../src/git/raw-commit.js";
import { makePgpKey } from "./helpers/craft.js";
import { GpgHome, TempDir, TestRepo } from "./helpers/signed-repo.js";

const liu = { name: "Liu Yang", email: "liu.yang@acme.example" };
const zhao = { name: "Zhao Min", email: "zhao.min@acme.example" };
const tmp = new TempDir();
let gnupg: GpgHome;
let repo: TestRepo;
let keyring: Keyring;
const commits: Record<string, Commit> = {};

beforeAll(async () => {
  gnupg = new GpgHome(tmp.path);
  // Liu's primary key only certifies; a subkey valid for two days signs.
  const liuKey = gnupg.generate(`${liu.name} <${liu.email}>`, "ed25519", "never");
  gnupg.gpg(["--quick-add-key", liuKey, "ed25519", "sign", "2d"]);
  const zhaoKey = gnupg.generate(`${zhao.name} <${zhao.email}>`);
  repo = new TestRepo(join(tmp.path, "repo"), gnupg);
  const now = () => Math.floor(Date.now() / 1000);
  const start = repo.commit("start", zhao, { sign: zhaoKey });
  repo.write("a.txt", "subkey\n");
  const bySubkey = repo.commit("by subkey", liu, { sign: liuKey, at: now() });
  repo.write("a.txt", "later\n");
  const afterExpiry = repo.commit("after the subkey expired", liu, {
    sign: liuKey,
    at: now() + 5 * 86_400,
  });
  // A merge of a signed tag: its `mergetag` header is part of what the merge signature covers.
  repo.git(["checkout", "-q", "-b", "topic", start]);
  repo.write("b.txt", "topic\n");
  repo.commit("topic", zhao, { sign: zhaoKey });
  repo.git(["-c", `user.signingkey=${zhaoKey}`, "tag", "-s", "-m", "release", "v1"], {
    GIT_COMMITTER_NAME: zhao.name,
    GIT_COMMITTER_EMAIL: zhao.email,
  });
  repo.git(["checkout", "-q", "main"]);
  const merge = repo.commit("merge v1", zhao, { sign: zhaoKey, merge: "v1" });
  keyring = await loadKeyring(
    new Map([
      ["policies/keys/liu-yang.asc", gnupg.exportPublic(liuKey)],
      ["policies/keys/zhao-min.asc", gnupg.exportPublic(zhaoKey)],
    ]),
  );
  for (const commit of await readCommits(repo.dir, `${start}..main`)) {
    const name = { [bySubkey]: "bySubkey", [afterExpiry]: "afterExpiry", [merge]: "merge" }[
      commit.sha
    ];
    if (name) commits[name] = commit;
  }
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

const judge = (commit: Commit | undefined, login: string) =>
  judgeCommit(commit as Commit, keyring, {
    authorLogin: login,
    trustGithubWebCommits: false,
    now: new Date(),
  });

describe("signatures made by GnuPG", () => {
  it("accepts a commit signed by a signing subkey of a trusted key", async () => {
    const result = await judge(commits.bySubkey, "liu-yang");
    expect(result).toMatchObject({
      status: "satisfied",
      reason: expect.stringMatching(/^signed by liu-yang's ed25519 key 0x/),
    });
  });

  it("refuses a commit made after the signing subkey expired", async () => {
    const result = await judge(commits.afterExpiry, "liu-yang");
    expect(result.reason).toMatch(
      /^is signed by subkey 0x[0-9A-F]{16} of 0x[0-9A-F]{16}, which expired on \S+, before the commit was made/,
    );
    expect(result.status).toBe("failed");
  });

  it("accepts a signed merge of a signed tag, mergetag and all", async () => {
    expect(commits.merge?.signature?.payload).toContain("\nmergetag object ");
    expect((await judge(commits.merge, "zhao-min")).status).toBe("satisfied");
  });

  it("refuses the merge when its mergetag is altered", async () => {
    const merge = commits.merge as Commit;
    const payload = merge.signature?.payload.replace(" type commit\n", " type commit \n") ?? "";
    const altered = { ...merge, signature: { ...merge.signature!, payload } };
    expect((await judge(altered, "zhao-min")).reason).toMatch(/altered after signing/);
  });
});

describe("a commit whose bytes are not UTF-8", () => {
  it("is verified over its exact bytes", async () => {
    const date = new Date(Date.UTC(2026, 0, 1));
    const key = await makePgpKey({ ...zhao, date });
    const time = date.getTime() / 1000 + 60;
    const head = `tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Zhao Min <${zhao.email}> ${time} +0800\ncommitter Zhao Min <${zhao.email}> ${time} +0800\nencoding ISO-8859-1\n`;
    const body = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café" in Latin-1
    const payload = Buffer.concat([Buffer.from(head + "\n"), body]);
    const signature = await sign({
      message: await createMessage({ binary: payload }),
      signingKeys: key.privateKey,
      detached: true,
      date: new Date(time * 1000),
      format: "armored",
    });
    const raw = Buffer.concat([
      Buffer.from(head + "gpgsig " + signature.trimEnd().split("\n").join("\n ") + "\n\n"),
      body,
    ]);
    const sha = repo.hashObject(raw);
    const commit = toCommit(sha, parseRawCommit(repo.catFile(sha)));
    const latin = await loadKeyring(new Map([["policies/keys/zhao-min.asc", key.armored]]));
    const options = { authorLogin: "zhao-min", trustGithubWebCommits: false, now: new Date() };
    expect((await judgeCommit(commit, latin, options)).status).toBe("satisfied");
    // Without the exact bytes, the UTF-8 payload string no longer matches the signature.
    const lossy = { ...commit.signature! };
    delete lossy.payloadBytes;
    const again = { ...commit, sha: "0".repeat(40), signature: lossy };
    expect((await judgeCommit(again, latin, options)).reason).toMatch(/altered after signing/);
  });
});
