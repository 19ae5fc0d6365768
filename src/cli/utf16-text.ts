/**
 * UTF-16 text, as Windows tools often save logs and exports, read by `scan` and `mask`: a
 * stream that starts with a UTF-16 byte-order mark is turned into UTF-8 for the detectors (a
 * phone number in UTF-16 has a NUL between its digits, which no detector matches), and `mask`
 * writes its result back in the same UTF-16. Any other input passes through byte for byte.
 */
import { StringDecoder } from "node:string_decoder";
import { encodingOf, type TextEncoding } from "../git/decode-text.js";

/** The input as UTF-8 bytes; `found` learns its encoding before the first chunk comes out. */
export async function* asUtf8(
  input: AsyncIterable<string | Uint8Array>,
  found: (encoding: TextEncoding) => void = () => {},
): AsyncGenerator<Buffer> {
  let encoding: TextEncoding | undefined;
  let pending = Buffer.alloc(0);
  const decoder = new UTF16Decoder();
  for await (const raw of input) {
    const chunk =
      typeof raw === "string"
        ? Buffer.from(raw, "utf8")
        : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (encoding === undefined) {
      // Two bytes tell the mark: a first chunk of one byte waits for the next.
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 2) continue;
      encoding = encodingOf(pending);
      found(encoding);
      if (encoding === "utf-8") yield pending;
      else yield decoder.utf8(pending, encoding);
      continue;
    }
    yield encoding === "utf-8" ? chunk : decoder.utf8(chunk, encoding);
  }
  if (encoding === undefined) {
    found("utf-8");
    if (pending.length > 0) yield pending;
  } else if (encoding !== "utf-8") {
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  }
}

/** UTF-16 bytes (either order) to UTF-8 bytes, keeping characters split between chunks whole. */
class UTF16Decoder {
  private readonly decoder = new StringDecoder("utf16le");
  private odd: Buffer | undefined;
  /** A high surrogate that ended a chunk: its low half comes with the next. */
  private high = "";

  utf8(chunk: Buffer, encoding: "utf-16le" | "utf-16be"): Buffer {
    if (encoding === "utf-16le") return this.encode(this.decoder.write(chunk));
    // Big-endian: swap each pair into little-endian; an odd last byte waits for its partner.
    let bytes = this.odd ? Buffer.concat([this.odd, chunk]) : chunk;
    this.odd = bytes.length % 2 === 1 ? bytes.subarray(bytes.length - 1) : undefined;
    bytes = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2))).swap16();
    return this.encode(this.decoder.write(bytes));
  }

  end(): Buffer {
    // An odd byte or a lone surrogate left over is not a character: UTF-8 writes U+FFFD for it.
    const tail = this.high + this.decoder.end() + (this.odd ? "\ufffd" : "");
    this.high = "";
    return Buffer.from(tail, "utf8");
  }

  private encode(decoded: string): Buffer {
    let text = this.high + decoded;
    this.high = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) [text, this.high] = [text.slice(0, -1), text.slice(-1)];
    return Buffer.from(text, "utf8");
  }
}

/** UTF-8 bytes, in chunks, back to the UTF-16 of the input. */
export class UTF16Encoder {
  private readonly decoder = new StringDecoder("utf8");
  constructor(private readonly encoding: "utf-16le" | "utf-16be") {}

  write(utf8: Buffer): Buffer {
    return this.encode(this.decoder.write(utf8));
  }

  end(): Buffer {
    return this.encode(this.decoder.end());
  }

  private encode(text: string): Buffer {
    const bytes = Buffer.from(text, "utf16le");
    return this.encoding === "utf-16le" ? bytes : bytes.swap16();
  }
}
