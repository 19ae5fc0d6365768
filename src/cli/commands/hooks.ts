import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { simpleGit } from "simple-git";
import { openRepository } from "../../git/refs.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import { HOOK_MARKER, HOOKS, hookCommands, hookScript, type HookName } from "../hook-scripts.js";
import { findPackageRoot } from "../package-root.js";
import { suggest } from "../suggest.js";

/** Where a hook that was there before gatehouse's is kept when `--force` replaces it. */
const BACKUP = ".before-gatehouse";

const ACTIONS = ["install", "uninstall"];

export const command: Command = {
  name: "hooks",
  summary: "Install git hooks that run gatehouse's checks before each commit and push",
  usage: "gatehouse hooks install|uninstall [--repo DIR] [--force]",
  details: `Actions:
  install      Write a pre-commit and a pre-push hook into the clone's hooks directory
               (core.hooksPath when set, else .git/hooks):
                 pre-commit  ${hookCommands("pre-commit").join(", then ")}
                 pre-push    ${hookCommands("pre-push").join(", then ")}
               so personal data is caught before it is committed, and what the gate
               would refuse before it is pushed. Running it again updates the hooks.
  uninstall    Remove the hooks gatehouse wrote (and put back any it replaced).

Options:
  --repo DIR   The clone (default: the current directory).
  --force      Replace a hook that is not gatehouse's; it is kept beside it as
               <hook>${BACKUP} (default: leave it and say what line to add to it).

The hooks run the gatehouse that installed them (or gatehouse on the PATH, or the clone's
node_modules/.bin/gatehouse when that one is gone; $GATEHOUSE, when set, names the command
to run). 'git commit --no-verify' or 'git push --no-verify' skips them once.

Exit status: 0 when every hook is in place, 1 when a hook that is not gatehouse's was left
alone, 2 for a usage error.`,
  options: { repo: { type: "string" }, force: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const [action, ...extra] = args.positionals;
    if ((action !== "install" && action !== "uninstall") || extra.length > 0) {
      const given = args.positionals.join(" ");
      const hint = action === undefined || extra.length > 0 ? "" : suggest(action, ACTIONS);
      throw new UsageError(
        `expects 'install' or 'uninstall'${action === undefined ? "" : `, not '${given}'`}${hint || "."}`,
      );
    }
    const root = await openRepository(resolve(io.cwd, (args.values.repo as string) ?? "."));
    const dir = await hooksDirectory(root);
    if (action === "uninstall") {
      let removed = 0;
      for (const name of HOOKS) {
        const path = join(dir, name);
        if (!(await ours(path))) continue;
        removed++;
        await rm(path);
        const restored = await rename(`${path}${BACKUP}`, path).then(
          () => true,
          () => false,
        );
        io.stdout.write(
          `Removed ${path}${restored ? ` and put back the hook it replaced` : ""}.\n`,
        );
      }
      if (removed === 0) io.stdout.write(`No gatehouse hook in ${dir}; nothing to remove.\n`);
      return EXIT.clear;
    }
    await mkdir(dir, { recursive: true });
    const script = join(findPackageRoot(), "bin", "gatehouse.js");
    let leftAlone = 0;
    for (const name of HOOKS) {
      const path = join(dir, name);
      const existing = await readFile(path, "utf8").catch(() => undefined);
      if (existing !== undefined && !existing.includes(HOOK_MARKER)) {
        if (args.values.force !== true) {
          leftAlone++;
          io.stderr.write(foreignHook(name, path));
          continue;
        }
        await rename(path, `${path}${BACKUP}`);
        io.stdout.write(`Kept the ${name} hook that was there as ${path}${BACKUP}.\n`);
      }
      await writeFile(path, hookScript(name, process.execPath, script));
      await chmod(path, 0o755);
      io.stdout.write(
        `${existing === undefined ? "Installed" : "Updated"} ${path}: ${hookCommands(name).join(", then ")}.\n`,
      );
    }
    return leftAlone > 0 ? EXIT.blocked : EXIT.clear;
  },
};

/** The hooks directory git uses for this clone: core.hooksPath when set, else .git/hooks. */
async function hooksDirectory(root: string): Promise<string> {
  const path = await simpleGit({ baseDir: root }).raw(["rev-parse", "--git-path", "hooks"]);
  return resolve(root, path.trim());
}

async function ours(path: string): Promise<boolean> {
  return (await readFile(path, "utf8").catch(() => "")).includes(HOOK_MARKER);
}

function foreignHook(name: HookName, path: string): string {
  const lines = hookCommands(name).map((c) => `  ${c} || exit 1\n`);
  return (
    `gatehouse hooks: ${path} exists and is not gatehouse's, so it was left as it is. ` +
    `Add these lines to it:\n${lines.join("")}` +
    `or run 'gatehouse hooks install --force' to replace it (it is kept as ${name}${BACKUP}).\n`
  );
}
