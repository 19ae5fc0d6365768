/**
 * DSSE (Dead Simple Signing Envelope), the signing format of in-toto attestations: the
 * signature covers the pre-authentication encoding (PAE) of the payload type and the payload,
 * so that a payload can never be read as another type than the one it was signed as.
 */
import { createHash } from "node:crypto";
import type { Digest, Envelope } from "./model.js";

/** The most one envelope may weigh; a real document is a few kilobytes. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/** The digest that chains documents: SHA-256 over the signed payload bytes. */
export function payloadDigest(payload: Uint8Array): Digest {
  return `sha256:${createHash("sha256").update(payload).digest("hex")}`;
}

/** One envelope as one line of JSON (a note holds one line per document). */
export function envelopeLine(envelope: Envelope): string {
  return JSON.stringify({
    payloadType: envelope.payloadType,
    payload: envelope.payload,
    signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** An envelope read from text, or why it is not one. Never throws. */
export function parseEnvelope(
  text: string,
): { ok: true; envelope: Envelope; payload: Uint8Array } | { ok: false; reason: string } {
  if (text.length > MAX_ENVELOPE_BYTES) {
    return { ok: false, reason: `is ${text.length} bytes long, more than any document can be` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "is not JSON, so it is no DSSE envelope" };
  }
  if (!isRecord(value)) return { ok: false, reason: "is not a DSSE envelope (not an object)" };
  const { payloadType, payload, signatures } = value;
  if (typeof payloadType !== "string" || typeof payload !== "string") {
    return { ok: false, reason: "is not a DSSE envelope (no payloadType or payload)" };
  }
  if (!Array.isArray(signatures) || signatures.length === 0) {
    return { ok: false, reason: "carries no signature" };
  }
  const sigs: Envelope["signatures"] = [];
  for (const entry of signatures) {
    if (!isRecord(entry) || typeof entry.sig !== "string" || !BASE64.test(entry.sig)) {
      return { ok: false, reason: "has a signature entry that is not base64" };
    }
    sigs.push({ keyid: typeof entry.keyid === "string" ? entry.keyid : "", sig: entry.sig });
  }
  if (!BASE64.test(payload) || payload.length % 4 !== 0) {
    return { ok: false, reason: "has a payload that is not base64" };
  }
  return {
    ok: true,
    envelope: { payloadType, payload, signatures: sigs },
    payload: new Uint8Array(Buffer.from(payload, "base64")),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
