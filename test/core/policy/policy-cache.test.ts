import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  forgetLoadedPolicies,
  loadPolicy,
  policyDigest,
} from "../../../src/core/policy/load-policy.js";

const PACK = new URL("../../../policies/finance/", import.meta.url);

function financeFiles(extra: Array<[string, string]> = []): Map<string, string> {
  const files = new Map<string, string>(extra);
  for (const name of readdirSync(PACK)) {
    files.set(`policies/${name}`, readFileSync(new URL(name, PACK), "utf8"));
  }
  return files;
}

const RECORD: [string, string] = ["changes/CHG-2026-0001.yaml", "id: CHG-2026-0001\n"];

describe("policyDigest", () => {
  it.each<[string, Map<string, string>]>([
    ["ignores the order of the files", new Map([...financeFiles()].reverse())],
    ["ignores files outside the policies directory", financeFiles([RECORD])],
  ])("%s", (_name, files) => {
    expect(policyDigest(files)).toBe(policyDigest(financeFiles()));
  });

  it.each<[string, (files: Map<string, string>) => void]>([
    [
      "a policy file's content",
      (f) => f.set("policies/roles.yml", `${f.get("policies/roles.yml")}\n`),
    ],
    ["a new file under the policies directory", (f) => f.set("policies/keys/li-na.asc", "key")],
    ["the config", (f) => f.set(".github/gatehouse.yml", "codeowners: true\n")],
    ["the repository's CODEOWNERS", (f) => f.set(".github/CODEOWNERS", "* @a\n")],
    [
      "the policies directory the config names",
      (f) => f.set(".github/gatehouse.yml", "policies: rules\n"),
    ],
  ])("changes with %s", (_name, change) => {
    const files = financeFiles();
    change(files);
    expect(policyDigest(files)).not.toBe(policyDigest(financeFiles()));
  });

  it("follows the policies directory the config names", () => {
    const moved = new Map<string, string>([[".github/gatehouse.yml", "policies: rules\n"]]);
    for (const [path, text] of financeFiles())
      moved.set(path.replace(/^policies\//, "rules/"), text);
    const edited = new Map(moved).set("rules/roles.yml", "version: 1\n");
    expect(policyDigest(edited)).not.toBe(policyDigest(moved));
    expect(policyDigest(new Map(moved).set("policies/roles.yml", "x"))).toBe(policyDigest(moved));
  });
});

describe("loadPolicy memoised by digest", () => {
  it("gives the same load for the same policy files, even beside other record versions", () => {
    forgetLoadedPolicies();
    const first = loadPolicy(financeFiles());
    expect(first.ok).toBe(true);
    expect(loadPolicy(financeFiles([RECORD]))).toBe(first);
  });

  it("loads again when a policy file changes, so a broken policy is never judged by an old one", () => {
    forgetLoadedPolicies();
    expect(loadPolicy(financeFiles()).ok).toBe(true);
    const broken = financeFiles().set("policies/roles.yml", "version: 1\nroles: [\n");
    const load = loadPolicy(broken);
    expect(load.ok).toBe(false);
    expect(load.findings[0]).toMatchObject({ path: "policies/roles.yml", code: "yaml/syntax" });
  });

  it("gives a fresh load after the cache is forgotten, equal to the cached one", () => {
    const cached = loadPolicy(financeFiles());
    forgetLoadedPolicies();
    const fresh = loadPolicy(financeFiles());
    expect(fresh).not.toBe(cached);
    expect(fresh).toEqual(cached);
  });
});
