/**
 * The `gatehouse` command before and after a build: bin/ says in one line what is missing, and
 * scripts/build.js rebuilds lib/ only when its sources changed (what `npm start` relies on).
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, run } from "./npm.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "gatehouse-build-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of bin/ and package.json, with `files` added: what a broken installation might hold. */
function installation(name: string, files: Record<string, string> = {}): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, "bin"), { recursive: true });
  copyFileSync(join(ROOT, "bin", "gatehouse.js"), join(dir, "bin", "gatehouse.js"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("bin/gatehouse.js", () => {
  it("says in one line that an unbuilt clone needs a build, without a stack trace", async () => {
    const dir = installation("unbuilt");
    const ran = await run(process.execPath, [join(dir, "bin", "gatehouse.js"), "--version"], {
      cwd: dir,
    });
    expect(ran.status).toBe(2);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toBe(
      `gatehouse: this copy in ${dir} is not built (it has no lib/). In a clone of gatehouse, run 'npm ci && npm run build' there; to install gatehouse, install the package that 'npm pack' makes ('npm install -g gatehouse-<version>.tgz').\n`,
    );
  });

  it("names a missing dependency instead of printing ERR_MODULE_NOT_FOUND", async () => {
    const dir = installation("no-dependencies", {
      "lib/cli/run.js": 'import "yaml";\n',
    });
    const ran = await run(process.execPath, [join(dir, "bin", "gatehouse.js"), "--version"], {
      cwd: dir,
    });
    expect(ran.status).toBe(2);
    expect(ran.stderr).toBe(
      `gatehouse: 'yaml' is missing from this installation in ${dir}; run 'npm ci' there (in a clone) or install gatehouse again.\n`,
    );
    expect(ran.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
  });
});

describe("scripts/build.js --if-stale", () => {
  let project: string;
  const build = () =>
    run(process.execPath, [join(project, "scripts", "build.js"), "--if-stale"], { cwd: project });
  const mtime = (path: string) => statSync(join(project, path)).mtimeMs;

  beforeAll(() => {
    // A project of two small sources built with gatehouse's own compiler settings.
    project = join(tmp, "project");
    mkdirSync(join(project, "scripts"), { recursive: true });
    mkdirSync(join(project, "src"));
    for (const file of ["scripts/build.js", "tsconfig.json", "tsconfig.build.json"]) {
      copyFileSync(join(ROOT, file), join(project, file));
    }
    symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"), "dir");
    writeFileSync(join(project, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(project, "src", "index.ts"), "export const answer: number = 41;\n");
    writeFileSync(join(project, "src", "old.ts"), "export const old = true;\n");
  });

  it("builds lib/ when there is none", async () => {
    const first = await build();
    expect(first.status, first.stdout).toBe(0);
    expect(first.stderr).toBe(
      "gatehouse: building lib/ from src/ (the first run only; later ones start at once) …\n",
    );
    expect(readFileSync(join(project, "lib", "index.js"), "utf8")).toContain("41");
  }, 120_000);

  it("leaves a current lib/ alone", async () => {
    const before = mtime("lib/index.js");
    expect(await build()).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(mtime("lib/index.js")).toBe(before);
  });

  it("rebuilds from scratch when a source changed, dropping what a deleted source built", async () => {
    writeFileSync(join(project, "src", "index.ts"), "export const answer: number = 42;\n");
    rmSync(join(project, "src", "old.ts"));
    const again = await build();
    expect(again.status, again.stdout).toBe(0);
    expect(again.stderr).toContain("src/ changed since lib/ was built; building lib/");
    expect(readFileSync(join(project, "lib", "index.js"), "utf8")).toContain("42");
    expect(existsSync(join(project, "lib", "old.js"))).toBe(false);
  }, 120_000);

  it("never rebuilds an installed package, which has lib/ but no src/", async () => {
    const installed = join(tmp, "installed");
    mkdirSync(join(installed, "scripts"), { recursive: true });
    mkdirSync(join(installed, "lib"));
    copyFileSync(join(ROOT, "scripts/build.js"), join(installed, "scripts/build.js"));
    writeFileSync(join(installed, "lib", "index.js"), "export {};\n");
    const ran = await run(
      process.execPath,
      [join(installed, "scripts", "build.js"), "--if-stale"],
      {
        cwd: installed,
      },
    );
    expect(ran).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(readFileSync(join(installed, "lib", "index.js"), "utf8")).toBe("export {};\n");
  });
});
