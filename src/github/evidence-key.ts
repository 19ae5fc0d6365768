/**
 * The App's evidence signing key, from the environment: `GATEHOUSE_EVIDENCE_KEY` (the armored
 * OpenPGP private key, newlines as in `.env` files or escaped as "\n") or
 * `GATEHOUSE_EVIDENCE_KEY_PATH` (a file holding it), and `GATEHOUSE_EVIDENCE_KEY_PASSPHRASE`
 * when the key is protected. Its public half goes into `policies/keys/gatehouse-evidence.asc`
 * of every governed repository (docs/github-app.md says how).
 */
import { readFile } from "node:fs/promises";
import { readSigningKey, type SigningKey } from "../core/evidence/sign.js";

let cached: { source: string; key: Promise<SigningKey> } | undefined;

/** The signing key, or null when none is configured. Throws when it is configured but unusable. */
export async function evidenceSigner(
  env: NodeJS.ProcessEnv = process.env,
): Promise<SigningKey | null> {
  const inline = env.GATEHOUSE_EVIDENCE_KEY;
  const path = env.GATEHOUSE_EVIDENCE_KEY_PATH;
  if (!inline && !path) return null;
  const source = `${inline ?? ""}\0${path ?? ""}\0${env.GATEHOUSE_EVIDENCE_KEY_PASSPHRASE ?? ""}`;
  if (cached?.source !== source) {
    const key = (async () => {
      const armored = inline
        ? inline.replace(/\\n/g, "\n")
        : await readFile(path!, "utf8").catch(() => {
            throw new Error(`GATEHOUSE_EVIDENCE_KEY_PATH names ${path}, which cannot be read.`);
          });
      return readSigningKey(armored, env.GATEHOUSE_EVIDENCE_KEY_PASSPHRASE);
    })();
    // A key that failed to load is not kept: the next merge tries again.
    key.catch(() => (cached = undefined));
    cached = { source, key };
  }
  return cached.key;
}
