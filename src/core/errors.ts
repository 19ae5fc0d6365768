/**
 * Errors a user can meet while gatehouse reads a repository: the repository, a ref or a
 * configuration file is not what gatehouse needs. The CLI prints them as one line, without a
 * stack trace, and ends with exit status 2; the App turns them into a failed check.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}
