#!/usr/bin/env node
// Builds lib/ from src/ with the TypeScript compiler, from scratch so that no output of a
// deleted source survives. `--if-stale` builds only when src/ or the compiler settings changed
// since lib/ was built (a hash of them is kept in lib/), so `npm start` and `npm run demo` start
// at once on a current build; an installed package, which has no src/, is never rebuilt.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const lib = join(root, "lib");
const stamp = join(lib, ".build-hash");
const INPUTS = ["tsconfig.json", "tsconfig.build.json", "src"];

/** A hash of every input's path and content: what lib/ was built from. */
function sourceHash() {
  const hash = createHash("sha256");
  const visit = (path) => {
    if (!existsSync(path)) return;
    const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile())
        hash.update(`${relative(root, child)}\0`).update(readFileSync(child));
    }
  };
  for (const input of INPUTS) {
    const path = join(root, input);
    if (input === "src") visit(path);
    else if (existsSync(path)) hash.update(`${input}\0`).update(readFileSync(path));
  }
  return hash.digest("hex");
}

const ifStale = process.argv.includes("--if-stale");
if (ifStale && !existsSync(join(root, "src"))) {
  // An installed package: lib/ is what was published, and there is nothing to build it from.
  process.exit(existsSync(join(lib, "index.js")) ? 0 : fail("has neither src/ nor lib/"));
}
const wanted = sourceHash();
if (ifStale && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === wanted) process.exit(0);

if (ifStale) {
  // A fresh clone has never built: say that, not that something changed.
  process.stderr.write(
    existsSync(stamp)
      ? "gatehouse: src/ changed since lib/ was built; building lib/ …\n"
      : "gatehouse: building lib/ from src/ (the first run only; later ones start at once) …\n",
  );
}
rmSync(lib, { recursive: true, force: true });
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
if (!existsSync(tsc)) fail("cannot build lib/: TypeScript is not installed; run 'npm ci' first");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${wanted}\n`);

function fail(message) {
  process.stderr.write(`gatehouse build: ${message}.\n`);
  process.exit(2);
}
