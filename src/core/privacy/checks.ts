/**
 * Checksums and plausibility tests that turn a digit run into a detection. They are what keeps
 * order numbers, timestamps and amounts from being reported.
 */

/**
 * First two digits of a mainland resident ID: the province-level region (GB/T 2260), plus 71
 * (Taiwan), 81 and 82 (Hong Kong, Macao) and 83 (residence permits for Taiwan residents).
 * Only the province is checked: the full county table changes every year.
 */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** Whether the six digits start with a known province and a non-zero city and county. */
export function isRegionCode(digits: string): boolean {
  return PROVINCES.has(Number(digits.slice(0, 2))) && digits.slice(2, 6) !== "0000";
}

/** Whether year, month and day form a real calendar date between 1900 and 2099. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * Whether 18 characters (17 digits and a digit or X) are a valid resident ID number
 * (GB 11643-1999): a province prefix, a real birth date and the ISO 7064 MOD 11-2 check.
 */
export function isResidentId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id) || !isRegionCode(id)) return false;
  const date = id.slice(6, 14);
  if (!isCalendarDate(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6)))) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === id.charAt(17).toUpperCase();
}

/** Whether 15 digits look like a legacy (pre-1999) resident ID: province and a 19YY date. */
export function isLegacyResidentId(id: string): boolean {
  if (!/^\d{15}$/.test(id) || !isRegionCode(id)) return false;
  const year = 1900 + Number(id.slice(6, 8));
  return isCalendarDate(year, Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}

/** The Luhn (mod 10) check of card numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether prefix and length fit a payment card scheme: Visa (4; 13, 16 or 19 digits),
 * Mastercard (51-55, 2221-2720; 16), Amex (34, 37; 15), Diners (30, 36, 38; 14-19),
 * JCB (35; 16-19), UnionPay, Discover and others (6; 16-19). This keeps millisecond
 * timestamps (17...), date-based order numbers (2026...) and 18-digit references out.
 */
export function isCardShaped(digits: string): boolean {
  const n = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  switch (digits.charAt(0)) {
    case "4":
      return n === 13 || n === 16 || n === 19;
    case "5":
      return two >= 51 && two <= 55 && n === 16;
    case "2":
      return four >= 2221 && four <= 2720 && n === 16;
    case "3":
      if (two === 34 || two === 37) return n === 15;
      return (two === 30 || two === 35 || two === 36 || two === 38) && n >= 14 && n <= 19;
    case "6":
      return n >= 16 && n <= 19;
    default:
      return false;
  }
}

/** Whether the dotted quad is a host address worth reporting (not loopback, 0.0.0.0 or a netmask). */
export function isReportableIpv4(text: string): boolean {
  let octet = 0;
  let digits = 0;
  let first = -1;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      // A leading zero ("010") reads as octal to some tools and is no address in logs.
      if (digits === 0 || octet > 255 || (digits > 1 && text.charCodeAt(i - digits) === 48)) {
        return false;
      }
      if (first === -1) first = octet;
      parts++;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      octet = octet * 10 + code - 48;
      digits++;
    } else {
      return false;
    }
  }
  return parts === 4 && first !== 0 && first !== 127 && first !== 255;
}

/**
 * Whether the text is a full or compressed IPv6 address worth reporting. Loopback `::1`,
 * the unspecified `::` and all-letter forms such as `dead::beef` (more likely words in code)
 * are not reported; clock times such as `12:30:45` have too few groups to qualify.
 */
export function isReportableIpv6(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === "" ? [] : half.split(":")));
  if (groups.some((g) => g.length < 1 || g.length > 4)) return false;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7 || groups.length < 2) {
    return false;
  }
  return /\d/.test(text) && !/^[0:]*1?$/.test(text);
}
