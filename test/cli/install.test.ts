/**
 * gatehouse installed as a new user installs it: `npm pack` in a fresh clone, then
 * `npm install -g` of the tarball into an empty prefix and `npx gatehouse` in an empty project.
 *
 * No network: the dependencies come from a registry on 127.0.0.1 that serves the packages of the
 * project's own node_modules at the versions package-lock.json pinned (test/cli/local-registry).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRegistry, type LocalRegistry } from "./local-registry.js";
import { freshClone, isolatedNpmEnv, npm, run, type Ran } from "./npm.js";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

describe("installing the gatehouse CLI from a fresh clone's npm pack", () => {
  let tmp: string;
  let clone: string;
  let tarball: string;
  let packed: string[];
  let registry: LocalRegistry;
  let env: NodeJS.ProcessEnv;
  let globalBin: string;
  let install: Ran;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "gatehouse-install-"));
    clone = join(tmp, "clone");
    freshClone(clone);
    env = isolatedNpmEnv(join(tmp, "home"));
    const pack = await npm(["pack", "--json", "--pack-destination", tmp], clone, env);
    expect(pack.status, pack.stderr).toBe(0);
    const [result] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarball = join(tmp, result!.filename);
    packed = result!.files.map((f) => f.path);
    registry = await startLocalRegistry(clone);
    env = { ...env, npm_config_registry: registry.url };
    install = await npm(
      ["install", "--global", "--prefix", join(tmp, "global"), tarball],
      tmp,
      env,
    );
    globalBin = join(tmp, "global", "bin", "gatehouse");
  }, 600_000);

  afterAll(async () => {
    await registry?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("packs the built lib/ with bin/, the policy pack and the templates, and no sources", () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        "bin/gatehouse.js",
        "lib/cli/run.js",
        "lib/cli/main.js",
        "lib/index.js",
        "policies/finance/roles.yml",
        "templates/change-request.yaml",
        "app.yml",
        "package.json",
      ]),
    );
    expect(packed.filter((path) => /^(src|test|bench|node_modules)\//.test(path))).toEqual([]);
  });

  it("installs globally with npm install -g and answers gatehouse --version", async () => {
    expect(install.status, `${install.stderr}\nmissing: ${registry.misses.join(", ")}`).toBe(0);
    const version = await run(globalBin, ["--version"], { cwd: tmp, env });
    expect(version).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("sets a repository up with gatehouse init from the installed package", async () => {
    const repo = join(tmp, "bank-repo");
    const init = await run(globalBin, ["init", repo], { cwd: tmp, env });
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    for (const path of [
      "policies/roles.yml",
      "policies/workflows.yml",
      ".github/gatehouse.yml",
      ".gatehouse/templates/change-request.yaml",
      "schemas/change-request.schema.json",
    ]) {
      expect(existsSync(join(repo, path)), path).toBe(true);
    }
    // What it wrote is the pack it ships, read from the installed package.
    expect(readFileSync(join(repo, "policies/workflows.yml"), "utf8")).toBe(
      readFileSync(join(clone, "policies/finance/workflows.yml"), "utf8"),
    );
  });

  it("prints help and exits 2 without a command, and suggests a command for a typo", async () => {
    const bare = await run(globalBin, [], { cwd: tmp, env });
    expect(bare.status).toBe(2);
    expect(bare.stdout).toMatch(/^Usage: gatehouse <command> \[options\]/);
    const typo = await run(globalBin, ["chek"], { cwd: tmp, env });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe(
      "gatehouse: unknown command 'chek'; did you mean 'check'? Run 'gatehouse --help' for the list.\n",
    );
  });

  it("runs as npx gatehouse in a project that installed the tarball", async () => {
    const project = join(tmp, "project");
    const local = await npm(["install", "--prefix", project, tarball], tmp, env);
    expect(local.status, local.stderr).toBe(0);
    const version = await npm(["exec", "--offline", "--", "gatehouse", "--version"], project, env);
    expect(version.stderr).toBe("");
    expect(version.stdout).toBe(`${VERSION}\n`);
  }, 300_000);

  it("starts from the clone without rebuilding lib/ when it is current", async () => {
    // `npm start` is "<build if stale> && probot run …"; the app itself needs GitHub, so run
    // the part before it, as npm would, and check that lib/ was left alone.
    const start = (
      JSON.parse(readFileSync(join(clone, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts.start!;
    const [prepare] = start.split(" && ");
    expect(prepare).toBe("node scripts/build.js --if-stale");
    const before = statSync(join(clone, "lib", "index.js")).mtimeMs;
    const again = await run(process.execPath, ["scripts/build.js", "--if-stale"], {
      cwd: clone,
      env,
    });
    expect(again).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(statSync(join(clone, "lib", "index.js")).mtimeMs).toBe(before);
  });
});
