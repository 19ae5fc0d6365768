import { describe, expect, it } from "vitest";
import { matchOwners, ownersGlobs } from "../../../src/core/policy/match-owners.js";
import type { OwnersEntry } from "../../../src/core/policy/model.js";

function entry(pattern: string, ...logins: string[]): OwnersEntry {
  return {
    pattern,
    owners: logins.map((login) => ({ login })),
    at: { path: "policies/OWNERS", line: 1, column: 1 },
  };
}

/** The example file of GitHub's CODEOWNERS documentation, one owner per line to tell them apart. */
const GITHUB_EXAMPLE: OwnersEntry[] = [
  entry("*", "global"),
  entry("*.js", "js-owner"),
  entry("*.go", "go-owner"),
  entry("*.txt", "txt-owner"),
  entry("/build/logs/", "logs-owner"),
  entry("docs/*", "docs-owner"),
  entry("apps/", "apps-owner"),
  entry("/docs/", "doctocat"),
  entry("/scripts/", "scripts-owner"),
  entry("**/logs", "any-logs-owner"),
  entry("/apps/", "octocat"),
  entry("/apps/github"),
  entry("/apps/billing/", "billing-owner"),
];

describe("matchOwners with GitHub's CODEOWNERS semantics", () => {
  it.each([
    ["README.md", "global"],
    ["src/index.js", "js-owner"],
    ["a/b/c/main.go", "go-owner"],
    ["notes.txt", "txt-owner"],
    ["build/logs/today.log", "any-logs-owner"], // "**/logs" comes later and wins
    ["docs/getting-started.md", "doctocat"], // "/docs/" comes later than "docs/*"
    ["docs/build-app/troubleshooting.md", "doctocat"],
    ["scripts/deploy.sh", "scripts-owner"],
    ["scripts/logs/x", "any-logs-owner"],
    ["deeply/nested/logs/x.txt", "any-logs-owner"],
    ["apps/web/index.html", "octocat"],
    ["nested/apps/web/index.html", "apps-owner"], // unanchored "apps/" matches at any depth
    ["apps/billing/invoice.ts", "billing-owner"],
    [".github/workflows/ci.yml", "global"], // dot files are matched too
  ])("%s is owned by %s", (path, owner) => {
    expect(matchOwners(GITHUB_EXAMPLE, path)?.owners).toEqual([{ login: owner }]);
  });

  it("lets a line without owners remove ownership", () => {
    const found = matchOwners(GITHUB_EXAMPLE, "apps/github/main.ts");
    expect(found?.pattern).toBe("/apps/github");
    expect(found?.owners).toEqual([]);
  });

  it.each([
    // pattern, path, matches
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false], // only direct children
    ["docs/*", "src/docs/a.md", false], // an inner slash anchors at the root
    ["/docs/", "docs/a/b/c.md", true],
    ["/docs/", "src/docs/a.md", false],
    ["docs", "src/docs/a.md", true], // a bare name matches a directory at any depth
    ["docs", "documentation/a.md", false],
    ["*.js", "deep/er/file.js", true],
    ["*.js", "file.jsx", false],
    ["/*.md", "README.md", true],
    ["/*.md", "docs/README.md", false],
    ["**/logs", "logs/a.txt", true],
    ["policies/**", "policies/keys/admin.asc", true],
    ["apps/", "apps", false], // a directory pattern does not own a file of that name
  ] as const)("%s matching %s is %s", (pattern, path, matches) => {
    expect(matchOwners([entry(pattern, "x")], path) !== undefined).toBe(matches);
  });

  it("returns nothing when no line matches", () => {
    expect(
      matchOwners([entry("/policies/", "admin")], "changes/CHG-2026-0042.yaml"),
    ).toBeUndefined();
  });

  it.each([
    ["*", ["**/*", "**/*/**/*"]],
    ["/docs/", ["docs/**/*"]],
    ["docs/*", ["docs/*"]],
    ["apps/", ["**/apps/**/*"]],
    ["**/logs", ["**/logs", "**/logs/**/*"]],
  ])("turns %s into the globs %j", (pattern, globs) => {
    expect(ownersGlobs(pattern)).toEqual(globs);
  });
});
