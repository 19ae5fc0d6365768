/**
 * Synthetic evidence ledgers for the benchmarks: a real repository whose `main` holds one
 * commit per merge (each changing one of up to 2,000 change records), and a ledger of real,
 * signed documents for them (a baseline, then one per merge, chained as the App chains them),
 * written with one `git fast-import`. Also the documents alone, for the App's fake GitHub.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey } from "openpgp";
import { appendEntries, placeStatements, type Placed } from "../src/core/evidence/append.js";
import { baselineDrafts } from "../src/core/evidence/baseline.js";
import { draftStatement, gitBlobSha } from "../src/core/evidence/build-statement.js";
import { readSigningKey, signedLine, type SigningKey } from "../src/core/evidence/sign.js";
import { initFiles } from "../src/cli/init-files.js";
import { demoPack } from "../src/cli/demo/demo-pack.js";
import { CAST, DEPUTIES } from "../src/cli/demo/cast.js";

/** When the synthetic ledger's documents were written (fixed, so runs compare). */
const LEDGER_AT = 1_790_000_000_000;

export interface EvidenceKeyPair {
  signer: SigningKey;
  publicKey: string;
  /** Armored, as the App reads it from GATEHOUSE_EVIDENCE_KEY. */
  privateKey: string;
}

export async function benchKey(): Promise<EvidenceKeyPair> {
  const { privateKey, publicKey } = await generateKey({
    type: "curve25519",
    userIDs: [{ name: "gatehouse evidence", email: "gatehouse-evidence@bank.example" }],
    format: "armored",
    // Created before the ledger's fixed dates: a key cannot sign a document dated before it.
    date: new Date(LEDGER_AT - 86_400_000),
  });
  return { signer: await readSigningKey(privateKey), publicKey, privateKey };
}

const RECORDS = 2000;
const idOf = (i: number) => `CHG-2026-${String(i % RECORDS).padStart(4, "0")}`;
const pathOf = (i: number) => `changes/${idOf(i)}.yaml`;
const recordText = (i: number, version: number) =>
  `apiVersion: gatehouse/v1\nkind: ChangeRequest\nid: ${idOf(i)}\ntitle: Change ${i % RECORDS}\nstate: draft\ntype: normal\nrequirements:\n  scope: version ${version}\n`;

export interface SyntheticLedger {
  dir: string;
  /** Seconds spent signing and writing. */
  buildSeconds: number;
}

function git(dir: string, args: string[], input?: string): string {
  return execFileSync("git", args, {
    cwd: dir,
    input,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  });
}

/** A repository with `merges` merges on main and their ledger. */
export async function syntheticRepository(
  merges: number,
  key: EvidenceKeyPair,
): Promise<SyntheticLedger> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-ledger-"));
  git(dir, ["init", "-q", "-b", "main"]);
  const pack = demoPack(await initFiles("finance"), [...CAST, ...DEPUTIES], null);
  pack.set("policies/keys/gatehouse-evidence.asc", key.publicKey);
  const records = Math.min(merges, RECORDS);
  for (let i = 0; i < records; i++) pack.set(pathOf(i), recordText(i, 0));
  const stream: string[] = [];
  const when = 1_790_000_000;
  const commit = (mark: number, message: string, files: Map<string, string>, from?: number) => {
    stream.push(`commit refs/heads/main`, `mark :${mark}`);
    stream.push(`committer bench <bench@bank.example> ${when + mark} +0000`);
    stream.push(`data ${Buffer.byteLength(message)}`, message);
    if (from !== undefined) stream.push(`from :${from}`);
    for (const [path, text] of files) {
      stream.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(text)}`, text);
    }
    stream.push("");
  };
  commit(1, "Adopt gatehouse", pack);
  for (let i = 1; i <= merges; i++) {
    commit(i + 1, `Merge pull request #${i}`, new Map([[pathOf(i), recordText(i, i)]]), i);
  }
  git(dir, ["fast-import", "--quiet"], stream.join("\n") + "\n");
  const shas = git(dir, ["rev-list", "--first-parent", "--reverse", "main"]).trim().split("\n");
  const placed = await ledgerDocuments(merges, key.signer, shas, records);
  writeLedger(dir, placed);
  return { dir, buildSeconds: (performance.now() - started) / 1000 };
}

/** The signed documents of `merges` merges (their subjects `shas[1..]`, baseline at `shas[0]`). */
export async function ledgerDocuments(
  merges: number,
  signer: SigningKey,
  shas: string[],
  records: number,
): Promise<Placed[]> {
  const at = new Date(LEDGER_AT);
  const drafts = baselineDrafts({
    repository: "bench",
    baseRef: "main",
    commit: shas[0]!,
    records: Array.from({ length: records }, (_, i) => ({
      id: idOf(i),
      path: pathOf(i),
      blob: gitBlobSha(recordText(i, 0)),
    })),
    writtenAt: at,
  });
  for (let i = 1; i <= merges; i++) {
    const sha = shas[i]!;
    const path = pathOf(i);
    drafts.push(
      draftStatement(
        {
          repository: "bench",
          pullRequest: { number: i, author: "wang-jun" },
          baseRef: "main",
          merge: { sha, by: "li-na", at, commits: [sha] },
          check: { name: "gatehouse", id: i, conclusion: "success" },
          recordBlobs: new Map([[path, gitBlobSha(recordText(i, i))]]),
          writtenAt: at,
        },
        { base: { sha: shas[i - 1]!, files: new Map() }, head: { sha, files: new Map() } },
        {
          conclusion: "success",
          summary: "All requirements met",
          records: [{ path, kind: "ChangeRequest", id: idOf(i), from: "draft", to: "draft" }],
          rules: { id: "gatehouse", status: "satisfied", reason: "", children: [] },
          findings: [],
          acts: [
            {
              record: idOf(i),
              role: "dev-lead",
              login: "wang-jun",
              action: "consent",
              section: "/requirements",
            },
            { record: null, role: "owner", login: "li-na", action: "approval" },
          ],
        },
      ),
    );
  }
  const empty = { commit: null, tip: null, note: null, heads: new Map() };
  return placeStatements(drafts, empty, (statement) => signedLine(statement, signer));
}

/** Writes the documents as the ledger's one commit, with `git fast-import`. */
function writeLedger(dir: string, placed: Placed[]): void {
  const entries = appendEntries({ commit: null, tip: null, note: null, heads: new Map() }, placed);
  const marks = new Map<string, number>();
  const stream: string[] = [];
  for (const { text } of entries) {
    if (marks.has(text)) continue;
    const mark = marks.size + 1;
    marks.set(text, mark);
    stream.push("blob", `mark :${mark}`, `data ${Buffer.byteLength(text)}`, text);
  }
  stream.push(
    "commit refs/notes/gatehouse",
    "committer gatehouse <g@bank.example> 1790000000 +0000",
  );
  stream.push("data 17", "gatehouse ledger");
  for (const { path, text } of entries) stream.push(`M 100644 :${marks.get(text)} ${path}`);
  git(dir, ["fast-import", "--quiet"], stream.join("\n") + "\n\n");
}
