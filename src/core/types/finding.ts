/** Places in the repository, and what is wrong at them. */

/** A place in a file of the repository. Lines and columns count from 1. */
export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

/**
 * Something wrong at a place in a file: an invalid record, a policy error, personal data.
 * `message` says what is wrong and what to do; it never holds personal data unmasked.
 */
export interface Finding extends SourceLocation {
  /** Stable machine code, such as "record/schema", "policy/unknown-role", "privacy/cn-mobile". */
  code: string;
  message: string;
}
