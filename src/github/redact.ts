/**
 * Removes what must never reach a log or a check run from an error message: GitHub tokens
 * (ghs_, ghp_, gho_, ghu_, ghr_, github_pat_), bearer credentials and e-mail addresses.
 */
export function redact(message: string): string {
  return message
    .replace(/\b(?:gh[pousr]_[A-Za-z0-9]{8,}|github_pat_[A-Za-z0-9_]{8,})/g, "[token]")
    .replace(/\b(bearer|token)\s+[A-Za-z0-9._-]{8,}/gi, "$1 [token]")
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[e-mail]");
}

/** A one-line, redacted description of an error, without a stack. */
export function describeError(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = typeof status === "number" ? `GitHub answered ${status}: ` : "";
  return redact(prefix + message.split("\n")[0]);
}
