/**
 * Signing a document with the App's OpenPGP key. The key is given to the App (an armored
 * private key in the environment); its public half goes into
 * `policies/keys/gatehouse-evidence.asc`, where the base policy must trust it.
 */
import { createMessage, decryptKey, readPrivateKey, sign, type PrivateKey } from "openpgp";
import { envelopeLine, pae, payloadDigest } from "./dsse.js";
import { PAYLOAD_TYPE, type Digest, type Envelope, type EvidenceStatement } from "./model.js";

/** A key ready to sign, and the fingerprint documents name it by. */
export interface SigningKey {
  key: PrivateKey;
  fingerprint: string;
}

/**
 * Reads an armored OpenPGP private key and unlocks it with the passphrase when it is protected.
 * Throws an error that says what to fix; it never includes the key.
 */
export async function readSigningKey(armored: string, passphrase?: string): Promise<SigningKey> {
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armored });
  } catch (error) {
    throw new Error(
      `the evidence signing key is not a readable armored OpenPGP private key (${(error as Error).message}); export it with "gpg --armor --export-secret-keys".`,
      { cause: error },
    );
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined || passphrase === "") {
      throw new Error(
        "the evidence signing key is protected by a passphrase; set GATEHOUSE_EVIDENCE_KEY_PASSPHRASE.",
      );
    }
    try {
      key = await decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new Error("the evidence signing key's passphrase is wrong.");
    }
  }
  try {
    await key.getSigningKey();
  } catch (error) {
    throw new Error(
      `the evidence signing key cannot sign (${(error as Error).message}); give a key with a valid signing (sub)key.`,
      { cause: error },
    );
  }
  return { key, fingerprint: key.getFingerprint() };
}

/** The statement's exact bytes: the payload the signature covers and the digest chains. */
export function statementBytes(statement: EvidenceStatement): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(statement));
}

/** Signs a statement into a DSSE envelope; also returns the digest the next document chains to. */
export async function signStatement(
  statement: EvidenceStatement,
  signer: SigningKey,
): Promise<{ envelope: Envelope; digest: Digest }> {
  const payload = statementBytes(statement);
  const binary = await sign({
    message: await createMessage({ binary: pae(PAYLOAD_TYPE, payload) }),
    signingKeys: signer.key,
    detached: true,
    format: "binary",
    date: new Date(statement.predicate.writtenAt),
  });
  return {
    envelope: {
      payloadType: PAYLOAD_TYPE,
      payload: Buffer.from(payload).toString("base64"),
      signatures: [{ keyid: signer.fingerprint, sig: Buffer.from(binary).toString("base64") }],
    },
    digest: payloadDigest(payload),
  };
}

/** Signs a placed statement into the line a note holds, with its digest. */
export async function signedLine(
  statement: EvidenceStatement,
  signer: SigningKey,
): Promise<{ line: string; digest: Digest }> {
  const { envelope, digest } = await signStatement(statement, signer);
  return { line: envelopeLine(envelope), digest };
}
