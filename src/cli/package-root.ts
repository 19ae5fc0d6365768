import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The directory of gatehouse's own package.json. Found by walking up from this module, so it
 * is the same whether the code runs from `src/` (vitest, tsx) or from `lib/` after a build.
 */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  if (cached !== undefined) return cached;
  let dir = from;
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate) && isGatehouse(candidate)) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find gatehouse's package.json above ${from}; reinstall gatehouse.`);
    }
    dir = parent;
  }
}

function isGatehouse(packageJson: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(packageJson, "utf8")) as { name?: unknown }).name === "gatehouse"
    );
  } catch {
    return false;
  }
}
