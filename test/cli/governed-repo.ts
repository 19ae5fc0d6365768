import { writeFileSync } from "node:fs";
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
