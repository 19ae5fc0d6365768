import { generateKeyPairSync } from "node:crypto";
import { generateKey } from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import {
  keyringDigest,
  keyringIdentities,
  loadKeyring,
} from "../../src/core/signatures/keyring.js";
import { makePgpKey, makeSshKey, revokedArmor, type PgpKey } from "./helpers/craft.js";

const made = new Date(Date.UTC(2026, 0, 1));
let zhao: PgpKey;
let li: PgpKey;
let privateArmor: string;
const sun = makeSshKey("sun-li");
const zhou = makeSshKey("zhou-yi");

beforeAll(async () => {
  zhao = await makePgpKey({
    name: "Zhao Min",
    email: "Zhao.Min@acme.example",
    date: made,
    expiresIn: 86_400 * 365,
  });
  li = await makePgpKey({ name: "Li Na", email: "li.na@acme.example", date: made });
  const pair = await generateKey({
    userIDs: [{ name: "Oops", email: "oops@acme.example" }],
    type: "ecc",
    curve: "ed25519Legacy",
    format: "armored",
  });
  privateArmor = pair.privateKey;
});

describe("loadKeyring", () => {
  it("lists an OpenPGP key with its login, id, fingerprint, algorithm and expiry", async () => {
    const keyring = await loadKeyring(new Map([["policies/keys/zhao-min.asc", zhao.armored]]));
    expect(keyring.problems).toEqual([]);
    expect(keyring.keys).toHaveLength(1);
    expect(keyring.keys[0]).toMatchObject({
      login: "zhao-min",
      type: "openpgp",
      path: "policies/keys/zhao-min.asc",
      line: 1,
      id: `0x${zhao.publicKey.getKeyID().toHex().toUpperCase()}`,
      fingerprint: zhao.publicKey.getFingerprint().toUpperCase(),
      algorithm: "ed25519",
      expires: new Date(made.getTime() + 86_400_000 * 365),
      revoked: null,
      emails: ["zhao.min@acme.example"],
    });
  });

  it("reads every armored block of a file, each with the line it starts on", async () => {
    const content = `# Zhao's keys\n${zhao.armored}\n${li.armored}`;
    const keyring = await loadKeyring(new Map([["policies/keys/zhao-min.asc", content]]));
    expect(keyring.keys.map((k) => [k.login, k.line])).toEqual([
      ["zhao-min", 2],
      ["zhao-min", 2 + zhao.armored.split("\n").length],
    ]);
  });

  it("records a revocation with its date and reason", async () => {
    const revoked = await revokedArmor(li, new Date(Date.UTC(2026, 1, 1)), 2);
    const keyring = await loadKeyring(new Map([["policies/keys/li-na.asc", revoked]]));
    expect(keyring.keys[0]?.revoked).toEqual({
      at: new Date(Date.UTC(2026, 1, 1)),
      reason: "compromised",
      hard: true,
    });
  });

  it("reads SSH keys in plain and allowed-signers form", async () => {
    const content = [
      "# sun's keys",
      sun.line,
      `sun.li@acme.example,Sun.Li@Old.example namespaces="git",valid-before="20270101" ${zhou.line}`,
    ].join("\n");
    const keyring = await loadKeyring(new Map([["policies/keys/sun-li.pub", content]]));
    expect(keyring.problems).toEqual([]);
    expect(keyring.keys.map((k) => [k.login, k.line, k.algorithm, k.expires, k.emails])).toEqual([
      ["sun-li", 2, "ed25519", null, []],
      [
        "sun-li",
        3,
        "ed25519",
        new Date(Date.UTC(2027, 0, 1)),
        ["sun.li@acme.example", "sun.li@old.example"],
      ],
    ]);
    expect(keyring.keys[0]?.id).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it.each<
    [
      string,
      Array<[string, string]>,
      { path: string; line: number; column: number; code: string; message: RegExp },
    ]
  >([
    [
      "an armored block that is not a key",
      [
        [
          "policies/keys/a.asc",
          "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n",
        ],
      ],
      {
        path: "policies/keys/a.asc",
        line: 1,
        column: 1,
        code: "keys/unreadable",
        message: /is not a readable OpenPGP key .*gpg --armor --export/,
      },
    ],
    [
      "a file without armored key",
      [["policies/keys/a.asc", "hello\n"]],
      {
        path: "policies/keys/a.asc",
        line: 1,
        column: 1,
        code: "keys/no-key",
        message: /holds no "-----BEGIN PGP PUBLIC KEY BLOCK-----"/,
      },
    ],
    [
      "a bad SSH line",
      [["policies/keys/b.pub", "# ok\n  not a key line\n"]],
      {
        path: "policies/keys/b.pub",
        line: 2,
        column: 3,
        code: "keys/bad-ssh-line",
        message: /^is not an SSH public key line/,
      },
    ],
    [
      "an SSH line whose type and key differ",
      [["policies/keys/b.pub", sun.line.replace("ssh-ed25519", "ssh-rsa")]],
      {
        path: "policies/keys/b.pub",
        line: 1,
        column: 1,
        code: "keys/bad-ssh-line",
        message: /says "ssh-rsa" but holds a "ssh-ed25519" key/,
      },
    ],
    [
      "a cert-authority line",
      [["policies/keys/b.pub", `*@acme.example cert-authority ${sun.line}`]],
      {
        path: "policies/keys/b.pub",
        line: 1,
        column: 1,
        code: "keys/cert-authority",
        message:
          /^is a cert-authority line, which gatehouse never trusts: it trusts each person's own key, not certificates/,
      },
    ],
    [
      "a bad valid-before",
      [["policies/keys/b.pub", `b@acme.example valid-before="tomorrow" ${sun.line}`]],
      {
        path: "policies/keys/b.pub",
        line: 1,
        column: 1,
        code: "keys/bad-ssh-line",
        message: /valid-before="tomorrow", which is not YYYYMMDD/,
      },
    ],
    [
      "an unsupported SSH key type",
      [["policies/keys/b.pub", "ssh-dss AAAAB3NzaC1kc3MAAAA= old"]],
      {
        path: "policies/keys/b.pub",
        line: 1,
        column: 1,
        code: "keys/bad-ssh-line",
        message: /"ssh-dss" are not supported/,
      },
    ],
    [
      "a file of another kind",
      [["policies/keys/c.txt", "x"]],
      {
        path: "policies/keys/c.txt",
        line: 1,
        column: 1,
        code: "keys/unknown-file",
        message: /neither <login>\.asc nor <login>\.pub/,
      },
    ],
    [
      "a file not named after a login",
      [["policies/keys/zhao min.pub", sun.line]],
      {
        path: "policies/keys/zhao min.pub",
        line: 1,
        column: 1,
        code: "keys/bad-login",
        message: /"zhao min" is not a GitHub login/,
      },
    ],
    [
      "one key under two logins",
      [
        ["policies/keys/a.pub", sun.line],
        ["policies/keys/b.pub", sun.line],
      ],
      {
        path: "policies/keys/b.pub",
        line: 1,
        column: 1,
        code: "keys/shared-key",
        message: /is also listed for a in policies\/keys\/a\.pub/,
      },
    ],
  ])("reports %s as a problem with its place", async (_, files, expected) => {
    const keyring = await loadKeyring(new Map(files));
    expect(keyring.problems).toEqual([
      { ...expected, message: expect.stringMatching(expected.message) },
    ]);
  });

  it("reports a private key and does not trust it", async () => {
    const keyring = await loadKeyring(new Map([["policies/keys/oops.asc", privateArmor]]));
    expect(keyring.keys).toEqual([]);
    expect(keyring.problems[0]).toMatchObject({
      code: "keys/private-key",
      message: expect.stringMatching(/PRIVATE key: remove it/),
    });
  });

  it("calls an OpenSSH private key saved as a .pub file what it is", async () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" });
    const keyring = await loadKeyring(new Map([["policies/keys/wang-jun.pub", `\n${pem}`]]));
    expect(keyring.keys).toEqual([]);
    expect(keyring.problems).toEqual([
      expect.objectContaining({ code: "keys/private-key", line: 2, column: 1 }),
    ]);
    expect(keyring.problems[0]?.message).toMatch(/^this is a PRIVATE key: .*rotate it/);
  });

  it("skips a README in the keys directory", async () => {
    const keyring = await loadKeyring(new Map([["policies/keys/README.md", "# keys"]]));
    expect(keyring).toMatchObject({ keys: [], problems: [] });
  });

  it("answers the same contents from its cache, whatever the map order", async () => {
    const a = new Map([
      ["policies/keys/a.pub", sun.line],
      ["policies/keys/b.pub", zhou.line],
    ]);
    const b = new Map([
      ["policies/keys/b.pub", zhou.line],
      ["policies/keys/a.pub", sun.line],
    ]);
    expect(keyringDigest(a)).toBe(keyringDigest(b));
    expect(await loadKeyring(a)).toBe(await loadKeyring(b));
  });

  it("changes its digest when a file changes or moves", () => {
    const base = keyringDigest(new Map([["policies/keys/a.pub", sun.line]]));
    expect(keyringDigest(new Map([["policies/keys/a.pub", zhou.line]]))).not.toBe(base);
    expect(keyringDigest(new Map([["policies/keys/b.pub", sun.line]]))).not.toBe(base);
  });
});

describe("keyringIdentities", () => {
  it("maps user-id and principal e-mails to the file's login, lower-cased", async () => {
    const keyring = await loadKeyring(
      new Map([
        ["policies/keys/zhao-min.asc", zhao.armored],
        ["policies/keys/sun-li.pub", `Sun.Li@acme.example,sun-li ${sun.line}`],
      ]),
    );
    expect(keyringIdentities(keyring)).toEqual(
      new Map([
        ["sun.li@acme.example", "sun-li"],
        ["zhao.min@acme.example", "zhao-min"],
      ]),
    );
  });

  it("maps an e-mail two logins claim to neither", async () => {
    const keyring = await loadKeyring(
      new Map([
        ["policies/keys/zhao-min.asc", zhao.armored],
        ["policies/keys/mallory.pub", `zhao.min@acme.example ${sun.line}`],
      ]),
    );
    expect(keyringIdentities(keyring).has("zhao.min@acme.example")).toBe(false);
  });

  it("maps nobody to GitHub's web-flow key", async () => {
    const keyring = await loadKeyring(new Map([["policies/keys/web-flow.asc", li.armored]]));
    expect(keyringIdentities(keyring).size).toBe(0);
  });
});
