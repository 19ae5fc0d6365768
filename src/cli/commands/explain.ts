import { readFile, readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { renderMarkdown } from "../../core/report/render-markdown.js";
import { renderText } from "../../core/report/render-text.js";
import { verdictToJson } from "../../core/report/verdict-to-json.js";
import { explainPullRequest, parsePullRequestRef } from "../../github/explain-pull-request.js";
import { useColor } from "../color.js";
import type { Command } from "../command.js";
import { ConfigError, EXIT, UsageError } from "../errors.js";

const FORMATS = ["text", "json", "markdown"] as const;

export const command: Command = {
  name: "explain",
  summary: "Judge a pull request on GitHub, optionally under a local policy directory",
  usage:
    "gatehouse explain OWNER/REPO#N [--policy DIR] [--policies PATH] [--format text|json|markdown]",
  details: `Arguments:
  OWNER/REPO#N     The pull request, such as acme/payments#42, or its URL.

Options:
  --policy DIR     Judge under the policy files in DIR instead of those of the base branch,
                   to see what a policy change would do before it is merged.
  --policies PATH  Where the policy lives in the repository (default: policies).
  --format F       text (default), json or markdown (the check run's summary).

Environment:
  GITHUB_TOKEN     A token that can read the repository (GH_TOKEN works too).
  GHE_HOST         The host of a GitHub Enterprise Server, such as github.example.com.

Exit status: 0 all clear, 1 blocked, 2 usage or configuration error.`,
  options: {
    policy: { type: "string" },
    policies: { type: "string" },
    format: { type: "string" },
  },
  allowPositionals: true,
  async run(args, io) {
    const [target, ...extra] = args.positionals;
    const pull = target === undefined ? null : parsePullRequestRef(target);
    if (!pull || extra.length > 0) {
      throw new UsageError("name one pull request, such as acme/payments#42.");
    }
    const format = (args.values.format ?? "text") as string;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be text, json or markdown, not '${format}'.`);
    }
    const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
    if (!token) {
      throw new ConfigError(
        "GITHUB_TOKEN is not set; set it to a token that can read the repository (or use GH_TOKEN).",
      );
    }
    const policyDir = args.values.policy as string | undefined;
    const localPolicy =
      policyDir === undefined ? undefined : await readPolicyDir(resolve(io.cwd, policyDir));
    const { ProbotOctokit } = await import("probot");
    const host = io.env.GHE_HOST;
    const github = new ProbotOctokit({
      auth: { token },
      ...(host ? { baseUrl: `https://${host}/api/v3` } : {}),
    });
    const { verdict } = await explainPullRequest(github, pull, {
      ...(args.values.policies ? { policies: args.values.policies as string } : {}),
      ...(localPolicy ? { localPolicy } : {}),
    });
    const text =
      format === "json"
        ? JSON.stringify(verdictToJson(verdict), null, 2)
        : format === "markdown"
          ? renderMarkdown(verdict, {})
          : renderText(verdict, { color: useColor(io) });
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return verdict.conclusion === "success" ? EXIT.clear : EXIT.blocked;
  },
};

/** Every file under `dir`, by its path relative to `dir` with "/" separators. */
async function readPolicyDir(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    throw new ConfigError(`${dir} is not a directory gatehouse can read; pass --policy DIR.`);
  }
  const files = new Map<string, string>();
  for (const name of names.sort()) {
    files.set(relative(dir, name).split(sep).join("/"), await readFile(name, "utf8"));
  }
  return files;
}
