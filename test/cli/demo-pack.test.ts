import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { demoPack } from "../../src/cli/demo/demo-pack.js";
import { initFiles } from "../../src/cli/init-files.js";

const PEOPLE = [
  { login: "li-na", role: "release-manager" },
  { login: "chen-jie", role: "ops-lead" },
  { login: "chen-jie", role: "release-manager" },
];

describe("demoPack", () => {
  it("replaces the example members of the roles it is given and keeps the rest", async () => {
    const files = await initFiles("finance");
    const roles = parse(demoPack(files, PEOPLE, null).get("policies/roles.yml")!) as {
      roles: Record<string, { members: string[] }>;
      "separation-of-duties": string[][];
    };
    expect(roles.roles["release-manager"]?.members).toEqual(["@li-na", "@chen-jie"]);
    expect(roles.roles["ops-lead"]?.members).toEqual(["@chen-jie"]);
    const original = parse(files.get("policies/roles.yml")!) as typeof roles;
    expect(roles.roles.qa).toEqual(original.roles.qa);
    expect(roles["separation-of-duties"]).toEqual(original["separation-of-duties"]);
  });

  it("trusts the given keys and keeps signatures required", async () => {
    const files = await initFiles("finance");
    const keys = new Map([["li-na", "ssh-ed25519 AAAA li-na@bank.example\n"]]);
    const pack = demoPack(files, PEOPLE, keys);
    expect(pack.get("policies/keys/li-na.pub")).toBe("ssh-ed25519 AAAA li-na@bank.example\n");
    expect(pack.get("policies/workflows.yml")).toBe(files.get("policies/workflows.yml"));
    expect(parse(pack.get("policies/workflows.yml")!)).toMatchObject({
      signatures: { required: true },
    });
  });

  it("switches signatures off when nobody can sign (no ssh-keygen)", async () => {
    const files = await initFiles("finance");
    const pack = demoPack(files, PEOPLE, null);
    expect(parse(pack.get("policies/workflows.yml")!)).toMatchObject({
      signatures: { required: false },
    });
    expect([...pack.keys()].some((path) => path.endsWith(".pub"))).toBe(false);
  });
});
