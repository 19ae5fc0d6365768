/**
 * Verifying one evidence document: a DSSE envelope whose signature was made by a key the base
 * policy trusts for evidence (`policies/keys/gatehouse-evidence.asc`), over an in-toto
 * Statement with the gatehouse predicate. Pure: text and keyring in, a result out.
 */
import type { ValidateFunction } from "ajv";
import { readSignature } from "openpgp";
import type { Keyring } from "../signatures/keyring.js";
import { checkOpenPgp } from "../signatures/verify-openpgp.js";
import { createAjv } from "../yaml/schema-findings.js";
import { pae, parseEnvelope, payloadDigest } from "./dsse.js";
import {
  EVIDENCE_SIGNER,
  PAYLOAD_TYPE,
  type EvidenceStatement,
  type VerifiedDocument,
} from "./model.js";
import statementSchema from "./evidence-statement.schema.json" with { type: "json" };

/**
 * Why a document does not count. `unreadable`: not an envelope or not a statement; `foreign`:
 * signed by a key that is not trusted for evidence; `edited`: the signature does not match the
 * content (changed after signing).
 */
export type DocumentProblem = "unreadable" | "foreign" | "edited";

export type DocumentCheck =
  ({ ok: true } & VerifiedDocument) | { ok: false; problem: DocumentProblem; reason: string };

let validate: ValidateFunction | undefined;

/** The keys of the keyring that may sign evidence. */
export function evidenceKeyring(keyring: Keyring): Keyring {
  return { ...keyring, keys: keyring.keys.filter((k) => k.login === EVIDENCE_SIGNER) };
}

/**
 * Verifies one envelope. `evidenceKeys` holds only the keys trusted for evidence (see
 * {@link evidenceKeyring}); `allKeys` lets the reason name whose key signed a foreign document.
 */
export async function verifyDocument(
  text: string,
  evidenceKeys: Keyring,
  allKeys: Keyring = evidenceKeys,
): Promise<DocumentCheck> {
  const parsed = parseEnvelope(text.trim());
  if (!parsed.ok) return { ok: false, problem: "unreadable", reason: parsed.reason };
  const { envelope, payload } = parsed;
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    return {
      ok: false,
      problem: "unreadable",
      reason: `has payload type "${envelope.payloadType}", not an in-toto statement`,
    };
  }
  const statement = readStatement(payload);
  if (typeof statement === "string") return { ok: false, problem: "unreadable", reason: statement };
  const signedAt = new Date(statement.predicate.writtenAt);
  const bytes = pae(envelope.payloadType, payload);
  let firstFailure: { problem: DocumentProblem; reason: string } | undefined;
  for (const entry of envelope.signatures) {
    let armored: string;
    try {
      armored = (
        await readSignature({ binarySignature: new Uint8Array(Buffer.from(entry.sig, "base64")) })
      ).armor();
    } catch (error) {
      firstFailure ??= {
        problem: "unreadable",
        reason: `carries a signature that cannot be read (${(error as Error).message})`,
      };
      continue;
    }
    const check = await checkOpenPgp(armored, bytes, signedAt, evidenceKeys);
    if (check.ok) {
      return { ok: true, statement, digest: payloadDigest(payload), signer: check.key.fingerprint };
    }
    firstFailure ??= check.key
      ? {
          problem: /does not match its content/.test(check.reason) ? "edited" : "foreign",
          reason: documentWords(check.reason),
        }
      : await foreignReason(armored, bytes, signedAt, allKeys);
  }
  return {
    ok: false,
    ...(firstFailure ?? { problem: "unreadable", reason: "carries no signature" }),
  };
}

/** A commit-signature reason, reworded for a document. */
function documentWords(reason: string): string {
  return reason
    .replace("the commit was altered after signing", "the document was edited after signing")
    .replace(/before the commit was made/g, "before the document was written")
    .replace(/the commit time/g, "the time the document was written");
}

/** Why a signature by a key outside the evidence keys does not count, naming its owner. */
async function foreignReason(
  armored: string,
  bytes: Uint8Array,
  signedAt: Date,
  allKeys: Keyring,
): Promise<{ problem: DocumentProblem; reason: string }> {
  const check = await checkOpenPgp(armored, bytes, signedAt, allKeys);
  const owner = check.key;
  if (owner) {
    return {
      problem: "foreign",
      reason: `is signed by key ${owner.id} of ${owner.login}, which is not an evidence key; only keys in policies/keys/${EVIDENCE_SIGNER}.asc sign evidence`,
    };
  }
  return {
    problem: "foreign",
    reason: (check.ok ? "" : check.reason).replace(
      / \(a key added by this pull request is trusted only once it is merged\)/,
      `; only keys in policies/keys/${EVIDENCE_SIGNER}.asc sign evidence`,
    ),
  };
}

/** The statement in the payload, checked against the schema, or why it is not one. */
function readStatement(payload: Uint8Array): EvidenceStatement | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch {
    return "has a payload that is not JSON";
  }
  validate ??= createAjv().compile(statementSchema);
  if (!validate(value)) {
    const first = validate.errors?.[0];
    return `is not a gatehouse evidence statement (${first?.instancePath || "/"} ${first?.message ?? "is invalid"})`;
  }
  return value as EvidenceStatement;
}
