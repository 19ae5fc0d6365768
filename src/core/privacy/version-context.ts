/**
 * Dotted quads are IPv4 addresses unless their context says they are versions. The rule,
 * chosen so that an address in a log line is still reported:
 *
 * - directly after a version operator (`==`, `>=`, `<=`, `~=`, `!=`, `^`, `~`), a version word
 *   (`version: 1.2.3.4`, `<version>1.2.3.4`, `build=1.2.3.4`) or a Maven/Gradle coordinate
 *   (`com.acme:lib:1.2.3.4`) it is a version;
 * - on a dependency line (the words dependency, require, install, package, npm, pip, gradle,
 *   upgrade, bump ... earlier on the same line) every quad is a version (`lodash@1.2.3.4`);
 * - otherwise, including `ip=1.2.3.4` and `root@10.0.0.1`, it is an address.
 * A leading `v` (`v1.2.3.4`) and a fifth part (`1.2.3.4.5`) already keep it from being a candidate.
 */

const OPERATOR_OR_WORD = new RegExp(
  String.raw`(?:[=!~<>]=|[\^~])\s*["']?$` +
    String.raw`|(?:version|ver|release|build|revision|rev|tag)["'>]?\s*[:=]?\s*["']?$` +
    String.raw`|[A-Za-z][\w.-]*:[\w.-]+:$`,
  "i",
);

const DEPENDENCY_LINE =
  /\b(?:dependenc\w*|requires?|requirements|install|package|npm|yarn|pnpm|pip|maven|gradle|implementation|upgrade|bump|pinned)\b/i;

/** How much of the line before the quad is looked at. */
const WINDOW = 80;

/** Whether the dotted quad starting at `start` is a software version rather than an address. */
export function isVersionContext(text: string, start: number): boolean {
  let from = Math.max(0, start - WINDOW);
  const newline = text.lastIndexOf("\n", start - 1);
  if (newline >= from) from = newline + 1;
  const before = text.slice(from, start);
  return OPERATOR_OR_WORD.test(before.slice(-32)) || DEPENDENCY_LINE.test(before);
}
