/**
 * Commits and keys made in-process: OpenPGP keys by openpgp, SSH signatures by node:crypto.
 * For the cases real tools refuse to produce (expired, revoked, tampered, back-dated).
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import {
  createMessage,
  generateKey,
  revokeKey,
  sign as pgpSign,
  type PrivateKey,
  type PublicKey,
} from "openpgp";
import { wireStrings } from "../../../src/core/signatures/ssh-wire.js";
import type { Commit, Person } from "../../../src/core/types.js";

export interface PgpKey {
  privateKey: PrivateKey;
  publicKey: PublicKey;
  armored: string;
}

/** An OpenPGP key made at `date`; `expiresIn` in seconds. */
export async function makePgpKey(options: {
  name: string;
  email: string;
  type?: "ed25519" | "rsa";
  date: Date;
  expiresIn?: number;
}): Promise<PgpKey> {
  const { privateKey, publicKey } = await generateKey({
    ...(options.type === "rsa"
      ? { type: "rsa" as const, rsaBits: 3072 }
      : { type: "ecc" as const, curve: "ed25519Legacy" as const }),
    userIDs: [{ name: options.name, email: options.email }],
    date: options.date,
    keyExpirationTime: options.expiresIn ?? 0,
    format: "object",
  });
  return { privateKey, publicKey, armored: publicKey.armor() };
}

/** The armored public key of `key` revoked at `date` for `flag` (0 none, 1 superseded, 2 compromised, 3 retired). */
export async function revokedArmor(key: PgpKey, date: Date, flag: 0 | 1 | 2 | 3): Promise<string> {
  const { publicKey } = await revokeKey({
    key: key.privateKey,
    reasonForRevocation: { flag, string: "test" },
    date,
    format: "armored",
  });
  return publicKey;
}

export interface PayloadSpec {
  tree?: string;
  parents?: string[];
  author: { name: string; email: string };
  /** Seconds since the epoch, for author and committer. */
  time: number;
  message?: string;
}

export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** A commit object's text without signature, as git writes it. */
export function payloadOf(spec: PayloadSpec): string {
  const who = `${spec.author.name} <${spec.author.email}> ${spec.time} +0800`;
  return [
    `tree ${spec.tree ?? EMPTY_TREE}`,
    ...(spec.parents ?? []).map((p) => `parent ${p}`),
    `author ${who}`,
    `committer ${who}`,
    "",
    spec.message ?? "change\n",
  ].join("\n");
}

/** A detached armored OpenPGP signature made at `date`, as `git commit -S` makes one. */
export async function signPgp(payload: string, key: PgpKey, date: Date): Promise<string> {
  return pgpSign({
    message: await createMessage({ binary: new TextEncoder().encode(payload) }),
    signingKeys: key.privateKey,
    detached: true,
    date,
    format: "armored",
  });
}

export interface SshPair {
  privateKey: KeyObject;
  blob: Buffer;
  /** "ssh-ed25519 AAAA… comment" */
  line: string;
}

export function makeSshKey(comment: string): SshPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const x = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
  const blob = wireStrings("ssh-ed25519", x);
  return { privateKey, blob, line: `ssh-ed25519 ${blob.toString("base64")} ${comment}` };
}

/** An armored SSHSIG over `payload`, as `ssh-keygen -Y sign -n git` makes one. */
export function signSsh(payload: string, key: SshPair, namespace = "git"): string {
  const digest = createHash("sha512").update(payload).digest();
  const magic = Buffer.from("SSHSIG");
  const signed = Buffer.concat([magic, wireStrings(namespace, "", "sha512", digest)]);
  const signature = sign(null, signed, key.privateKey);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  const blob = Buffer.concat([
    magic,
    version,
    wireStrings(key.blob, namespace, "", "sha512", wireStrings("ssh-ed25519", signature)),
  ]);
  const lines = blob.toString("base64").match(/.{1,70}/g) ?? [];
  return ["-----BEGIN SSH SIGNATURE-----", ...lines, "-----END SSH SIGNATURE-----", ""].join("\n");
}

/** The raw commit object: the payload with a `gpgsig` header added, as git stores it. */
export function rawCommit(payload: string, signature: string): string {
  const end = payload.indexOf("\n\n");
  const header = "gpgsig " + signature.trimEnd().split("\n").join("\n ");
  return `${payload.slice(0, end)}\n${header}${payload.slice(end)}`;
}

/** A domain commit of a crafted payload, as an adapter would report it. */
export function commitOf(
  sha: string,
  spec: PayloadSpec,
  signature?: { format: "openpgp" | "ssh"; signature: string; payload?: string },
): Commit {
  const person: Person = {
    name: spec.author.name,
    email: spec.author.email,
    date: new Date(spec.time * 1000),
  };
  const commit: Commit = {
    sha,
    parents: spec.parents ?? [],
    tree: spec.tree ?? EMPTY_TREE,
    author: person,
    committer: person,
    message: spec.message ?? "change\n",
  };
  if (signature) {
    commit.signature = {
      format: signature.format,
      signature: signature.signature,
      payload: signature.payload ?? payloadOf(spec),
    };
  }
  return commit;
}
