/**
 * The personal-data detectors of gatehouse: their codes, what they find and how sure a hit of
 * each one is. JR/T 0171-2020 puts ID, bank card and phone numbers in class C2 (masked
 * whenever displayed); addresses, passports and secrets are treated the same way.
 */

export const DETECTOR_CODES = [
  "cn-id",
  "cn-mobile",
  "cn-landline",
  "bank-card",
  "email",
  "ipv4",
  "ipv6",
  "passport",
  "private-key",
  "token",
] as const;

/** A detector's stable code; findings carry it as `privacy/<code>`. */
export type DetectorCode = (typeof DETECTOR_CODES)[number];

export interface DetectorInfo {
  code: DetectorCode;
  /** What it finds, for messages: "mainland resident ID number". */
  title: string;
  /** The word of a pseudonym token: `<phone:5f2c9a1b>`. */
  label: string;
}

export const DETECTORS: Record<DetectorCode, DetectorInfo> = {
  "cn-id": { code: "cn-id", title: "mainland resident ID number", label: "id" },
  "cn-mobile": { code: "cn-mobile", title: "mainland mobile number", label: "phone" },
  "cn-landline": { code: "cn-landline", title: "mainland landline number", label: "phone" },
  "bank-card": { code: "bank-card", title: "bank card number", label: "card" },
  email: { code: "email", title: "e-mail address", label: "email" },
  ipv4: { code: "ipv4", title: "IPv4 address", label: "ip" },
  ipv6: { code: "ipv6", title: "IPv6 address", label: "ip" },
  passport: { code: "passport", title: "passport number", label: "passport" },
  "private-key": { code: "private-key", title: "private key block", label: "secret" },
  token: { code: "token", title: "access token", label: "secret" },
};

/** Whether a string names a detector, for validating policy files and command lines. */
export function isDetectorCode(value: unknown): value is DetectorCode {
  return typeof value === "string" && (DETECTOR_CODES as readonly string[]).includes(value);
}

/**
 * Whether a detection passes every check a real value of its kind passes: a resident ID with
 * its check character, a card number of a card scheme or after a card keyword with its Luhn
 * digit, a mobile number, an e-mail address, a key block or a token. Such a value is treated as
 * real personal data: gatehouse never suggests allow-listing it (an entry can still be written,
 * with a reason, for a published test value). Keyword-backed and network detections are weaker.
 */
export function passesEveryCheck(detector: DetectorCode, confidence: number): boolean {
  switch (detector) {
    case "cn-id":
      return confidence >= 0.99;
    case "bank-card":
      return confidence >= 0.85;
    case "cn-mobile":
    case "email":
    case "private-key":
    case "token":
      return true;
    default:
      return false;
  }
}
