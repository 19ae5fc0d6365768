/**
 * The messages a security admin acts on, with keys made by real GnuPG and ssh-keygen: the
 * strongest of several revocations, a subkey compromised after a commit, a binary private key,
 * an e-mail two logins claim, a cert-authority line, and a commit dated in the gap of an
 * expired and later extended key. `check` and `keys verify` say the same of every commit.
 */
import { readKeys } from "openpgp";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agreedVerdicts,
  checkSignatures,
  gatehouse,
  governedSignedRepo,
} from "./helpers/governed-signed-repo.js";
import {
  GpgHome,
  gpgTime,
  sshCertify,
  sshKeygen,
  TempDir,
  type Author,
  type SshKey,
  type TestRepo,
} from "./helpers/signed-repo.js";

const people: Record<string, Author> = {
  liu: { name: "Liu Yang", email: "liu.yang@acme.example" },
  chen: { name: "Chen Jie", email: "chen.jie@acme.example" },
  zhao: { name: "Zhao Min", email: "zhao.min@acme.example" },
  sun: { name: "Sun Li", email: "sun.li@acme.example" },
  wang: { name: "Wang Jun", email: "wang.jun@acme.example" },
};
const who = (name: string) => people[name] as Author;
const day = (n: number) => Date.UTC(2026, 0, n) / 1000;

const tmp = new TempDir();
let gnupg: GpgHome;
let repo: TestRepo;
const fpr: Record<string, string> = {};
const short: Record<string, string> = {};
let ca: SshKey;
let sunCert: SshKey;
let firstRevocationFlag: number | null = null;

