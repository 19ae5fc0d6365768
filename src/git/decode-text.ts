/**
 * A blob as text, or undefined when it is not: git's own test for binary content (a NUL byte
 * near the start), then strict UTF-8.
 */
export function decodeText(blob: Uint8Array): string | undefined {
  if (blob.subarray(0, 8000).includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(blob);
  } catch {
    return undefined;
  }
}
