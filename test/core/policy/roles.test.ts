import { describe, expect, it } from "vitest";
import type { RolesPolicy } from "../../../src/core/policy/model.js";
import { parseMember, parseRoles } from "../../../src/core/policy/parse-roles.js";
import { roleHolders, rolesOf } from "../../../src/core/policy/roles.js";

const at = { path: "policies/roles.yml", line: 1, column: 1 };
const roles: RolesPolicy = {
  roles: new Map([
    ["qa", { id: "qa", members: [parseMember("@acme/QA"), parseMember("@Zhao-Min")], at }],
    ["release-manager", { id: "release-manager", members: [parseMember("@zhao-min")], at }],
    ["ops-lead", { id: "ops-lead", members: [parseMember("@acme/ops")], at }],
    ["architect", { id: "architect", members: [], at }],
  ]),
  separationOfDuties: [],
};
const teams = { "acme/qa": ["Li-Na", "chen-jie"], "ACME/Ops": ["wang-jun"] };

describe("roleHolders", () => {
  it.each([
    ["qa", ["li-na", "chen-jie", "zhao-min"]],
    ["release-manager", ["zhao-min"]],
    ["ops-lead", ["wang-jun"]], // team names compare case-insensitively
    ["architect", []],
    ["no-such-role", []],
  ])("%s is held by %j", (role, holders) => {
    expect([...roleHolders(roles, role, teams)].sort()).toEqual([...holders].sort());
  });

  it("finds no team members when the snapshot does not list the team", () => {
    expect([...roleHolders(roles, "ops-lead", {})]).toEqual([]);
  });
});

describe("rolesOf", () => {
  it.each([
    ["zhao-min", ["qa", "release-manager"]],
    ["ZHAO-MIN", ["qa", "release-manager"]], // logins are case-insensitive
    ["li-na", ["qa"]],
    ["wang-jun", ["ops-lead"]],
    ["stranger", []],
  ])("%s holds %j", (login, held) => {
    expect([...rolesOf(roles, login, teams)].sort()).toEqual(held);
  });
});

describe("parseMember", () => {
  it.each([
    ["@Zhang-Wei", { login: "zhang-wei" }],
    ["@acme/Architects", { team: "acme/architects" }],
  ])("reads %s", (text, member) => {
    expect(parseMember(text)).toEqual(member);
  });
});

describe("what roles.yml messages suggest", () => {
  const rolesFile = (members: string) => `version: 1\nroles:\n  qa:\n    members: ${members}\n`;

  it.each([
    ['"@alice"', '["@alice"]'],
    ['"@acme/qa"', '["@acme/qa"]'],
  ])("suggests a list for members: %s that is valid YAML when pasted", (written, suggested) => {
    const { findings } = parseRoles("policies/roles.yml", rolesFile(written));
    expect(findings.map((f) => f.message)).toEqual([
      `roles.qa.members must be a list; found ${written}; write it as a list: ${suggested}`,
    ]);
    const pasted = parseRoles("policies/roles.yml", rolesFile(suggested));
    expect(pasted.findings).toEqual([]);
    expect(pasted.roles?.roles.get("qa")?.members).toEqual([parseMember(JSON.parse(written))]);
  });

  it("says to quote a member written as [@alice], which YAML cannot read", () => {
    const { findings } = parseRoles("policies/roles.yml", rolesFile("[@alice]"));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 4, column: 15 });
    expect(findings[0]!.message).toBe(
      'a value cannot start with @ unless it is quoted; put it in double quotes, as in members: ["@alice"]',
    );
  });
});
