#!/usr/bin/env node
// The `gatehouse` command. Plain JavaScript that any Node can parse, so that a wrong Node, an
// unbuilt clone or a missing dependency is told in one line instead of a stack trace.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const EXIT_USAGE = 2;
const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");

function fail(message) {
  process.stderr.write(`gatehouse: ${message}\n`);
  process.exit(EXIT_USAGE);
}

// Probot, which the App runs on, needs 20.18.1; the CLI keeps the same floor.
const [major, minor, patch] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && (minor < 18 || (minor === 18 && patch < 1)))) {
  fail(
    `needs Node.js 20.18.1 or later, but this is Node.js ${process.versions.node}; upgrade Node.js.`,
  );
}

if (!existsSync(new URL("../lib/cli/run.js", import.meta.url))) {
  fail(
    `this copy in ${root} is not built (it has no lib/). In a clone of gatehouse, run ` +
      `'npm ci && npm run build' there; to install gatehouse, install the package that ` +
      `'npm pack' makes ('npm install -g gatehouse-<version>.tgz').`,
  );
}

try {
  await import("../lib/cli/run.js");
} catch (error) {
  if (process.env.GATEHOUSE_DEBUG) process.stderr.write(`${error?.stack ?? error}\n`);
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    const name = /Cannot find (?:package|module) '([^']+)'/.exec(error.message)?.[1];
    fail(
      `${name === undefined ? "a module" : `'${name}'`} is missing from this installation in ` +
        `${root}; run 'npm ci' there (in a clone) or install gatehouse again.`,
    );
  }
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
}
