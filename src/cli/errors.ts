/**
 * Errors a user can meet. They are printed as one line, without a stack trace, and end the
 * command with exit status 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

export { ConfigError } from "../core/errors.js";

/** Exit statuses of the CLI contract. */
export const EXIT = { clear: 0, blocked: 1, usage: 2 } as const;