beforeAll(async () => {
  gnupg = new GpgHome(tmp.path);
  const at = (n: number) => gpgTime(day(n));
  // Liu's key: revoked as superseded in June, then for compromise in July.
  fpr.liu = gnupg.generate(`Liu Yang <${who("liu").email}>`, "ed25519", "never", at(1));
  const superseded = gnupg.exportRevokedFor(fpr.liu, 2, {
    at: gpgTime(Date.UTC(2026, 5, 1) / 1000),
  });
  const compromised = gnupg.exportRevokedFor(fpr.liu, 1, {
    at: gpgTime(Date.UTC(2026, 6, 1) / 1000),
  });
  const liuExport = gnupg.combine(superseded, compromised);
  const [liuKey] = await readKeys({ armoredKeys: liuExport });
  firstRevocationFlag = liuKey?.revocationSignatures[0]?.reasonForRevocationFlag ?? null;
  // Chen signs with a subkey, compromised in March, after Chen's February commit.
  fpr.chen = gnupg.generate(`Chen Jie <${who("chen").email}>`, "ed25519", "never", at(1));
  gnupg.addSigningSubkey(fpr.chen, "never", at(1));
  const chenExport = gnupg.exportRevokedFor(fpr.chen, 1, {
    subkey: 1,
    at: gpgTime(Date.UTC(2026, 2, 1) / 1000),
  });
  // Zhao's key, and Zhao's e-mail claimed by a line of Li's SSH file as well.
  fpr.zhao = gnupg.generate(`Zhao Min <${who("zhao").email}>`);
  const li = sshKeygen(tmp.path, "li");
  // Wang's key expired on January 11 and was extended on February 1 for five years.
  fpr.wang = gnupg.generate(`Wang Jun <${who("wang").email}>`, "ed25519", "10d", at(1));
  gnupg.setExpiry(fpr.wang, "5y", gpgTime(Date.UTC(2026, 1, 1) / 1000));
  // Sun's file trusts a certificate authority instead of Sun's key.
  ca = sshKeygen(tmp.path, "acme-ca");
  const sunKey = sshKeygen(tmp.path, "sun", "ed25519", who("sun").email);
  sunCert = sshCertify(ca, sunKey, who("sun").email);

  repo = await governedSignedRepo(tmp.path, gnupg, {
    "liu-yang.asc": liuExport,
    "chen-jie.asc": chenExport,
    "zhao-min.asc": gnupg.exportPublic(fpr.zhao),
    "li-na.pub": `zhao.min@acme.example namespaces="git" ${li.publicLine}\n`,
    "wang-jun.asc": gnupg.exportPublic(fpr.wang),
    "sun-li.pub": `sun.li@acme.example cert-authority ${ca.publicLine}\n`,
  });
  writeFileSync(join(repo.dir, "policies/keys/guo-fang.gpg"), gnupg.exportSecretBinary(fpr.zhao));
  repo.commit("adopt gatehouse", who("zhao"));
  repo.git(["config", "user.email", "xu.ming@acme.example"]);
  repo.git(["checkout", "-q", "-b", "topic"]);
  const change = (name: string, author: Author, sign: string | SshKey, time: number) => {
    repo.write(`notes/${name}.txt`, `${name}\n`);
    // GnuPG's clock is faked for commits dated in the past, so that the signature matches.
    const past = time < Date.now() / 1000 - 86_400;
    const gpgProgram =
      typeof sign === "string" && past ? gnupg.fakedClock(gpgTime(time)) : undefined;
    const options = gpgProgram ? { sign, at: time, gpgProgram } : { sign, at: time };
    short[name] = repo.commit(name, author, options).slice(0, 7);
  };
  change("liu", who("liu"), fpr.liu, Date.UTC(2026, 4, 1) / 1000);
  change("chen", who("chen"), fpr.chen, Date.UTC(2026, 1, 1) / 1000);
  change("zhao", who("zhao"), fpr.zhao, Math.floor(Date.now() / 1000));
  change("gap", who("wang"), fpr.wang, day(20));
  change("extended", who("wang"), fpr.wang, Date.UTC(2026, 1, 5) / 1000);
  change("ca", who("sun"), ca, Math.floor(Date.now() / 1000) - 60);
  change("certificate", who("sun"), sunCert, Math.floor(Date.now() / 1000) - 60);
  writeFileSync(join(tmp.path, "context.yml"), "author: zhao-min\n");
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

const context = () => ["--context", join(tmp.path, "context.yml")];

/** The agreed verdict of `check` and `keys verify` on the commit named `name`. */
async function verdictOn(name: string) {
  return (await agreedVerdicts(repo, context())).get(short[name] ?? "");
}

/** The line `keys list` prints for a login's key. */
async function listed(login: string): Promise<string | undefined> {
  const result = await gatehouse(["keys", "list", "--repo", repo.dir, "--ref", "main"], repo.dir);
  return result.out.split("\n").find((l) => l.trimStart().startsWith(`${login} `));
}

describe("a key revoked twice, first as superseded, then for compromise", () => {
  it("holds the superseded revocation first, as GnuPG exported it", () => {
    expect(firstRevocationFlag).toBe(2);
  });

  it("is reported as compromised everywhere", async () => {
    expect(await verdictOn("liu")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by key 0x[0-9A-F]{16}, which was revoked \(compromised\) on 2026-07-01T00:00:00Z; a key revoked for compromise is never trusted, not even for older commits$/,
      ) as unknown,
    });
    expect(await listed("liu-yang")).toMatch(
      /revoked \(compromised\) on 2026-07-01T00:00:00Z: none of its signatures is trusted, not even older ones$/,
    );
  });
});

describe("a signing subkey compromised after the commit", () => {
  it("is said to be compromised and never trusted", async () => {
    expect(await verdictOn("chen")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by subkey 0x[0-9A-F]{16} of 0x[0-9A-F]{16}, which was revoked \(compromised\) on 2026-03-01T00:00:00Z; a key revoked for compromise is never trusted, not even for older commits$/,
      ) as unknown,
    });
    expect(await listed("chen-jie")).toMatch(
      /signing subkey 0x[0-9A-F]{16} revoked \(compromised\) on 2026-03-01T00:00:00Z: none of its signatures is trusted, not even older ones$/,
    );
  });
});

