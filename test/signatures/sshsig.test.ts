import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSshPublicKey } from "../../src/core/signatures/ssh-wire.js";
import { checkSshSignature, parseSshSignature } from "../../src/core/signatures/sshsig.js";
import { sshKeygen, TempDir, type SshKey } from "./helpers/signed-repo.js";

const tmp = new TempDir();
const keys: Record<string, SshKey> = {};
const message = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nsigned by ssh-keygen\n";

/** Signs `message` with `ssh-keygen -Y sign`, as git does with gpg.format=ssh. */
function sshSign(key: SshKey, namespace = "git"): string {
  const file = join(tmp.path, `message-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, message);
  execFileSync("ssh-keygen", ["-q", "-Y", "sign", "-n", namespace, "-f", key.privatePath, file], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  return readFileSync(`${file}.sig`, "utf8");
}

const publicKey = (key: SshKey) =>
  readSshPublicKey(Buffer.from(key.publicLine.split(" ")[1] ?? "", "base64"));

beforeAll(() => {
  keys.ed25519 = sshKeygen(tmp.path, "ed", "ed25519");
  keys.ecdsa256 = sshKeygen(tmp.path, "p256", "ecdsa");
  keys.rsa = sshKeygen(tmp.path, "rsa", "rsa");
  keys.other = sshKeygen(tmp.path, "other", "ed25519");
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    "ecdsa",
    "-b",
    "384",
    "-N",
    "",
    "-f",
    join(tmp.path, "p384"),
  ]);
  keys.ecdsa384 = {
    privatePath: join(tmp.path, "p384"),
    publicLine: readFileSync(join(tmp.path, "p384.pub"), "utf8").trim(),
  };
});

afterAll(() => tmp.remove());

describe("SSHSIG made by ssh-keygen", () => {
  it.each([
    ["ed25519", "ed25519", "ssh-ed25519"],
    ["ecdsa256", "ecdsa-p256", "ecdsa-sha2-nistp256"],
    ["ecdsa384", "ecdsa-p384", "ecdsa-sha2-nistp384"],
    ["rsa", "rsa-3072", "rsa-sha2-512"],
  ])("verifies a %s signature (%s, %s)", (name, algorithm, format) => {
    const key = keys[name] as SshKey;
    const signature = parseSshSignature(sshSign(key));
    expect(publicKey(key).algorithm).toBe(algorithm);
    expect(signature.format).toBe(format);
    expect(checkSshSignature(signature, publicKey(key), Buffer.from(message))).toBeNull();
  });

  it.each(["ed25519", "ecdsa256", "rsa"])("refuses a %s signature over altered bytes", (name) => {
    const key = keys[name] as SshKey;
    const signature = parseSshSignature(sshSign(key));
    expect(checkSshSignature(signature, publicKey(key), Buffer.from(message + "x"))).toBe(
      "the SSH signature does not match the commit",
    );
  });

  it("refuses a signature checked against another key of the same type", () => {
    const signature = parseSshSignature(sshSign(keys.ed25519 as SshKey));
    expect(
      checkSshSignature(signature, publicKey(keys.other as SshKey), Buffer.from(message)),
    ).toBe("the SSH signature does not match the commit");
  });

  it("refuses a signature made for another namespace", () => {
    const signature = parseSshSignature(sshSign(keys.ed25519 as SshKey, "file"));
    expect(
      checkSshSignature(signature, publicKey(keys.ed25519 as SshKey), Buffer.from(message)),
    ).toBe('the SSH signature is for namespace "file", not "git"');
  });

  it("carries the signer's public key blob", () => {
    const signature = parseSshSignature(sshSign(keys.rsa as SshKey));
    expect(Buffer.from(signature.publicKey)).toEqual(
      Buffer.from(publicKey(keys.rsa as SshKey).blob),
    );
  });

  it("computes the fingerprint ssh-keygen prints", () => {
    const listed = execFileSync(
      "ssh-keygen",
      ["-l", "-E", "sha256", "-f", `${(keys.ed25519 as SshKey).privatePath}.pub`],
      {
        encoding: "utf8",
      },
    );
    expect(listed.split(" ")[1]).toBe(publicKey(keys.ed25519 as SshKey).fingerprint);
  });
});

describe("parseSshSignature", () => {
  it.each([
    ["no armor", "AAAA", /BEGIN\/END SSH SIGNATURE/],
    [
      "another magic",
      "-----BEGIN SSH SIGNATURE-----\nU1NIWFhY\n-----END SSH SIGNATURE-----",
      /not SSHSIG/,
    ],
    [
      "a truncated body",
      "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAAA==\n-----END SSH SIGNATURE-----",
      /truncated/,
    ],
  ])("refuses %s", (_, armored, message) => {
    expect(() => parseSshSignature(armored)).toThrow(message);
  });
});
