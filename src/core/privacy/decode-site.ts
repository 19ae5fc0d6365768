/**
 * What a site of a text reads as in its view (see text-view.ts): an escape, a line
 * continuation, or a character {@link readAs} knows, written as itself or as its UTF-8 bytes.
 */
import { readAs } from "./read-as.js";

/** ASCII a percent escape may stand for in the view: letters, digits and `@ + - . _`. */
const PERCENT_DECODED = /^[A-Za-z0-9@+\-._]$/;

/** What a site reads as; undefined when it is none after all. */
export function decodeSite(site: string, utf8Bytes: boolean): string | undefined {
  const first = site.charCodeAt(0);
  if (first === 92) {
    // A backslash: an escape, or a line continuation.
    const kind = site.charAt(1);
    if (kind === "\r" || kind === "\n") return "";
    if (kind === "t") return "\t";
    if (kind === "_") return " "; // YAML's escaped no-break space
    return readEscaped(parseInt(site.slice(2), 16));
  }
  if (first === 38) {
    const hex = site.charAt(2) === "x" || site.charAt(2) === "X";
    return readEscaped(parseInt(site.slice(hex ? 3 : 2, -1), hex ? 16 : 10));
  }
  if (first === 37) {
    const decoded = String.fromCharCode(parseInt(site.slice(1), 16));
    return PERCENT_DECODED.test(decoded) ? decoded : undefined;
  }
  const code = utf8Bytes ? utf8CodePoint(site) : (site.codePointAt(0) ?? 0);
  return code === undefined ? undefined : readAs(code);
}

/** What an escaped code point reads as: itself when it is printable ASCII, else its view. */
function readEscaped(code: number): string | undefined {
  if (!Number.isFinite(code) || code > 0x10ffff) return undefined;
  if ((code >= 0x20 && code < 0x7f) || code === 9) return String.fromCharCode(code);
  const read = readAs(code);
  if (read !== undefined) return read;
  // Another character: written into the view as it is (a keyword such as \u5361\u53f7 reads
  // as 卡号), except surrogates and controls, which stay escaped.
  if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/** The code point of a UTF-8 sequence held as latin1 characters; undefined when malformed. */
function utf8CodePoint(bytes: string): number | undefined {
  const lead = bytes.charCodeAt(0);
  let code: number;
  let length: number;
  if (lead >= 0xc2 && lead <= 0xdf) [code, length] = [lead & 0x1f, 2];
  else if (lead >= 0xe0 && lead <= 0xef) [code, length] = [lead & 0x0f, 3];
  else if (lead >= 0xf0 && lead <= 0xf4) [code, length] = [lead & 0x07, 4];
  else return undefined;
  if (bytes.length !== length) return undefined;
  for (let i = 1; i < length; i++) code = (code << 6) | (bytes.charCodeAt(i) & 0x3f);
  return code;
}
