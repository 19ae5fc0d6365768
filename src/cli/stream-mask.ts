/**
 * The stream plumbing of `gatehouse mask` and `gatehouse scan`: bytes in, masked bytes or hits
 * out, in flat memory. The masking itself is the pure {@link StreamMasker} of the core.
 *
 * Input is read as latin1, one character per byte, so that every byte outside a finding is
 * written back exactly as it came, even in a log that is not valid UTF-8; the detectors only
 * need ASCII, and their Chinese keywords are also matched as UTF-8 bytes. UTF-16 input (with
 * its byte-order mark) is read as UTF-8 and masked text is written back in UTF-16.
 */
import { once } from "node:events";
import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { DetectorCode } from "../core/privacy/detector.js";
import { StreamMasker, type StreamMaskerOptions } from "../core/privacy/stream-masker.js";
import type { TextEncoding } from "../git/decode-text.js";
import { asUtf8, UTF16Encoder } from "./utf16-text.js";

/** Where masked text goes: a byte stream (file, process.stdout) or a text sink (tests). */
export type MaskSink = Writable | { write(text: string): unknown };

/**
 * Reads the whole input through a masker and writes the masked bytes to the sink; returns how
 * many values of each detector it masked.
 */
export async function maskStream(
  input: NodeJS.ReadableStream,
  sink: MaskSink,
  options: StreamMaskerOptions,
): Promise<ReadonlyMap<DetectorCode, number>> {
  const masker = new StreamMasker({ ...options, utf8Bytes: true });
  let encoding: TextEncoding = "utf-8";
  const out = writer(sink, () => encoding);
  const text = asUtf8(input as AsyncIterable<string | Buffer>, (found) => (encoding = found));
  for await (const chunk of text) await out.write(masker.push(latin1(chunk)));
  await out.write(masker.end());
  out.flush();
  return masker.counts;
}

/**
 * Reads the whole input and reports hits; writes nothing. Read as latin1 like `maskStream`
 * (one-byte strings scan fastest), with columns counted in UTF-8 characters.
 */
export async function scanStream(
  input: NodeJS.ReadableStream,
  options: StreamMaskerOptions,
): Promise<number> {
  const masker = new StreamMasker({ ...options, scanOnly: true, utf8Bytes: true });
  for await (const chunk of asUtf8(input as AsyncIterable<string | Buffer>)) {
    masker.push(latin1(chunk));
  }
  masker.end();
  return masker.hits;
}

function latin1(chunk: string | Buffer | Uint8Array): string {
  // A stream already decoded to text (a test's Readable.from) is turned back into its bytes.
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8").toString("latin1");
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
}

interface Writer {
  write(text: string): Promise<void>;
  /** Writes what a text sink's decoder still holds (an incomplete character at the end). */
  flush(): void;
}

function writer(sink: MaskSink, encoding: () => TextEncoding): Writer {
  if (sink instanceof Writable) {
    // UTF-16 input is written back in its own encoding, as it came.
    let utf16: UTF16Encoder | undefined;
    const bytes = (text: string): Buffer => {
      const utf8 = Buffer.from(text, "latin1");
      const found = encoding();
      if (found === "utf-8") return utf8;
      utf16 ??= new UTF16Encoder(found);
      return utf16.write(utf8);
    };
    return {
      async write(text) {
        if (text === "" || sink.write(bytes(text))) return;
        // Backpressure: wait until the file or pipe took what it has (rejects on its error).
        await once(sink, "drain");
      },
      flush() {
        const rest = utf16?.end();
        if (rest !== undefined && rest.length > 0) sink.write(rest);
      },
    };
  }
  // A text sink gets UTF-8 text; the decoder keeps characters split between chunks whole.
  const decoder = new StringDecoder("utf8");
  return {
    async write(text) {
      if (text !== "") sink.write(decoder.write(Buffer.from(text, "latin1")));
    },
    flush() {
      const rest = decoder.end();
      if (rest !== "") sink.write(rest);
    },
  };
}
