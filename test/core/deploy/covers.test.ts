import { describe, expect, it } from "vitest";
import { coversMatcher, globWithin } from "../../../src/core/deploy/covers.js";
import {
  environmentsOfPath,
  isDefaultDeploymentFile,
  loadDeployments,
} from "../../../src/core/deploy/load-deployments.js";
import { namedChanges } from "../../../src/core/deploy/named-changes.js";

describe("globWithin", () => {
  it.each<[string, string, boolean]>([
    ["deploy/production/certs/**", "deploy/*/certs/**", true],
    ["deploy/production/certs/gateway.pem", "deploy/*/certs/**", true],
    ["deploy/production/certs/*.pem", "deploy/*/certs/*", true],
    ["deploy/production/**", "deploy/*/certs/**", false],
    ["deploy/production/cert*/**", "deploy/*/certs/**", false],
    ["deploy/production/certs/**", "deploy/*/certs/*", false],
    ["deploy/**", "deploy/**", true],
    ["**", "deploy/**", false],
    ["deploy/production/{certs,db}/**", "deploy/*/certs/**", false],
    ["deploy/production/a/b/c/replicas.yaml", "deploy/**/replicas.yaml", true],
    ["deploy/production/payments/replicas.yaml", "deploy/*/*/replicas.yaml", true],
    ["deploy/production/payments/app.yaml", "deploy/*/*/replicas.yaml", false],
  ])("%s within %s: %s", (inner, outer, within) => {
    expect(globWithin(inner, outer)).toBe(within);
  });

  it("refuses globs deeper than its bound rather than recursing without end", () => {
    expect(globWithin(Array(100).fill("a").join("/"), "**")).toBe(false);
  });
});

describe("coversMatcher", () => {
  it("matches case-sensitively and covers nothing when empty", () => {
    const covers = coversMatcher(["deploy/production/payments/**"]);
    expect(covers("deploy/production/payments/app.yaml")).toBe(true);
    expect(covers("deploy/production/Payments/app.yaml")).toBe(false);
    expect(coversMatcher([])("deploy/production/payments/app.yaml")).toBe(false);
  });
});

describe("namedChanges", () => {
  it.each<[string, string[]]>([
    ["Change: CHG-2026-0042", ["CHG-2026-0042"]],
    ["intro\n- change:CHG-2026-0042, CHG-2026-0043\n", ["CHG-2026-0042", "CHG-2026-0043"]],
    ["> Change: CHG-2026-0042\nChange: CHG-2026-0042", ["CHG-2026-0042"]],
    ["This fixes CHG-2026-0042.", []],
    ["Changes: CHG-2026-0042", []],
    ["Change: chg-2026-0042", []],
  ])("%j names %j", (body, ids) => {
    expect(namedChanges(body)).toEqual(ids);
  });
});

describe("environmentsOfPath", () => {
  const roles = new Set(["ops-lead", "qa", "ops-manager"]);
  const { policy } = loadDeployments(
    "policies/deployments.yml",
    'version: 1\nenvironments:\n  production: ["argocd/prod/**"]\n',
    roles,
    "policies/roles.yml",
  );
  it.each<[string, string[]]>([
    ["deploy/production/app.yaml", ["production"]],
    ["Deploy/PRODUCTION/app.yaml", ["production"]],
    ["deploy/staging/a/b.yaml", ["staging"]],
    ["deploy/app.yaml", []],
    ["argocd/prod/payments.yaml", ["production"]],
    ["docs/deploy/production.md", []],
    ["./deploy/production/app.yaml", ["production"]],
    ["deploy/production/app\n.yaml", ["production"]],
    ["deploy/production/pay\u0000ments/\u001bapp.yaml", ["production"]],
    ["argocd/prod/pay\nments.yaml", ["production"]],
  ])("%j deploys to %j", (path, environments) => {
    expect(environmentsOfPath(path, policy!)).toEqual(environments);
  });

  it("finds deployment files by the default paths with control characters too", () => {
    expect(isDefaultDeploymentFile("deploy/production/app\n.yaml")).toBe(true);
    expect(isDefaultDeploymentFile("Deploy/Production/\u0007app.yaml")).toBe(true);
    expect(isDefaultDeploymentFile("docs/deploy.md")).toBe(false);
  });

  it.each<[string, string]>([
    ['version: 1\npaths: ["deploy/**/{environment}/x"]\n', "deployments/path"],
    ["version: 1\nexecutor: ops-leed\n", "policy/unknown-role"],
    ["version: 1\nstate: Scheduled\n", "deployments/schema"],
  ])("refuses %j", (text, code) => {
    const { policy: loaded, findings } = loadDeployments("p.yml", text, roles, "r.yml");
    expect(loaded).toBeNull();
    expect(findings.map((f) => f.code)).toContain(code);
  });
});
