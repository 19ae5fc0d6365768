import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { demoPack } from "../../src/cli/demo/demo-pack.js";
import { initFiles } from "../../src/cli/init-files.js";
import { tempRepo, type TempRepo } from "../git/temp-repo.js";

export const PEOPLE = {
  "liu-yang": "requirements-liaison",
  "li-na": "release-manager",
  "zhao-min": "qa",
  "wang-jun": "dev-lead",
  "xu-ming": "security-admin",
  "guo-fang": "security-admin",
} as const;

export const as = (login: string) => ({ name: login, email: `${login}@bank.example` });

/**
 * A repository after `gatehouse init`, with the people above as role members. Signatures are
 * switched off in its copy of the pack: these tests are about the CLI, and signing has its own.
 */
export async function governedRepo(): Promise<TempRepo> {
  const repo = tempRepo("gatehouse-cli-");
  const people = Object.entries(PEOPLE).map(([login, role]) => ({ login, role }));
  const files = demoPack(await initFiles("finance"), people, null);
  repo.write(Object.fromEntries(files));
  repo.commit("Adopt gatehouse", as("xu-ming"));
  return repo;
}

export const CHANGE = `apiVersion: gatehouse/v1
kind: ChangeRequest
id: CHG-2026-0001
title: Upgrade the payment gateway
state: draft
type: normal
requirements:
  scope: Raise the connection limit.
  tickets: [REQ-1]
`;

/** Writes a context file into `dir` and returns its path. */
export function contextFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** One person for every role of the finance pack: a team that has adopted gatehouse. */
export const TEAM = [
  ...Object.entries(PEOPLE).map(([login, role]) => ({ login, role })),
  { login: "zhang-wei", role: "architect" },
  { login: "sun-li", role: "test-lead" },
  { login: "chen-jie", role: "ops-lead" },
  { login: "huang-lei", role: "dev-manager" },
  { login: "zhou-qiang", role: "ops-manager" },
];

/** A public SSH key (the private half was thrown away): enough for a keyring to hold a key. */
export const LI_NA_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDkaHp36oiQdxBS4XHjQNWYmkXJQDRF0pswmOEGsIAZv li-na@bank.example\n";

/**
 * What a team does right after `gatehouse init` in `dir`: its people replace the example members
 * of roles.yml, and a first key goes into policies/keys/.
 */
export function adopt(dir: string): void {
  const roles = new Map([
    ["policies/roles.yml", readFileSync(join(dir, "policies/roles.yml"), "utf8")],
  ]);
  const adopted = demoPack(roles, TEAM, new Map([["li-na", LI_NA_KEY]]));
  writeFileSync(join(dir, "policies/roles.yml"), adopted.get("policies/roles.yml")!);
  mkdirSync(join(dir, "policies/keys"), { recursive: true });
  writeFileSync(join(dir, "policies/keys/li-na.pub"), LI_NA_KEY);
}
