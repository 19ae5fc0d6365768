/**
 * gatehouse installed as a new user installs it: `npm pack` in a fresh clone, then
 * `npm install -g` of the tarball into an empty prefix and `npx gatehouse` in an empty project.
 *
 * No network: the dependencies come from a registry on 127.0.0.1 that serves the packages of the
 * project's own node_modules at the versions package-lock.json pinned (test/cli/local-registry).
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { startLocalRegistry, type LocalRegistry } from "./local-registry.js";
import { TEAM } from "./governed-repo.js";
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
      "# yaml-language-server: $schema=../schemas/workflows.schema.json\n" +
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

  it("takes a new team from an empty repository to a judged pull request, as the README says", async () => {
    // The README's adoption path, command for command: a change there must change this test.
    const readme = readFileSync(join(clone, "README.md"), "utf8");
    const block =
      /### From an empty repository to a judged pull request[\s\S]*?```sh\n([\s\S]*?)```/.exec(
        readme,
      )?.[1] ?? "";
    const commands = block
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(commands).toEqual([
      "git init -b main payments-changes && cd payments-changes",
      "gatehouse init",
      "gatehouse keys add --login wang-jun",
      "gatehouse validate",
      'git add -A && git commit -S -m "Adopt gatehouse"',
      "gatehouse hooks install",
      "git switch -c chg-1",
      'gatehouse new change --title "Payments gateway 4.2"',
      "gatehouse validate",
      'git add -A && git commit -S -m "CHG-2026-0001: requirements"',
      "gatehouse check --context context.yml",
    ]);

    // Wang Jun's machine: git signs with his SSH key, and nothing of the test machine leaks in.
    const home = join(tmp, "wang-jun");
    mkdirSync(home, { recursive: true });
    const key = join(home, "id_ed25519");
    execFileSync("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "wang.jun@bank.example",
      "-f",
      key,
    ]);
    writeFileSync(
      join(home, ".gitconfig"),
      `[user]\n\tname = Wang Jun\n\temail = wang.jun@bank.example\n\tsigningkey = ${key}.pub\n` +
        "[gpg]\n\tformat = ssh\n[commit]\n\tgpgsign = true\n[init]\n\tdefaultBranch = main\n",
    );
    const user = {
      ...env,
      HOME: home,
      GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
      GIT_CONFIG_NOSYSTEM: "1",
    };
    const repo = join(tmp, "payments-changes");
    const sh = async (command: string) => {
      const ran = await run("sh", ["-c", command], { cwd: repo, env: user });
      expect(ran.status, `${command}\n${ran.stdout}${ran.stderr}`).toBe(0);
      return ran;
    };
    const gatehouse = (args: string[]) => run(globalBin, args, { cwd: repo, env: user });

    expect(
      (await run("git", ["init", "-q", "-b", "main", repo], { cwd: tmp, env: user })).status,
    ).toBe(0);
    expect((await gatehouse(["init"])).status).toBe(0);
    // The team's people in place of the example members: Wang Jun writes requirements.
    const roles = parseDocument(readFileSync(join(repo, "policies/roles.yml"), "utf8"));
    for (const { login, role } of TEAM) roles.setIn(["roles", role, "members"], [`@${login}`]);
    roles.setIn(["roles", "requirements-liaison", "members"], ["@wang-jun"]);
    writeFileSync(join(repo, "policies/roles.yml"), String(roles));

    const added = await gatehouse(["keys", "add", "--login", "wang-jun"]);
    expect(added.status, added.stderr).toBe(0);
    expect(readFileSync(join(repo, "policies/keys/wang-jun.pub"), "utf8")).toContain(
      "wang.jun@bank.example",
    );
    const valid = await gatehouse(["validate"]);
    expect(valid.stdout).toBe("0 records and the policy are valid.\n");
    expect(valid.status).toBe(0);
    await sh('git add -A && git commit -q -S -m "Adopt gatehouse"');

    const hooks = await gatehouse(["hooks", "install"]);
    expect(hooks.status, hooks.stderr).toBe(0);
    await sh("git switch -q -c chg-1");
    const created = await gatehouse(["new", "change", "--title", "Payments gateway 4.2"]);
    expect(created.status, created.stderr).toBe(0);
    const path = created.stdout
      .trim()
      .split("\n")
      .pop()!
      .replace(/^.*?(changes\/\S+\.yaml).*$/, "$1");
    const record = parseDocument(readFileSync(join(repo, path), "utf8"));
    record.setIn(["requirements", "scope"], "Settle cross-border payments in CNY");
    writeFileSync(join(repo, path), String(record));
    const checked = await gatehouse(["validate"]);
    expect(checked.stdout).toBe("1 record and the policy are valid.\n");

    // The hook runs on this commit: it would stop it if the change held personal data.
    const committed = await sh('git add -A && git commit -q -S -m "CHG-2026-0001: requirements"');
    expect(committed.stderr).toContain("1 record and the policy are valid.");
    writeFileSync(join(repo, "context.yml"), "author: wang-jun\napprovals: [{ user: li-na }]\n");
    const verdict = await gatehouse(["check", "--context", "context.yml"]);
    expect(verdict.stdout, verdict.stderr).toContain("All requirements met");
    expect(verdict.stdout).toMatch(/signed by wang-jun's ed25519 key/);
    expect(verdict.status).toBe(0);
  }, 300_000);
});
