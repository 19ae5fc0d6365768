import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRawCommit, RawCommitError, readCommits } from "../../src/git/raw-commit.js";
import { GpgHome, sshKeygen, TempDir, TestRepo, type SshKey } from "./helpers/signed-repo.js";

const zhao = { name: "Zhao Min", email: "zhao.min@acme.example" };

describe("parseRawCommit and readCommits on real signed commits", () => {
  const tmp = new TempDir();
  let gnupg: GpgHome;
  let repo: TestRepo;
  let fingerprint: string;
  let ssh: SshKey;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    gnupg = new GpgHome(tmp.path);
    fingerprint = gnupg.generate(`${zhao.name} <${zhao.email}>`);
    ssh = sshKeygen(tmp.path, "zhao");
    repo = new TestRepo(join(tmp.path, "repo"), gnupg);
    repo.write("a.txt", "one\n");
    sha.unsigned = repo.commit("first", zhao, { at: 1_760_000_000 });
    repo.write("a.txt", "two\n");
    sha.gpg = repo.commit("signed by gpg", zhao, { sign: fingerprint, at: 1_760_000_100 });
    repo.write("a.txt", "three\n");
    sha.ssh = repo.commit("signed by ssh", zhao, { sign: ssh, at: 1_760_000_200 });
    // A merge of a signed tag carries a `mergetag` header that the signature covers.
    repo.git(["checkout", "-q", "-b", "topic", sha.unsigned]);
    repo.write("b.txt", "topic\n");
    repo.commit("topic work", zhao, { at: 1_760_000_300 });
    repo.git(["-c", `user.signingkey=${fingerprint}`, "tag", "-s", "-m", "release", "v1"], {
      GIT_COMMITTER_NAME: zhao.name,
      GIT_COMMITTER_EMAIL: zhao.email,
    });
    repo.git(["checkout", "-q", "main"]);
    sha.merge = repo.commit("merge v1", zhao, {
      sign: fingerprint,
      merge: "v1",
      at: 1_760_000_400,
    });
  });

  afterAll(() => {
    gnupg.close();
    tmp.remove();
  });

  it("leaves an unsigned commit without signature", () => {
    expect(parseRawCommit(repo.catFile(sha.unsigned as string)).signature).toBeUndefined();
  });

  it.each([
    ["gpg", "openpgp"],
    ["ssh", "ssh"],
    ["merge", "openpgp"],
  ])("recognises the %s signature as %s", (name, format) => {
    expect(parseRawCommit(repo.catFile(sha[name] as string)).signature?.format).toBe(format);
  });

  it("cuts a payload out of a GnuPG-signed commit that gpg itself verifies", () => {
    const signature = parseRawCommit(repo.catFile(sha.gpg as string)).signature;
    writeFileSync(join(tmp.path, "gpg.payload"), signature?.payload ?? "");
    writeFileSync(join(tmp.path, "gpg.sig"), signature?.signature ?? "");
    // Throws on a bad signature.
    gnupg.gpg(["--verify", join(tmp.path, "gpg.sig"), join(tmp.path, "gpg.payload")]);
    expect(signature?.payload).not.toContain("gpgsig");
  });

  it("cuts a payload out of an SSH-signed commit that ssh-keygen itself verifies", () => {
    const signature = parseRawCommit(repo.catFile(sha.ssh as string)).signature;
    writeFileSync(join(tmp.path, "ssh.sig"), signature?.signature ?? "");
    const out = execFileSync(
      "ssh-keygen",
      ["-Y", "check-novalidate", "-n", "git", "-s", join(tmp.path, "ssh.sig")],
      { input: signature?.payload ?? "", encoding: "utf8" },
    );
    expect(out).toContain("Good");
  });

  it("keeps the mergetag of a signed merge in the payload that gpg verifies", () => {
    const signature = parseRawCommit(repo.catFile(sha.merge as string)).signature;
    expect(signature?.payload).toMatch(/^mergetag object [0-9a-f]{40}\n type commit\n/m);
    writeFileSync(join(tmp.path, "merge.payload"), signature?.payload ?? "");
    writeFileSync(join(tmp.path, "merge.sig"), signature?.signature ?? "");
    gnupg.gpg(["--verify", join(tmp.path, "merge.sig"), join(tmp.path, "merge.payload")]);
  });

  it("reads a range oldest first with trees, parents, people and signatures", async () => {
    const commits = await readCommits(repo.dir, `${sha.unsigned}..main`);
    expect(commits.map((c) => c.sha)).toEqual([
      sha.gpg,
      sha.ssh,
      repo.git(["rev-parse", "topic"]).trim(),
      sha.merge,
    ]);
    const merge = commits[3];
    expect(merge?.parents).toEqual([sha.ssh, repo.git(["rev-parse", "topic"]).trim()]);
    expect(merge?.tree).toBe(repo.git(["rev-parse", `${sha.merge}^{tree}`]).trim());
    expect(merge?.committer).toEqual({
      name: zhao.name,
      email: zhao.email,
      date: new Date(1_760_000_400_000),
    });
    expect(merge?.message).toBe("merge v1\n");
    expect(commits.map((c) => c.signature?.format)).toEqual([
      "openpgp",
      "ssh",
      undefined,
      "openpgp",
    ]);
  });

  it("reads nothing from an empty range", async () => {
    expect(await readCommits(repo.dir, "main..main")).toEqual([]);
  });

  it("rejects a range git does not know", async () => {
    await expect(readCommits(repo.dir, "nope..main")).rejects.toThrow();
  });
});

