/**
 * Which files are records. A record is judged wherever it stands: a file is one when it lies in
 * a record directory of the configuration, when it lies in a folder that differs from one only
 * in letter case, or when its content declares a record kind, whatever its name or folder. The
 * last two are refused with the place a record belongs, so a look-alike folder, another
 * extension or another spelling can never hold a record that no rule judged.
 */
import type { Config } from "../policy/model.js";
import { isUnder } from "../paths/path-matcher.js";
import { RECORD_KINDS, type RecordKind } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";

/** A record file's extension, in any letter case (`.yaml`, `.yml`, `.YAML`). */
export const RECORD_EXTENSION = /\.ya?ml$/i;

/** A record directory as a path prefix: "changes/". */
export function directoryOf(dir: string): string {
  return `${dir.replace(/^\.\//, "").replace(/\/+$/, "")}/`;
}

/**
 * The record kind whose directory (per `config.records`, letter case exact) holds `path`, or
 * null when the path is not a `.yaml`/`.yml` file under a record directory.
 */
export function recordKindForPath(path: string, config: Config): RecordKind | null {
  if (!RECORD_EXTENSION.test(path)) return null;
  const normalised = path.replace(/^\.\//, "");
  for (const kind of RECORD_KINDS) {
    if (normalised.startsWith(directoryOf(config.records[kind]))) return kind;
  }
  return null;
}

/**
 * The kind whose record directory holds `path` when letter case is ignored, where the exact
 * directory does not: `Changes/CHG-1.yaml` is where a case-insensitive checkout puts
 * `changes/CHG-1.yaml`.
 */
export function lookalikeKindForPath(path: string, config: Config): RecordKind | null {
  if (!RECORD_EXTENSION.test(path)) return null;
  const normalised = path.replace(/^\.\//, "");
  for (const kind of RECORD_KINDS) {
    const dir = config.records[kind];
    if (isUnder(normalised, dir) && !normalised.startsWith(directoryOf(dir))) return kind;
  }
  return null;
}

/** Record kind names; a file can only declare one if it holds one of these words or an escape. */
const KIND_WORDS = new RegExp(`${RECORD_KINDS.join("|")}|\\\\`);

/** The id of a record template (`gatehouse new` fills it in): a template is not a record. */
export const TEMPLATE_ID = "{{id}}";

/**
 * The record kind a file's content declares (`kind: ChangeRequest` at its top level, in any
 * YAML or JSON spelling: quoted, escaped, aliased, tagged, in flow style), or null. Files that
 * hold neither a kind name nor a backslash cannot spell one and are not parsed, so the cost is
 * one linear search for almost every file and one parse for the few that might be records. A
 * template, whose id is still the placeholder, declares no record.
 */
export function declaredRecordKind(text: string): RecordKind | null {
  if (!KIND_WORDS.test(text)) return null;
  const { data } = parseYaml("", text);
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const { kind, id } = data as Record<string, unknown>;
  if (id === TEMPLATE_ID) return null;
  return RECORD_KINDS.find((k) => k === kind) ?? null;
}

/**
 * Whether a file is to be judged as a record: in a record directory, in a look-alike of one, or
 * declaring a record kind. `text` is the file's content where it can be read.
 */
export function isRecordFile(path: string, text: string | undefined, config: Config): boolean {
  return (
    recordKindForPath(path, config) !== null ||
    lookalikeKindForPath(path, config) !== null ||
    (text !== undefined && declaredRecordKind(text) !== null)
  );
}
