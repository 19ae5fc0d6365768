/**
 * OpenSSH's `SSHSIG` signatures (PROTOCOL.sshsig), as `git commit -S` makes them with
 * `gpg.format=ssh`. Verified with node:crypto: ed25519, ECDSA (P-256/384/521) and RSA with
 * SHA-2. RSA with SHA-1 (`ssh-rsa`) is refused, as OpenSSH itself does for signatures.
 */
import { createHash, constants, verify } from "node:crypto";
import { WireReader, wireStrings, type SshPublicKey } from "./ssh-wire.js";

export interface SshSignature {
  /** The signer's public key blob, as the signature carries it. */
  publicKey: Uint8Array;
  namespace: string;
  hashAlgorithm: string;
  /** "ssh-ed25519", "rsa-sha2-512", "ecdsa-sha2-nistp256", … */
  format: string;
  signature: Uint8Array;
  reserved: Uint8Array;
}

const BEGIN = "-----BEGIN SSH SIGNATURE-----";
const END = "-----END SSH SIGNATURE-----";
const MAGIC = Buffer.from("SSHSIG");

/** Reads an armored SSH signature. Throws with a readable message when it is malformed. */
export function parseSshSignature(armored: string): SshSignature {
  const text = armored.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
    throw new Error("the SSH signature lacks its BEGIN/END SSH SIGNATURE lines");
  }
  const body = Buffer.from(text.slice(BEGIN.length, -END.length).replace(/\s+/g, ""), "base64");
  const reader = new WireReader(body);
  if (!Buffer.from(reader.raw(6)).equals(MAGIC)) throw new Error("the SSH signature is not SSHSIG");
  const version = reader.uint32();
  if (version !== 1) throw new Error(`SSHSIG version ${version} is not supported`);
  const publicKey = reader.bytesField();
  const namespace = reader.text();
  const reserved = reader.bytesField();
  const hashAlgorithm = reader.text();
  const inner = new WireReader(reader.bytesField());
  const format = inner.text();
  const signature = inner.bytesField();
  return { publicKey, namespace, hashAlgorithm, format, signature, reserved };
}

const ECDSA_HASH: Record<string, { hash: string; size: number }> = {
  "ecdsa-sha2-nistp256": { hash: "sha256", size: 32 },
  "ecdsa-sha2-nistp384": { hash: "sha384", size: 48 },
  "ecdsa-sha2-nistp521": { hash: "sha512", size: 66 },
};

/**
 * Whether `sig` is a valid signature by `key` over `message` in `namespace`. Returns a reason
 * when it is not, null when it is.
 */
export function checkSshSignature(
  sig: SshSignature,
  key: SshPublicKey,
  message: Uint8Array,
  namespace = "git",
): string | null {
  if (sig.namespace !== namespace) {
    return `the SSH signature is for namespace "${sig.namespace}", not "${namespace}"`;
  }
  if (sig.hashAlgorithm !== "sha512" && sig.hashAlgorithm !== "sha256") {
    return `the SSH signature uses hash "${sig.hashAlgorithm}"; only sha256 and sha512 are accepted`;
  }
  const digest = createHash(sig.hashAlgorithm).update(message).digest();
  const signed = Buffer.concat([
    MAGIC,
    wireStrings(sig.namespace, sig.reserved, sig.hashAlgorithm, digest),
  ]);
  try {
    return verifyBlob(sig, key, signed) ? null : "the SSH signature does not match the commit";
  } catch (error) {
    return `the SSH signature cannot be checked: ${(error as Error).message}`;
  }
}

function verifyBlob(sig: SshSignature, key: SshPublicKey, signed: Buffer): boolean {
  if (sig.format === "ssh-ed25519" && key.type === "ssh-ed25519") {
    return verify(null, signed, key.key, sig.signature);
  }
  if ((sig.format === "rsa-sha2-256" || sig.format === "rsa-sha2-512") && key.type === "ssh-rsa") {
    const hash = sig.format === "rsa-sha2-256" ? "sha256" : "sha512";
    const options = { key: key.key, padding: constants.RSA_PKCS1_PADDING };
    return verify(hash, signed, options, sig.signature);
  }
  const ecdsa = ECDSA_HASH[sig.format];
  if (ecdsa && key.type === sig.format) {
    const reader = new WireReader(sig.signature);
    const r = fixed(reader.bytesField(), ecdsa.size);
    const s = fixed(reader.bytesField(), ecdsa.size);
    const options = { key: key.key, dsaEncoding: "ieee-p1363" as const };
    return verify(ecdsa.hash, signed, options, Buffer.concat([r, s]));
  }
  throw new Error(`a "${sig.format}" signature by a "${key.type}" key is not supported`);
}

/** An mpint as a fixed-size big-endian number, for the IEEE P1363 form of (r, s). */
function fixed(mpint: Uint8Array, size: number): Buffer {
  let start = 0;
  while (start < mpint.length && mpint[start] === 0) start++;
  const value = mpint.subarray(start);
  if (value.length > size) throw new Error("the ECDSA signature is malformed");
  const out = Buffer.alloc(size);
  out.set(value, size - value.length);
  return out;
}
