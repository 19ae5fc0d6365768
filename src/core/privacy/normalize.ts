import type { DetectorCode } from "./detector.js";

/**
 * The value a detection stands for, without formatting: digits (and the ID check letter) for
 * numbers, lower case for addresses. Pseudonyms and allow-list entries compare this form, so
 * `138 0013 8000` and `+86 13800138000` are the same person.
 */
export function normalizeValue(detector: DetectorCode, raw: string): string {
  switch (detector) {
    case "cn-mobile": {
      const digits = raw.replace(/\D/g, "");
      return digits.length > 11 ? digits.slice(-11) : digits;
    }
    case "cn-landline": {
      // National form: the country code dropped, the trunk 0 in front of an area code.
      let digits = raw.replace(/\D/g, "");
      if (digits.startsWith("0086")) digits = digits.slice(4);
      else if (digits.startsWith("86") && digits.length >= 11) digits = digits.slice(2);
      return digits.length >= 9 && !digits.startsWith("0") ? `0${digits}` : digits;
    }
    case "cn-id":
    case "bank-card":
      return raw.replace(/[^\dXx]/g, "").toUpperCase();
    case "email":
    case "ipv4":
    case "ipv6":
      return raw.toLowerCase();
    case "passport":
      return raw.toUpperCase();
    case "private-key":
    case "token":
      return raw;
  }
}
