/**
 * The holes an attacker with a stolen or expired key used, closed: back-dated commits (GnuPG's
 * clock faked, or SSH signatures, which carry no time) and a key file holding two exports of
 * one key. Real GnuPG and ssh-keygen sign; `check` and `keys verify` must agree on every commit.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreedVerdicts, gatehouse, governedSignedRepo } from "./helpers/governed-signed-repo.js";
import {
  GpgHome,
  gpgTime,
  sshKeygen,
  TempDir,
  type Author,
  type SshKey,
  type TestRepo,
} from "./helpers/signed-repo.js";

const wang: Author = { name: "Wang Jun", email: "wang.jun@acme.example" };
const sun: Author = { name: "Sun Li", email: "sun.li@acme.example" };
const zhao: Author = { name: "Zhao Min", email: "zhao.min@acme.example" };
const li: Author = { name: "Li Na", email: "li.na@acme.example" };
const day = (n: number) => Date.UTC(2026, 0, n) / 1000;

const tmp = new TempDir();
let gnupg: GpgHome;
let repo: TestRepo;
let wangKey: string;
let zhaoKey: string;
let liKey: string;
let sunKey: SshKey;
const short: Record<string, string> = {};

beforeAll(async () => {
  gnupg = new GpgHome(tmp.path);
  // Wang's key was made on January 1 and expired on January 11.
  wangKey = gnupg.generate(`${wang.name} <${wang.email}>`, "ed25519", "10d", gpgTime(day(1)));
  zhaoKey = gnupg.generate(`${zhao.name} <${zhao.email}>`);
  liKey = gnupg.generate(`${li.name} <${li.email}>`);
  sunKey = sshKeygen(tmp.path, "sun");
  const oldExport = gnupg.exportPublic(zhaoKey);
  const revoked = gnupg.exportRevokedFor(zhaoKey, 1);
  repo = await governedSignedRepo(tmp.path, gnupg, {
    "wang-jun.asc": gnupg.exportPublic(wangKey),
    "sun-li.pub": `sun.li@acme.example valid-before="20260111Z" ${sunKey.publicLine}\n`,
    // A fresh export carrying a compromise revocation, appended to the old one.
    "zhao-min.asc": `${oldExport}\n${revoked}`,
    // GnuPG's own revocation certificate, pasted below the export as GnuPG keeps it.
    "li-na.asc": `${gnupg.exportPublic(liKey)}\n${gnupg.revocationCertificate(liKey)}`,
  });
  // main's only commit is made now: the branch's commits below claim to be older than it.
  repo.commit("adopt gatehouse", zhao);
  repo.git(["checkout", "-q", "-b", "topic"]);
  const change = (
    name: string,
    author: Author,
    sign: string | SshKey,
    at: number,
    gpg?: string,
  ) => {
    repo.write(`notes/${name}.txt`, `${name}\n`);
    const options = gpg === undefined ? { sign, at } : { sign, at, gpgProgram: gpg };
    short[name] = repo.commit(name, author, options).slice(0, 7);
  };
  // Back-dated to January 5, GnuPG's clock faked to match, long after the key expired.
  change("backdated-gpg", wang, wangKey, day(5), gnupg.fakedClock(gpgTime(day(5))));
  change("backdated-ssh", sun, sunKey, day(5));
  change("old-export", zhao, zhaoKey, Math.floor(Date.now() / 1000));
  change("revocation-certificate", li, liKey, Math.floor(Date.now() / 1000));
  writeFileSync(join(tmp.path, "context.yml"), "author: zhao-min\n");
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

const context = () => ["--context", join(tmp.path, "context.yml")];

describe("a back-dated commit", () => {
  it("is refused when its OpenPGP key expired before the judgement, by check and keys verify alike", async () => {
    const verdicts = await agreedVerdicts(repo, context());
    expect(verdicts.get(short["backdated-gpg"] ?? "")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by key 0x[0-9A-F]{16}, which expired on 2026-01-11T00:00:00Z; the commit says it was made on 2026-01-05T00:00:00Z, but anyone can write a commit's date, so the key must still be valid when the pull request is judged \(\S+\): extend the key \(gpg --quick-set-expire\) and update policies\/keys, or sign the commit again with a valid key$/,
      ) as unknown,
    });
  });

  it("is refused when its SSH key's valid-before passed, since SSH signatures carry no time", async () => {
    const verdicts = await agreedVerdicts(repo, context());
    expect(verdicts.get(short["backdated-ssh"] ?? "")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by SSH key SHA256:\S+, which expired on 2026-01-11T00:00:00Z; the commit says it was made on 2026-01-05T00:00:00Z, but an SSH signature carries no time and anyone can write a commit's date, so the key must still be valid when the pull request is judged/,
      ) as unknown,
    });
  });

  it("counts when judged while the key was valid (--now), in both commands", async () => {
    const verdicts = await agreedVerdicts(repo, [...context(), "--now", "2026-01-06T00:00:00Z"]);
    expect(verdicts.get(short["backdated-gpg"] ?? "")?.ok).toBe(true);
    expect(verdicts.get(short["backdated-ssh"] ?? "")?.ok).toBe(true);
  });
});

describe("a key file holding two exports of one key", () => {
  it("applies the revocation of the later export, in check and keys verify alike", async () => {
    const verdicts = await agreedVerdicts(repo, context());
    expect(verdicts.get(short["old-export"] ?? "")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by key 0x[0-9A-F]{16}, which was revoked \(compromised\) on \S+; a key revoked for compromise is never trusted, not even for older commits$/,
      ) as unknown,
    });
  });

  it("applies a revocation certificate pasted below the export", async () => {
    const verdicts = await agreedVerdicts(repo, context());
    expect(verdicts.get(short["revocation-certificate"] ?? "")).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by key 0x[0-9A-F]{16}, which was revoked \(no reason given\) on \S+; a key revoked without a reason counts as compromised/,
      ) as unknown,
    });
  });

  it("is listed as one key, compromised, read from both exports", async () => {
    const result = await gatehouse(["keys", "list", "--repo", repo.dir, "--ref", "main"], repo.dir);
    const row = result.out.split("\n").find((l) => l.trimStart().startsWith("zhao-min"));
    expect(row).toMatch(
      /revoked \(compromised\) on \S+: none of its signatures is trusted, not even older ones; exported 2 times \(policies\/keys\/zhao-min\.asc:1, policies\/keys\/zhao-min\.asc:\d+\): read as one key, every revocation applied$/,
    );
    expect(result.out.split("\n").filter((l) => l.trimStart().startsWith("zhao-min"))).toHaveLength(
      1,
    );
  });
});
