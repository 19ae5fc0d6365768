/** Running npm and gatehouse's own files as a new user meets them, for the installation tests. */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What a command printed and how it ended; never throws for a non-zero status. */
export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export async function run(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      status: typeof e.code === "number" ? e.code : -1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? String(error),
    };
  }
}

/**
 * An environment for npm that reads no user or global configuration and keeps its cache in
 * `home`: what the test's npm does depends on nothing of the machine's own npm set-up (the
 * `npm_*` variables `npm test` exports are dropped too).
 */
export function isolatedNpmEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  mkdirSync(home, { recursive: true });
  const npmrc = join(home, "npmrc");
  const global = join(home, "global-npmrc");
  writeFileSync(npmrc, "");
  writeFileSync(global, "");
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    npm_config_userconfig: npmrc,
    npm_config_globalconfig: global,
    npm_config_cache: join(home, "cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

/** npm as the test's own npm: the one running `npm test` when there is one. */
export function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /\.[cm]?js$/.test(cli)
    ? run(process.execPath, [cli, ...args], { cwd, env })
    : run("npm", args, { cwd, env });
}

/**
 * The files a fresh clone of the working tree has (tracked, plus new files git does not
 * ignore; no lib/, no node_modules), copied to `dir`, with the project's node_modules linked in
 * as `npm ci` would have filled it.
 */
export function freshClone(dir: string): void {
  const listed = execFileSync(
    "git",
    ["-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { encoding: "utf8" },
  );
  for (const path of listed.split("\0")) {
    if (path === "" || !existsSync(join(ROOT, path))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path));
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}
