import type { Config } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import { invalidRecord, parseRecord } from "../records/parse-record.js";
import { isRecordFile, lookalikeKindForPath, recordKindForPath } from "../records/record-place.js";
import type { Snapshot } from "../types.js";
import type { RecordPair } from "./context.js";

/**
 * The changed files that are records, with their base and head versions parsed: a `.yaml` or
 * `.yml` file under a record directory of the config or a look-alike of one (on either side of
 * a rename), and any file whose head version declares a record kind, wherever it stands. A
 * file that was record-shaped only in the base may leave that shape; a record path may not.
 */
export function changedRecords(snapshot: Snapshot, config: Config): RecordPair[] {
  const pairs: RecordPair[] = [];
  for (const file of snapshot.changed) {
    const basePath = file.previousPath ?? file.path;
    const head = file.status === "removed" ? undefined : snapshot.head.files.get(file.path);
    const isRecord =
      isRecordFile(file.path, head, config) ||
      recordKindForPath(basePath, config) !== null ||
      lookalikeKindForPath(basePath, config) !== null;
    if (!isRecord) continue;
    const before = file.status === "added" ? null : read(snapshot.base.files, basePath, config);
    const after = file.status === "removed" ? null : read(snapshot.head.files, file.path, config);
    const pair: RecordPair = { path: file.path, status: file.status, before, after };
    if (file.previousPath !== undefined) pair.previousPath = file.previousPath;
    pairs.push(pair);
  }
  return pairs;
}

function read(files: Map<string, string>, path: string, config: Config): ParsedRecord {
  const text = files.get(path);
  return text === undefined ? unreadable(path) : parseRecord(path, text, config);
}

/** A record the adapter could not provide (binary, too large): invalid, so it fails closed. */
function unreadable(path: string): ParsedRecord {
  return invalidRecord(
    path,
    "record/unreadable",
    `${path} could not be read (binary or too large); keep records as small YAML text files`,
  );
}
