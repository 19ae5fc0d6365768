/**
 * Verifying one evidence document: a DSSE envelope whose signature was made by a key the base
 * policy trusts for evidence (`policies/keys/gatehouse-evidence.asc`), over an in-toto
 * Statement with the gatehouse predicate. Pure: text, keyring and time in, a result out.
 *
 * The key must have been valid when the document says it was written, and must still be valid
 * at the time of judgement (the rule of commit signatures): the date in a document is whatever
 * its signer wrote, so a key revoked or expired since could have signed it afterwards, dated
 * before. A document signed by such a key is an `invalid-key` problem: it counts for nothing
 * and fails the records it names, like any document that does not verify.
 */
import type { ValidateFunction } from "ajv";
import { readSignature } from "openpgp";
import type { Keyring } from "../signatures/keyring.js";
import { isoTime } from "../signatures/signer-check.js";
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
 * content (changed after signing); `invalid-key`: signed by an evidence key that could not sign
 * then, or is no longer valid now (revoked, expired).
 */
export type DocumentProblem = "unreadable" | "foreign" | "edited" | "invalid-key";

export type DocumentCheck =
  ({ ok: true } & VerifiedDocument) | { ok: false; problem: DocumentProblem; reason: string };

let validate: ValidateFunction | undefined;

/** The keys of the keyring that may sign evidence. */
export function evidenceKeyring(keyring: Keyring): Keyring {
  return { ...keyring, keys: keyring.keys.filter((k) => k.login === EVIDENCE_SIGNER) };
}

/**
 * Verifies one envelope as of `now` (the time of judgement or of the audit). `evidenceKeys`
 * holds only the keys trusted for evidence (see {@link evidenceKeyring}); `allKeys` lets the
 * reason name whose key signed a foreign document.
 */
export async function verifyDocument(
  text: string,
  now: Date,
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
      const stale = await check
        .stillValidAt(now)
        .catch(
          (error: unknown) =>
            `could not be checked at ${isoTime(now)}: ${(error as Error).message}`,
        );
      if (stale === null) {
        const signer = check.key.fingerprint;
        return { ok: true, statement, digest: payloadDigest(payload), signer };
      }
      firstFailure ??= { problem: "invalid-key", reason: documentWords(stale) };
      continue;
    }
    firstFailure ??= check.key
      ? { problem: problemOf(check.reason), reason: documentWords(check.reason) }
      : await foreignReason(armored, bytes, signedAt, allKeys);
  }
  return {
    ok: false,
    ...(firstFailure ?? { problem: "unreadable", reason: "carries no signature" }),
  };
}

/**
 * What a failed check by a trusted evidence key means: a signature that does not match is an
 * edit, one that is not a signature of bytes is unreadable, and the rest is the key's validity.
 */
function problemOf(reason: string): DocumentProblem {
  if (/does not match its content/.test(reason)) return "edited";
  if (/that is not (a document signature|valid \()/.test(reason)) return "unreadable";
  return "invalid-key";
}

/**
 * A commit-signature reason, reworded for a document. The reasons come from the signature
 * checks, which speak of commits; the evidence tests pin these words.
 */
function documentWords(reason: string): string {
  return reason
    .replace("the commit was altered after signing", "the document was edited after signing")
    .replace(/before the commit was made/g, "before the document was written")
    .replace(/the commit time/g, "the time the document was written")
    .replace(/not even for older commits/g, "not even for older documents")
    .replace(
      /the commit says it was made on ([^,]+), but anyone can write a commit's date, so the key must still be valid when the pull request is judged/,
      "the document says it was written on $1, but a document's date is whatever its signer wrote, so an evidence key must still be valid when the evidence is judged",
    )
    .replace(
      /: sign the commit again with the key that replaces it$/,
      `; so none of its documents count. Retire an evidence key by no longer giving it to the App, not by revoking it, while its documents must count; revoke it only when it is compromised, and then every record it vouched for fails until reviewed`,
    )
    .replace(
      /: extend the key \(gpg --quick-set-expire\) and update policies\/keys, or sign the commit again with a valid key$/,
      `: extend the key (gpg --quick-set-expire) and update policies/keys/${EVIDENCE_SIGNER}.asc`,
    );
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
