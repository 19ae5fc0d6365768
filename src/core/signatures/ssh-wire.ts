/**
 * The SSH wire encoding (RFC 4251) and SSH public keys as node:crypto keys. SSH signatures are
 * verified with node:crypto alone, so the key blob is translated to a JWK here.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";

/** Reads `string`, `uint32` and `mpint` fields of an SSH wire blob, failing on truncation. */
export class WireReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  uint32(): number {
    if (this.at + 4 > this.bytes.length) throw new Error("the SSH data is truncated");
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 4);
    this.at += 4;
    return view.getUint32(0);
  }

  bytesField(): Uint8Array {
    const length = this.uint32();
    if (this.at + length > this.bytes.length) throw new Error("the SSH data is truncated");
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  text(): string {
    return new TextDecoder().decode(this.bytesField());
  }

  raw(length: number): Uint8Array {
    if (this.at + length > this.bytes.length) throw new Error("the SSH data is truncated");
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  get done(): boolean {
    return this.at === this.bytes.length;
  }
}

/** Encodes SSH `string` fields. */
export function wireStrings(...fields: Array<Uint8Array | string>): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = typeof field === "string" ? Buffer.from(field, "utf8") : Buffer.from(field);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/** An SSH public key that gatehouse can verify with. */
export interface SshPublicKey {
  /** "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", … */
  type: string;
  /** Human name of the algorithm: "ed25519", "ecdsa-p256", "rsa-3072". */
  algorithm: string;
  blob: Uint8Array;
  /** OpenSSH's fingerprint: "SHA256:" and the unpadded base64 of the blob's SHA-256. */
  fingerprint: string;
  key: KeyObject;
}

const CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: "P-256", size: 32 },
  nistp384: { crv: "P-384", size: 48 },
  nistp521: { crv: "P-521", size: 66 },
};

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");

/** Strips the sign byte of an mpint so that JWK gets the plain big-endian magnitude. */
function unsigned(mpint: Uint8Array): Uint8Array {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start);
}

/** The SHA256 fingerprint of an SSH key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprint(blob: Uint8Array): string {
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

/**
 * Reads an SSH public key blob. Throws with a readable message for a key type gatehouse does
 * not support (DSA, security keys, certificates).
 */
export function readSshPublicKey(blob: Uint8Array): SshPublicKey {
  const reader = new WireReader(blob);
  const type = reader.text();
  let key: KeyObject;
  let algorithm: string;
  if (type === "ssh-ed25519") {
    const x = reader.bytesField();
    if (x.length !== 32) throw new Error("the ed25519 key is not 32 bytes long");
    key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(x) }, format: "jwk" });
    algorithm = "ed25519";
  } else if (type === "ssh-rsa") {
    const e = unsigned(reader.bytesField());
    const n = unsigned(reader.bytesField());
    key = createPublicKey({ key: { kty: "RSA", e: b64url(e), n: b64url(n) }, format: "jwk" });
    algorithm = `rsa-${n.length * 8}`;
  } else if (type.startsWith("ecdsa-sha2-")) {
    const curveName = reader.text();
    const curve = CURVES[curveName];
    const point = reader.bytesField();
    if (!curve || point.length !== 1 + 2 * curve.size || point[0] !== 4) {
      throw new Error(`the ECDSA key on curve "${curveName}" is not supported`);
    }
    const x = point.subarray(1, 1 + curve.size);
    const y = point.subarray(1 + curve.size);
    key = createPublicKey({
      key: { kty: "EC", crv: curve.crv, x: b64url(x), y: b64url(y) },
      format: "jwk",
    });
    algorithm = `ecdsa-${curve.crv.toLowerCase().replace("-", "")}`;
  } else {
    throw new Error(`SSH keys of type "${type}" are not supported; use ed25519, ECDSA or RSA`);
  }
  if (!reader.done) throw new Error("the SSH key has trailing data");
  return { type, algorithm, blob, fingerprint: sshFingerprint(blob), key };
}

/** The public key fields that follow the type (and nonce) in a certificate of each key type. */
const CERTIFIED_FIELDS: Record<string, number> = {
  "ssh-ed25519": 1,
  "ssh-rsa": 2,
  "ecdsa-sha2-nistp256": 2,
  "ecdsa-sha2-nistp384": 2,
  "ecdsa-sha2-nistp521": 2,
};

/**
 * The key of the authority that signed an OpenSSH certificate blob (PROTOCOL.certkeys), or
 * null when the blob is no certificate of a key type gatehouse knows.
 */
export function certificateAuthority(blob: Uint8Array): Uint8Array | null {
  try {
    const reader = new WireReader(blob);
    const type = reader.text();
    const base = /^(.+)-cert-v01@openssh\.com$/.exec(type)?.[1];
    const fields = base === undefined ? undefined : CERTIFIED_FIELDS[base];
    if (fields === undefined) return null;
    reader.bytesField(); // nonce
    for (let i = 0; i < fields; i++) reader.bytesField();
    reader.raw(8); // serial
    reader.uint32(); // certificate type
    reader.bytesField(); // key id
    reader.bytesField(); // valid principals
    reader.raw(16); // valid after, valid before
    reader.bytesField(); // critical options
    reader.bytesField(); // extensions
    reader.bytesField(); // reserved
    return reader.bytesField();
  } catch {
    return null;
  }
}
