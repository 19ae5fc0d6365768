import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import type { Config } from "../core/policy/model.js";
import type { Finding } from "../core/types.js";
import { ConfigError } from "./errors.js";

/** The working tree's `.github/gatehouse.yml` (defaults when absent), with its findings. */
export async function loadRepositoryConfig(
  repo: string,
): Promise<{ config: Config; findings: Finding[]; text: string | undefined }> {
  const text = await readFile(join(repo, CONFIG_PATH), "utf8").catch(() => undefined);
  return { ...loadConfig(text), text };
}

/** Like {@link loadRepositoryConfig}, but an invalid configuration is a `ConfigError`. */
export async function readRepositoryConfig(repo: string): Promise<Config> {
  const { config, findings } = await loadRepositoryConfig(repo);
  const first = findings[0];
  if (first) {
    throw new ConfigError(
      `${first.path}:${first.line}:${first.column} ${first.message}; fix ${CONFIG_PATH} first.`,
    );
  }
  return config;
}
