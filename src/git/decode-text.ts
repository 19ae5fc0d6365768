/** Why a file's bytes are not text gatehouse reads: every file it reads is UTF-8. */
export type NotText = "binary" | "UTF-16" | "not UTF-8";

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** The encoding a byte-order mark at the start of `head` names; UTF-8 without one. */
export function encodingOf(head: Uint8Array): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/**
 * A blob as text, or undefined when it is not: git's own test for binary content (a NUL byte
 * near the start), then strict UTF-8.
 */
export function decodeText(blob: Uint8Array): string | undefined {
  const text = readText(blob);
  return typeof text === "string" ? text : undefined;
}

/**
 * A blob as text, or why it is not: a UTF-16 byte-order mark (what some editors on Windows
 * save), a NUL byte near the start (git's test for binary content), or bytes that are not
 * UTF-8 (a legacy encoding such as GBK). Never a lossy decoding: what the gate cannot read
 * the same way on every side is refused with the reason.
 */
export function readText(blob: Uint8Array): string | { notText: NotText } {
  if (encodingOf(blob) !== "utf-8") return { notText: "UTF-16" };
  if (blob.subarray(0, 8000).includes(0)) return { notText: "binary" };
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(blob);
  } catch {
    return { notText: "not UTF-8" };
  }
}

/** What is wrong with a file that is not text, and what to do: "the file is saved as UTF-16; …". */
export function notTextMessage(reason: NotText | "too large"): string {
  switch (reason) {
    case "UTF-16":
      return "the file is saved as UTF-16 (it starts with a UTF-16 byte-order mark), and gatehouse reads UTF-8 only; save it as UTF-8";
    case "not UTF-8":
      return "the file is not UTF-8 text (GBK or another legacy encoding?), and gatehouse reads UTF-8 only; save it as UTF-8";
    case "binary":
      return "the file is binary (it holds a NUL byte); keep records and policy files as YAML text";
    case "too large":
      return "the file is larger than 5 MB; keep records and policy files small";
  }
}
