/**
 * Keys and identities without guesswork: `gatehouse keys add` writes a key in the form and
 * place gatehouse reads, with the e-mail that maps its owner's commits; a plain SSH line's
 * comment e-mail maps too; and `check` needs no --context to know who its author is.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initFiles } from "../../src/cli/init-files.js";
import { checkSignatures, gatehouse, governedSignedRepo } from "./helpers/governed-signed-repo.js";
import { GpgHome, sshKeygen, TempDir, type Author, type TestRepo } from "./helpers/signed-repo.js";

const wang: Author = { name: "Wang Jun", email: "wang.jun@acme.example" };
const sun: Author = { name: "Sun Li", email: "sun.li@acme.example" };
const zhao: Author = { name: "Zhao Min", email: "zhao.min@acme.example" };

const tmp = new TempDir();
let gnupg: GpgHome;
let repo: TestRepo;
let zhaoKey: string;

/** `gatehouse keys add ARGS` in the repository, with this test's GnuPG home. */
async function add(...args: string[]) {
  return gatehouse(["keys", "add", "--repo", repo.dir, ...args], repo.dir, {
    GNUPGHOME: gnupg.dir,
  });
}

const file = (path: string) => readFileSync(join(repo.dir, path), "utf8");

beforeAll(async () => {
  gnupg = new GpgHome(tmp.path);
  zhaoKey = gnupg.generate(`${zhao.name} <${zhao.email}>`);
  repo = await governedSignedRepo(tmp.path, gnupg, {});
  repo.git(["config", "user.email", "xu.ming@acme.example"]);
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

describe("gatehouse keys add", () => {
  it("writes an SSH key as an allowed-signers line with the comment's e-mail, and says how the first key counts", async () => {
    const key = sshKeygen(tmp.path, "wang", "ed25519", wang.email);
    const result = await add("--ssh", `${key.privatePath}.pub`, "--login", "wang-jun");
    expect(result.status).toBe(0);
    const [, base64] = key.publicLine.split(" ");
    expect(file("policies/keys/wang-jun.pub")).toBe(
      `wang.jun@acme.example namespaces="git" ssh-ed25519 ${base64} wang.jun@acme.example\n`,
    );
    expect(result.out).toMatch(
      /^Wrote policies\/keys\/wang-jun\.pub: wang-jun's ed25519 key SHA256:\S+, mapping commits made as w\*\*\*@acme\.example to wang-jun\.\nThis is the first key of policies\/keys: commit it to the default branch before you turn on branch protection/,
    );
  });

  it("says there is nothing to do when the key is there already", async () => {
    const result = await add("--ssh", join(tmp.path, "id_wang.pub"), "--login", "wang-jun");
    expect(result.out).toMatch(
      /^policies\/keys\/wang-jun\.pub already holds ed25519 key SHA256:\S+; nothing to do\.\n$/,
    );
    expect(result.status).toBe(0);
  });

  it("writes an OpenPGP key as gpg exports it, and merges a later export of it into the same block", async () => {
    const first = await add("--gpg", zhao.email, "--login", "zhao-min");
    expect(first.status).toBe(0);
    expect(first.out).toMatch(
      /^Wrote policies\/keys\/zhao-min\.asc: zhao-min's ed25519 key 0x[0-9A-F]{16}, mapping commits made as z\*\*\*@acme\.example to zhao-min\./,
    );
    expect(file("policies/keys/zhao-min.asc")).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);

    gnupg.setExpiry(zhaoKey, "2y");
    const again = await add("--gpg", zhaoKey, "--login", "zhao-min");
    expect(again.out).toMatch(/^Updated policies\/keys\/zhao-min\.asc: /);
    const listed = await gatehouse(
      ["keys", "list", "--repo", repo.dir, "--format", "json"],
      repo.dir,
    );
    const keys = (
      JSON.parse(listed.out) as {
        keys: Array<{ login: string; expires: string | null; copies: unknown[] }>;
      }
    ).keys;
    const zhaoKeys = keys.filter((k) => k.login === "zhao-min");
    expect(zhaoKeys).toHaveLength(1);
    expect(zhaoKeys[0]?.expires).not.toBeNull();
    expect(zhaoKeys[0]?.copies).toEqual([]);
  });

  it("adds the key git signs with, mapping git's user.email, and finds the login of a known e-mail", async () => {
    const key = sshKeygen(tmp.path, "wang-laptop", "ed25519", "wang@laptop");
    repo.git(["config", "gpg.format", "ssh"]);
    repo.git(["config", "user.signingkey", `${key.privatePath}.pub`]);
    repo.git(["config", "user.email", wang.email]);
    try {
      const result = await add();
      expect(result.status).toBe(0);
      // The reader's own e-mail is shown in full.
      expect(result.out).toMatch(
        /^Added to policies\/keys\/wang-jun\.pub: wang-jun's ed25519 key SHA256:\S+, mapping commits made as wang\.jun@acme\.example to wang-jun\./,
      );
      expect(file("policies/keys/wang-jun.pub").split("\n")[1]).toMatch(
        /^wang\.jun@acme\.example namespaces="git" ssh-ed25519 \S+ wang@laptop$/,
      );
    } finally {
      repo.git(["config", "--unset", "gpg.format"]);
      repo.git(["config", "--unset", "user.signingkey"]);
      repo.git(["config", "user.email", "xu.ming@acme.example"]);
    }
  });

  it.each<[string, () => string[], RegExp]>([
    [
      "a private key",
      () => ["--ssh", join(tmp.path, "id_wang"), "--login", "wang-jun"],
      /id_wang is a PRIVATE key; give its public half instead \(.*id_wang\.pub\), and never commit the private one\.$/,
    ],
    [
      "a key whose owner it cannot tell",
      () => [
        "--ssh",
        `${sshKeygen(tmp.path, "nobody", "ed25519", "nobody@acme.example").privatePath}.pub`,
      ],
      /say whose key this is: --login <GitHub login>\./,
    ],
    [
      "an SSH key that names no e-mail",
      () => [
        "--ssh",
        `${sshKeygen(tmp.path, "bare", "ed25519", "laptop").privatePath}.pub`,
        "--login",
        "li-na",
      ],
      /names no e-mail; say which e-mail its owner commits with: --email ADDRESS\./,
    ],
    [
      "an e-mail that no user id of the OpenPGP key holds",
      () => ["--gpg", zhao.email, "--login", "zhao-min", "--email", "other@acme.example"],
      /has no user id with that e-mail .*gpg --quick-add-uid/,
    ],
    [
      "a key already listed for another login",
      () => ["--ssh", join(tmp.path, "id_wang.pub"), "--login", "li-na"],
      /was not added to policies\/keys\/li-na\.pub: .*is also listed for wang-jun/,
    ],
    [
      "both kinds at once",
      () => ["--ssh", "x", "--gpg", "y"],
      /give --ssh FILE or --gpg KEYID, not both\./,
    ],
    [
      "a key gpg does not know",
      () => ["--gpg", "nobody@nowhere.example", "--login", "li-na"],
      /gpg knows no public key 'nobody@nowhere\.example'/,
    ],
  ])("refuses %s with one line and exit 2", async (_, args, message) => {
    const result = await add(...args());
    expect(result.err.trimEnd()).toMatch(message);
    expect(result.err.trimEnd().split("\n")).toHaveLength(1);
    expect(result.status).toBe(2);
  });
});

describe("identities from the keys", () => {
  it("maps a plain SSH line's comment e-mail to the login, and check needs no --context", async () => {
    const key = sshKeygen(tmp.path, "sun", "ed25519", sun.email);
    repo.write("policies/keys/sun-li.pub", `${key.publicLine}\n`);
    repo.commit("adopt gatehouse", zhao);
    repo.git(["checkout", "-q", "-b", "sun-change"]);
    repo.write("notes/sun.txt", "by sun\n");
    const sha = repo.commit("a change by sun", sun, { sign: key }).slice(0, 7);
    const { node, json } = await checkSignatures(repo);
    expect(node.children.find((c) => c.reason.startsWith(sha))).toMatchObject({
      status: "satisfied",
      reason: expect.stringMatching(/ signed by sun-li's ed25519 key SHA256:/) as unknown,
    });
    expect(json.conclusion).not.toBe("success"); // approvals are still missing
    const list = await gatehouse(["keys", "list", "--repo", repo.dir], repo.dir);
    expect(list.out).toMatch(
      /^ {2}sun-li +ssh +SHA256:\S+ +ed25519 +no expiry +s\*\*\*@acme\.example$/m,
    );
  });
});

describe("messages about the reader's own commits", () => {
  it("show the reader's own e-mail in full, and someone else's masked", async () => {
    const key = sshKeygen(tmp.path, "new-joiner", "ed25519", "laptop");
    repo.git(["checkout", "-q", "-b", "joiner", "main"]);
    repo.write("notes/joiner.txt", "first change\n");
    const joiner = { name: "Guo Fang", email: "guo.fang@acme.example" };
    const sha = repo.commit("a joiner's first change", joiner, { sign: key }).slice(0, 7);
    const ctx = join(tmp.path, "joiner.yml");
    writeFileSync(ctx, "author: guo-fang\n");
    try {
      repo.git(["config", "user.email", joiner.email]);
      const own = await checkSignatures(repo, ["--context", ctx]);
      const contributors = (
        own.json.rules as { children: Array<{ id: string; reason: string }> }
      ).children.find((c) => c.id === "contributors");
      expect(contributors?.reason).toContain(`${sha} (guo.fang@acme.example)`);
      const verify = await gatehouse(["keys", "verify", "--repo", repo.dir], repo.dir);
      expect(verify.out).toContain(`${sha} is signed by SSH key`);

      repo.git(["config", "user.email", "xu.ming@acme.example"]);
      const other = await checkSignatures(repo, ["--context", ctx]);
      expect(other.run.out).not.toContain("guo.fang");
      expect(other.run.out).toContain(`${sha} (@acme.example)`);
    } finally {
      repo.git(["config", "user.email", "xu.ming@acme.example"]);
    }
  });
});

describe("the keys README that init writes", () => {
  it("explains how the first keys reach the default branch and how a joiner's key is added", async () => {
    const readme = (await initFiles("finance")).get("policies/keys/README.md") ?? "";
    expect(readme).toMatch(
      /## The first keys\n\n.*committed to the default branch directly, before branch protection/s,
    );
    expect(readme).toMatch(
      /## A new joiner's key\n\nA security admin adds it: `gatehouse keys add --ssh their\.pub/,
    );
  });
});
