/**
 * Records and policy loading: how long parsing a record, loading the finance pack and matching
 * OWNERS take. A pull request touches a handful of records, so these bound the core's own cost.
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadPolicy } from "../src/core/policy/load-policy.js";
import { matchOwners } from "../src/core/policy/match-owners.js";
import { DEFAULT_CONFIG } from "../src/core/policy/model.js";
import type { OwnersEntry } from "../src/core/policy/model.js";
import { fillTemplate } from "../src/core/records/fill-template.js";
import { parseRecord } from "../src/core/records/parse-record.js";

function measure(label: string, runs: number, work: (i: number) => void): void {
  for (let i = 0; i < Math.min(50, runs); i++) work(i); // warm up the JIT and ajv
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) work(i);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / runs;
  console.log(`${label.padEnd(52)} ${micros.toFixed(1).padStart(9)} µs/op  (${runs} runs)`);
}

export async function run(): Promise<void> {
  const root = new URL("../", import.meta.url);
  const template = readFileSync(new URL("templates/change-request.yaml", root), "utf8");
  const record = fillTemplate(template, { id: "CHG-2026-0042", title: "Upgrade the gateway" });
  const invalid = record.replace("type: normal", "type: urgent").replace("risk:", "risc:");

  const pack = new Map<string, string>();
  const dir = new URL("policies/finance/", root);
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".yml") || name === "OWNERS") {
      pack.set(`policies/${name}`, readFileSync(new URL(name, dir), "utf8"));
    }
  }

  const at = { path: "policies/OWNERS", line: 1, column: 1 };
  const owners: OwnersEntry[] = Array.from({ length: 200 }, (_, i) => ({
    pattern: i % 3 === 0 ? `/services/svc-${i}/` : i % 3 === 1 ? `*.ext${i}` : `**/logs-${i}`,
    owners: [{ login: `owner-${i}` }],
    at,
  }));
  const paths = Array.from({ length: 1000 }, (_, i) => `services/svc-${i % 250}/src/file-${i}.ts`);

  measure("parseRecord, valid change request (template)", 2000, () => {
    parseRecord("changes/CHG-2026-0042.yaml", record, DEFAULT_CONFIG);
  });
  measure("parseRecord, invalid change request (2 findings)", 2000, () => {
    parseRecord("changes/CHG-2026-0042.yaml", invalid, DEFAULT_CONFIG);
  });
  measure("loadPolicy, finance pack", 300, () => {
    loadPolicy(pack);
  });
  measure("matchOwners, 200-line OWNERS, one path", 20000, (i) => {
    matchOwners(owners, paths[i % paths.length] ?? "");
  });
}
