/** Record ids as file names give them, and the rule that one id names one record. */

const RECORD_FILE = /\.ya?ml$/;

/** The id a record's file name gives it: "changes/CHG-2026-0042.yaml" -> "CHG-2026-0042". */
export function idOfPath(path: string): string {
  return path.replace(/^.*\//, "").replace(RECORD_FILE, "");
}

/**
 * The record files that share an id with another: id -> its files, sorted, for each id that
 * two or more of `paths` carry ("changes/CHG-1.yaml" and "changes/2026/CHG-1.yml", say).
 */
export function sharedIds(paths: Iterable<string>): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const path of new Set(paths)) {
    const id = idOfPath(path);
    byId.set(id, [...(byId.get(id) ?? []), path]);
  }
  return new Map(
    [...byId]
      .filter(([, files]) => files.length > 1)
      .map(([id, files]): [string, string[]] => [id, files.sort()]),
  );
}

/** The other record files among `paths` that carry the id of `path`. */
export function othersWithId(paths: Iterable<string>, path: string): string[] {
  const id = idOfPath(path);
  return [...new Set(paths)].filter((p) => p !== path && idOfPath(p) === id).sort();
}
