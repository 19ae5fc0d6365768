import { beforeAll, describe, expect, it } from "vitest";
import { judgeCommit, showEmail } from "../../src/core/signatures/judge-commit.js";
import { loadKeyring, type Keyring } from "../../src/core/signatures/keyring.js";
import { verificationCount } from "../../src/core/signatures/verify-signature.js";
import type { Commit } from "../../src/core/types.js";
import {
  commitOf,
  makePgpKey,
  makeSshKey,
  payloadOf,
  revokedArmor,
  signPgp,
  signSsh,
  type PayloadSpec,
  type PgpKey,
  type SshPair,
} from "./helpers/craft.js";

const DAY = 86_400;
const T0 = Date.UTC(2026, 0, 1) / 1000;
const at = (days: number): number => T0 + days * DAY;
const date = (seconds: number): Date => new Date(seconds * 1000);

const people = {
  zhao: { name: "Zhao Min", email: "zhao.min@acme.example" },
  li: { name: "Li Na", email: "li.na@acme.example" },
  wang: { name: "Wang Jun", email: "wang.jun@acme.example" },
  chen: { name: "Chen Jie", email: "chen.jie@acme.example" },
  liu: { name: "Liu Yang", email: "liu.yang@acme.example" },
  sun: { name: "Sun Li", email: "sun.li@acme.example" },
  web: { name: "GitHub", email: "noreply@github.com" },
};

let keyring: Keyring;
const pgp: Record<string, PgpKey> = {};
const ssh: Record<string, SshPair> = {};
let counter = 0;

beforeAll(async () => {
  const start = date(T0);
  pgp.zhao = await makePgpKey({ ...people.zhao, date: start });
  pgp.li = await makePgpKey({ ...people.li, date: start });
  pgp.wang = await makePgpKey({ ...people.wang, date: start, expiresIn: 30 * DAY });
  pgp.chen = await makePgpKey({ ...people.chen, date: start });
  pgp.liu = await makePgpKey({ ...people.liu, date: start });
  pgp.stranger = await makePgpKey({ name: "Stranger", email: "x@evil.example", date: start });
  pgp.web = await makePgpKey({ ...people.web, date: start });
  ssh.sun = makeSshKey("sun-li");
  ssh.old = makeSshKey("sun-li-old");
  ssh.stranger = makeSshKey("stranger");
  ssh.future = makeSshKey("sun-li-next");
  keyring = await loadKeyring(
    new Map([
      ["policies/keys/zhao-min.asc", pgp.zhao.armored],
      ["policies/keys/li-na.asc", pgp.li.armored],
      ["policies/keys/wang-jun.asc", pgp.wang.armored],
      ["policies/keys/chen-jie.asc", await revokedArmor(pgp.chen, date(at(10)), 2)],
      ["policies/keys/liu-yang.asc", await revokedArmor(pgp.liu, date(at(10)), 1)],
      ["policies/keys/web-flow.asc", pgp.web.armored],
      [
        "policies/keys/sun-li.pub",
        [
          `sun.li@acme.example namespaces="git" ${ssh.sun.line}`,
          `sun.li@acme.example valid-before="20260110Z" ${ssh.old.line}`,
          `sun.li@acme.example valid-after="20260201" ${ssh.future.line}`,
        ].join("\n"),
      ],
    ]),
  );
});

/**
 * A commit by `who` at `time`, signed with `key` (an OpenPGP key name or an SSH key name).
 * `signAt` is when the OpenPGP signature says it was made: a clock set wrong, or a back-dated commit.
 */
async function signed(
  who: keyof typeof people,
  time: number,
  key: { pgp: string } | { ssh: string; namespace?: string },
  tamper?: (payload: string) => string,
  signAt = time,
): Promise<Commit> {
  const spec: PayloadSpec = { author: people[who], time, message: `work ${counter}\n` };
  const sha = (++counter).toString(16).padStart(40, "0");
  const payload = payloadOf(spec);
  const signature =
    "pgp" in key
      ? await signPgp(payload, pgp[key.pgp] as PgpKey, date(signAt))
      : signSsh(payload, ssh[key.ssh] as SshPair, key.namespace);
  const format = "pgp" in key ? ("openpgp" as const) : ("ssh" as const);
  return commitOf(sha, spec, { format, signature, payload: tamper ? tamper(payload) : payload });
}

