import { createHmac } from "node:crypto";
import { DETECTORS, type DetectorCode } from "./detector.js";
import { maskValue } from "./mask-value.js";
import { normalizeValue } from "./normalize.js";

/** Hex digits of the HMAC kept in a token: 48 bits, so a million distinct values rarely collide. */
export const TOKEN_HEX_LENGTH = 12;

/**
 * A replacement function that turns each value into a stable pseudonym,
 * `<label:hhhhhhhhhhhh>` (for example `<phone:5f2c9a1b07e4>`): the first 12 hex digits of
 * HMAC-SHA256(key, label NUL normalized value). The same value gives the same token within and
 * across files and runs with the same key, so analysts can still correlate events; without the
 * key the token reveals nothing. Secrets are still fully redacted: no one needs to correlate them.
 */
export function pseudonymizer(
  key: string | Uint8Array,
): (detector: DetectorCode, raw: string) => string {
  const cache = new Map<string, string>();
  return (detector, raw) => {
    if (detector === "private-key" || detector === "token") return maskValue(detector, raw);
    const label = DETECTORS[detector].label;
    const input = `${label}\0${normalizeValue(detector, raw)}`;
    let token = cache.get(input);
    if (token === undefined) {
      const digest = createHmac("sha256", key).update(input).digest("hex");
      token = `<${label}:${digest.slice(0, TOKEN_HEX_LENGTH)}>`;
      // Bounded so that a log with millions of distinct values keeps flat memory.
      if (cache.size > 10_000) cache.clear();
      cache.set(input, token);
    }
    return token;
  };
}