describe("parseRawCommit on crafted objects", () => {
  const head = [
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "parent 1111111111111111111111111111111111111111",
    "author A U Thor <a@acme.example> 1700000000 +0530",
    "committer C O Mitter <c@acme.example> 1700000100 -0130",
  ].join("\n");
  const sig = (name: string): string =>
    `${name} -----BEGIN PGP SIGNATURE-----\n \n ${name}body\n -----END PGP SIGNATURE-----\n`;

  it("takes gpgsig and drops gpgsig-sha256 from the payload of a SHA-1 commit", () => {
    const raw = Buffer.from(`${head}\n${sig("gpgsig")}${sig("gpgsig-sha256")}\nmessage\n`);
    const commit = parseRawCommit(raw);
    expect(commit.signature?.signature).toBe(
      "-----BEGIN PGP SIGNATURE-----\n\ngpgsigbody\n-----END PGP SIGNATURE-----\n",
    );
    expect(commit.signature?.payload).toBe(`${head}\n\nmessage\n`);
  });

  it("takes gpgsig-sha256 when it is the only signature", () => {
    const raw = Buffer.from(`${head}\n${sig("gpgsig-sha256")}\nmessage\n`);
    expect(parseRawCommit(raw).signature?.signature).toContain("gpgsig-sha256body");
  });

  it("keeps the zone and the time of author and committer", () => {
    const commit = parseRawCommit(Buffer.from(`${head}\n\nmessage\n`));
    expect(commit.author).toEqual({
      name: "A U Thor",
      email: "a@acme.example",
      date: new Date(1_700_000_000_000),
      timezone: "+0530",
    });
    expect(commit.committer.timezone).toBe("-0130");
    expect(commit.tree).toBe("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  });

  it("keeps the exact bytes of a payload that is not UTF-8", () => {
    const raw = Buffer.concat([
      Buffer.from(`${head}\nencoding ISO-8859-1\n${sig("gpgsig")}\n`),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), // "café" in Latin-1
    ]);
    const commit = parseRawCommit(raw);
    expect(commit.message).toBe("café\n");
    expect(Buffer.from(commit.signature?.payloadBytes ?? [])).toEqual(
      Buffer.concat([
        Buffer.from(`${head}\nencoding ISO-8859-1\n\n`),
        Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      ]),
    );
  });

  it("sets no payloadBytes when the payload string is exact", () => {
    const commit = parseRawCommit(Buffer.from(`${head}\n${sig("gpgsig")}\nmessage\n`));
    expect(commit.signature?.payloadBytes).toBeUndefined();
  });

  it.each([
    ["no tree", "author A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nm\n", /no tree/],
    ["a bad author line", "tree 1\nauthor A a@x 1\ncommitter A <a@x> 1 +0000\n\nm\n", /author/],
    ["a header without value", "tree 1\nbroken\n\nm\n", /malformed header/],
  ])("refuses an object with %s", (_, raw, message) => {
    expect(() => parseRawCommit(Buffer.from(raw))).toThrow(RawCommitError);
    expect(() => parseRawCommit(Buffer.from(raw))).toThrow(message);
  });
});