/** Judges as of day 25 unless told otherwise: after Chen's and Liu's keys were revoked. */
const judge = (commit: Commit, authorLogin: string | null, trust = false, now = at(25)) =>
  judgeCommit(commit, keyring, { authorLogin, trustGithubWebCommits: trust, now: date(now) });

describe("judgeCommit", () => {
  it.each<[string, () => Promise<Commit>, string | null, RegExp, number?]>([
    [
      "an author's own ed25519 key",
      () => signed("zhao", at(20), { pgp: "zhao" }),
      "zhao-min",
      /^signed by zhao-min's ed25519 key 0x[0-9A-F]{16}$/,
    ],
    [
      "a key before it expires",
      () => signed("wang", at(20), { pgp: "wang" }),
      "wang-jun",
      /^signed by wang-jun's ed25519 key/,
    ],
    [
      "a key revoked as superseded, for an older commit judged before the revocation",
      () => signed("liu", at(5), { pgp: "liu" }),
      "liu-yang",
      /^signed by liu-yang's/,
      at(8),
    ],
    [
      "an author's SSH key from allowed-signers",
      () => signed("sun", at(20), { ssh: "sun" }),
      "sun-li",
      /^signed by sun-li's ed25519 key SHA256:[A-Za-z0-9+/]{43}$/,
    ],
    [
      "an SSH key before its valid-before, judged before it too",
      () => signed("sun", at(5), { ssh: "old" }),
      "sun-li",
      /^signed by sun-li's/,
      at(8),
    ],
  ])("accepts a commit signed by %s", async (_, make, login, reason, now) => {
    const result = await judge(await make(), login, false, now);
    expect(result.reason).toMatch(reason);
    expect(result.status).toBe("satisfied");
  });

  it.each<[string, () => Promise<Commit>, string | null, RegExp, number?]>([
    [
      "an unknown OpenPGP key",
      () => signed("zhao", at(20), { pgp: "stranger" }),
      "zhao-min",
      /^is signed by key 0x[0-9A-F]{16} which belongs to nobody in policies\/keys at the base commit \(a key added by this pull request is trusted only once it is merged\)$/,
    ],
    [
      "an unknown SSH key",
      () => signed("sun", at(20), { ssh: "stranger" }),
      "sun-li",
      /^is signed by SSH key SHA256:\S+ which belongs to nobody in policies\/keys at the base commit \(a key added by this pull request is trusted only once it is merged\)$/,
    ],
    [
      "someone else's key",
      () => signed("li", at(20), { pgp: "zhao" }),
      "li-na",
      /^is signed by the key of zhao-min \(ed25519 key 0x[0-9A-F]{16}\) but authored as li-na;/,
    ],
    [
      "a key that expired before the commit",
      () => signed("wang", at(40), { pgp: "wang" }, undefined, at(20)),
      "wang-jun",
      /^is signed by key 0x\w+, which expired on 2026-01-31T00:00:00Z, before the commit was made \(2026-02-10T00:00:00Z\)$/,
    ],
    [
      "a key revoked for compromise, even before the revocation",
      () => signed("chen", at(5), { pgp: "chen" }),
      "chen-jie",
      /which was revoked \(compromised\) on 2026-01-11T00:00:00Z; a key revoked for compromise is never trusted/,
    ],
    [
      "a key revoked as superseded, after the revocation",
      () => signed("liu", at(20), { pgp: "liu" }),
      "liu-yang",
      /which was revoked \(superseded\) on 2026-01-11T00:00:00Z, before the commit was made/,
    ],
    [
      "a key revoked as superseded, for an older commit judged after the revocation",
      () => signed("liu", at(5), { pgp: "liu" }),
      "liu-yang",
      /^is signed by key 0x\w+, which was revoked \(superseded\) on 2026-01-11T00:00:00Z; the commit says it was made on 2026-01-06T00:00:00Z, but anyone can write a commit's date, so the key must still be valid when the pull request is judged \(2026-01-26T00:00:00Z\): sign the commit again with the key that replaces it$/,
    ],
    [
      "a key that expired before the judgement, on a commit dated before the expiry",
      () => signed("wang", at(20), { pgp: "wang" }),
      "wang-jun",
      /^is signed by key 0x\w+, which expired on 2026-01-31T00:00:00Z; the commit says it was made on 2026-01-21T00:00:00Z, but anyone can write a commit's date, so the key must still be valid when the pull request is judged \(2026-02-05T00:00:00Z\): extend the key/,
      at(35),
    ],
    [
      "an SSH key past its valid-before at the judgement, on a commit dated before it",
      () => signed("sun", at(5), { ssh: "old" }),
      "sun-li",
      /^is signed by SSH key SHA256:\S+, which expired on 2026-01-10T00:00:00Z; the commit says it was made on 2026-01-06T00:00:00Z, but an SSH signature carries no time.*: extend its valid-before in /,
    ],
    [
      "an SSH key whose valid-after is still ahead at the judgement, on a commit dated after it",
      () => signed("sun", at(60), { ssh: "future" }),
      "sun-li",
      /^is signed by SSH key SHA256:\S+, which is valid only from 2026-02-01T00:00:00Z; the commit says it was made on 2026-03-02T00:00:00Z, but an SSH signature carries no time.*: judge it again once the key's valid-after has passed, or sign the commit again with a key that is valid now$/,
    ],
    [
      "a key made after the commit's date",
      () => signed("zhao", at(-1), { pgp: "zhao" }, undefined, at(1)),
      "zhao-min",
      /which was made on 2026-01-01T00:00:00Z, after the commit \(2025-12-31T00:00:00Z\)/,
    ],
    [
      "an SSH key past its valid-before",
      () => signed("sun", at(20), { ssh: "old" }),
      "sun-li",
      /^is signed by SSH key SHA256:\S+, which expired on 2026-01-10T00:00:00Z, before the commit was made/,
    ],
    [
      "an SSH key before its valid-after",
      () => signed("sun", at(20), { ssh: "future" }),
      "sun-li",
      /^is signed by SSH key SHA256:\S+, which is not valid yet at the commit time \(2026-01-21T00:00:00Z\)$/,
    ],
    [
      "an SSH signature for another namespace",
      () => signed("sun", at(20), { ssh: "sun", namespace: "file" }),
      "sun-li",
      /for namespace "file", not "git"/,
    ],
    [
      "an OpenPGP-signed commit altered after signing",
      () => signed("zhao", at(20), { pgp: "zhao" }, (p) => p.replace("work", "w0rk")),
      "zhao-min",
      /^has a signature by key 0x\w+ that does not match its content: the commit was altered after signing$/,
    ],
    [
      "an SSH-signed commit altered after signing",
      () => signed("sun", at(20), { ssh: "sun" }, (p) => p.replace("work", "w0rk")),
      "sun-li",
      /^has a signature by SSH key \S+ that does not match its content/,
    ],
    [
      "a trusted key whose author maps to no login",
      () => signed("zhao", at(20), { pgp: "zhao" }),
      null,
      /^is authored by an unknown contributor \(z\*\*\*@acme\.example\): map the e-mail/,
    ],
    [
      "GitHub's web-flow key while web commits are not trusted",
      () => signed("li", at(20), { pgp: "web" }),
      "li-na",
      /^was made in GitHub's web interface and signed by GitHub's ed25519 key 0x\w+; such commits are refused unless workflows\.yml sets signatures\.trust-github-web-commits: true$/,
    ],
  ])("refuses a commit signed by %s", async (_, make, login, reason, now) => {
    const result = await judge(await make(), login, false, now);
    expect(result.reason).toMatch(reason);
    expect(result.status).toBe("failed");
  });

  it("refuses an unsigned commit and says how to sign", async () => {
    const commit = commitOf("f".repeat(40), { author: people.zhao, time: at(20) });
    expect(await judge(commit, "zhao-min")).toEqual({
      status: "failed",
      reason: 'is not signed; sign it with "git commit -S" and a key listed in policies/keys',
    });
  });

  it("refuses an X.509 signature", async () => {
    const commit = await signed("zhao", at(20), { pgp: "zhao" });
    const x509 = { ...commit, signature: { ...commit.signature!, format: "x509" as const } };
    expect((await judge(x509, "zhao-min")).reason).toMatch(/X\.509/);
  });

  it("never prints the local part of an unknown author's e-mail", async () => {
    const result = await judge(await signed("zhao", at(20), { pgp: "zhao" }), null);
    expect(result.reason).not.toContain("zhao.min");
  });

  it.each<[string, (c: Commit) => Commit, RegExp]>([
    [
      "another tree",
      (c) => ({ ...c, tree: "a".repeat(40) }),
      /signed payload for tree 4b825dc, but the commit's tree is aaaaaaa/,
    ],
    ["other parents", (c) => ({ ...c, parents: ["b".repeat(40)] }), /parents differ/],
    [
      "another author",
      (c) => ({ ...c, author: { ...c.author, email: "li.na@acme.example" } }),
      /names another author/,
    ],
  ])("refuses a valid signature whose payload describes %s", async (_, change, reason) => {
    const result = await judge(change(await signed("zhao", at(20), { pgp: "zhao" })), "zhao-min");
    expect(result.reason).toMatch(reason);
    expect(result.status).toBe("failed");
  });

  it("accepts a web-interface commit by its GitHub author when the policy trusts web commits", async () => {
    const result = await judge(await signed("li", at(20), { pgp: "web" }), "li-na", true);
    expect(result).toMatchObject({
      status: "satisfied",
      reason: expect.stringMatching(
        /^was made in GitHub's web interface by li-na and signed by GitHub's ed25519 key 0x/,
      ),
    });
  });

  it("refuses a trusted web-interface commit whose author GitHub does not name", async () => {
    const result = await judge(await signed("li", at(20), { pgp: "web" }), null, true);
    expect(result).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/unknown contributor/),
    });
  });

  it("verifies each commit once per keyring, answering again from the cache", async () => {
    const commits = await Promise.all([
      signed("zhao", at(20), { pgp: "zhao" }),
      signed("sun", at(20), { ssh: "sun" }),
      signed("li", at(20), { pgp: "zhao" }),
    ]);
    const before = verificationCount();
    const first = await Promise.all(commits.map((c) => judge(c, "zhao-min")));
    expect(verificationCount() - before).toBe(3);
    const again = await Promise.all(commits.map((c) => judge(c, "zhao-min")));
    expect(verificationCount() - before).toBe(3);
    expect(again).toEqual(first);
  });

  it("verifies again when the same sha comes with other signed bytes", async () => {
    const commit = await signed("zhao", at(20), { pgp: "zhao" });
    expect((await judge(commit, "zhao-min")).status).toBe("satisfied");
    const forged = {
      ...commit,
      signature: { ...commit.signature!, payload: commit.signature!.payload + "x" },
    };
    expect((await judge(forged, "zhao-min")).status).toBe("failed");
  });
});

describe("showEmail", () => {
  it.each<[string, string[], string]>([
    ["zhao.min@acme.example", [], "z***@acme.example"],
    ["zhao.min@acme.example", ["li.na@acme.example"], "z***@acme.example"],
    ["Zhao.Min@acme.example", ["zhao.min@acme.example"], "Zhao.Min@acme.example"],
    ["no-at-sign", [], "***"],
  ])("shows %s to a reader with %j as %s", (email, reader, shown) => {
    expect(showEmail(email, new Set(reader))).toBe(shown);
  });

  it("shows the reader's own e-mail in a judgement of their own commit", async () => {
    const commit = await signed("zhao", at(20), { pgp: "zhao" });
    const result = await judgeCommit(commit, keyring, {
      authorLogin: null,
      trustGithubWebCommits: false,
      now: date(at(25)),
      readerEmails: new Set(["zhao.min@acme.example"]),
    });
    expect(result.reason).toMatch(
      /^is authored by an unknown contributor \(zhao\.min@acme\.example\)/,
    );
  });
});
