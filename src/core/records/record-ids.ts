/** Record ids as file names give them, and the rule that one id names one record. */

import { RECORD_EXTENSION } from "./record-place.js";

/** The id a record's file name gives it: "changes/CHG-2026-0042.yaml" -> "CHG-2026-0042". */
export function idOfPath(path: string): string {
  return path.replace(/^.*\//, "").replace(RECORD_EXTENSION, "");
}

/** Record files by the id their names give them: id -> its files, each once, sorted. */
export function filesById(paths: Iterable<string>): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const path of new Set(paths)) {
    const id = idOfPath(path);
    const files = byId.get(id);
    if (files) files.push(path);
    else byId.set(id, [path]);
  }
  for (const files of byId.values()) files.sort();
  return byId;
}

/**
 * The record files that share an id with another: id -> its files, sorted, for each id that
 * two or more of `paths` carry ("changes/CHG-1.yaml" and "changes/2026/CHG-1.yml", say).
 */
export function sharedIds(paths: Iterable<string>): Map<string, string[]> {
  return new Map([...filesById(paths)].filter(([, files]) => files.length > 1));
}