describe("a commit dated in the gap of an expired and later extended key", () => {
  it("says expired, and a commit after the extension counts", async () => {
    expect(await verdictOn("gap")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by key 0x[0-9A-F]{16}, which counts as expired at the commit time \(2026-01-20T00:00:00Z\): its self-signature was made on 2026-02-01T00:00:00Z, after the commit, as when an expired key is extended, so nothing vouches for the key before then; sign the commit again with the key as it is now$/,
      ) as unknown,
    });
    expect((await verdictOn("extended"))?.ok).toBe(true);
  });
});

describe("an e-mail the keys of two logins claim", () => {
  const shared =
    /the e-mail z\*\*\*@acme\.example of (zhao-min|li-na)'s key \S+ is also claimed by the key of (li-na|zhao-min) \(policies\/keys\/(li-na\.pub|zhao-min\.asc):1\)/;

  it("fails the owner's commit naming both files, not as an unknown contributor", async () => {
    expect(await verdictOn("zhao")).toEqual({
      ok: false,
      text: "is authored as z***@acme.example, an e-mail that the keys of li-na (policies/keys/li-na.pub) and zhao-min (policies/keys/zhao-min.asc) both claim, so it maps to neither login: keep the address only in its owner's key in policies/keys",
    });
    const { json } = await checkSignatures(repo, context());
    const findings = json.findings as Array<{ code: string; path: string }>;
    expect(findings.filter((f) => f.code === "keys/shared-email").map((f) => f.path)).toEqual([
      "policies/keys/li-na.pub",
      "policies/keys/zhao-min.asc",
    ]);
  });

  it("is flagged by keys list and validate at both files", async () => {
    const list = await gatehouse(["keys", "list", "--repo", repo.dir, "--ref", "main"], repo.dir);
    const validate = await gatehouse(["validate", "--repo", repo.dir], repo.dir);
    for (const out of [list.out, validate.out]) {
      expect(out).toMatch(new RegExp(`policies/keys/li-na\\.pub:1:1 ${shared.source}`));
      expect(out).toMatch(new RegExp(`policies/keys/zhao-min\\.asc:1:1 ${shared.source}`));
    }
    expect(list.status).toBe(1);
    expect(validate.status).toBe(1);
  });
});

describe("a binary private key in policies/keys", () => {
  const message =
    /^policies\/keys\/guo-fang\.gpg:1:1 this is a PRIVATE key \(a binary OpenPGP export\): remove it from the repository and its history, and rotate it/m;

  it("is called out by keys list, keys list of the working tree, and validate", async () => {
    for (const args of [["--ref", "main"], []]) {
      const list = await gatehouse(["keys", "list", "--repo", repo.dir, ...args], repo.dir);
      expect(list.out.replace(/^ {2}/gm, "")).toMatch(message);
    }
    const validate = await gatehouse(["validate", "--repo", repo.dir], repo.dir);
    expect(validate.out).toMatch(message);
  });

  it("is a finding of the verdict", async () => {
    const { json } = await checkSignatures(repo, context());
    expect(json.findings).toContainEqual(
      expect.objectContaining({ path: "policies/keys/guo-fang.gpg", code: "keys/private-key" }),
    );
  });
});

describe("a cert-authority line", () => {
  it("says so on a commit signed by the authority's key", async () => {
    expect(await verdictOn("ca")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by SSH key SHA256:\S+, whose line in policies\/keys\/sun-li\.pub:1 is a cert-authority line: gatehouse trusts each person's own key, never a certificate authority; list the signer's key itself$/,
      ) as unknown,
    });
  });

  it("says so on a commit signed with a certificate it issued", async () => {
    expect(await verdictOn("certificate")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed with an SSH certificate issued by SSH key SHA256:\S+, a cert-authority line in policies\/keys\/sun-li\.pub:1: gatehouse trusts each person's own key, never certificates/,
      ) as unknown,
    });
  });
});
