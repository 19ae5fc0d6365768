import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { CONFIG_PATH } from "../core/policy/load-config.js";
import { cloneTop } from "../git/refs.js";

/**
 * The governed repository a command works on: `--repo` when given; else, as git's own commands
 * do from any subfolder, the nearest folder from `cwd` up to the top of its clone that holds
 * gatehouse's configuration or policies, else the clone's top; outside a clone, `cwd` itself.
 * A new user who runs `gatehouse new change` inside `changes/` must not get
 * `changes/changes/CHG-….yaml`, nor a `validate` that finds no policy.
 */
export async function repositoryDir(cwd: string, given: string | undefined): Promise<string> {
  if (given !== undefined) return resolve(cwd, given);
  if (isGoverned(cwd)) return cwd;
  const top = await cloneTop(cwd);
  if (top === undefined) return cwd;
  // git names the top by its real path; walk up cwd as given (so that paths named relative to
  // it stay inside the answer) until a folder is the top or governed.
  for (let dir = cwd; dirname(dir) !== dir; dir = dirname(dir)) {
    if (isGoverned(dir) || (await realpath(dir)) === top) return dir;
  }
  return top;
}

function isGoverned(dir: string): boolean {
  return existsSync(join(dir, CONFIG_PATH)) || existsSync(join(dir, "policies"));
}
