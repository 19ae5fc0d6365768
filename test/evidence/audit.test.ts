/**
 * `gatehouse audit` on a real repository with real notes: a clean chain verifies; each kind of
 * tampering is detected and located; a commit that changed a governed path without evidence is
 * listed; each record's story is told; the formats and the exit status follow the contract.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CHG, CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { main } from "../../src/cli/main.js";
import { envelopeLine } from "../../src/core/evidence/dsse.js";
import { signStatement } from "../../src/core/evidence/sign.js";
import { captureIO } from "../cli/capture-io.js";
import { branchCommit, evidenceKey, ledgerRepo, person, type LedgerRepo } from "./ledger-repo.js";
import {
  NOTES,
  blobText,
  editedDocument,
  ledgerFiles,
  rewriteLedger,
  writeBlob,
} from "./tamper.js";

let repo: LedgerRepo;
let intact: string;
let mainTip: string;
/** Merge commits by the sequence of their document: #2 trust key, #3 schedule, #4 cancel. */
const merges = new Map<number, string>();

async function audit(...args: string[]) {
  const io = captureIO(repo.dir);
  const status = await main(["audit", ...args], io);
  return { status, out: io.out(), err: io.err() };
}

const notePath = (commit: string) => `${commit.slice(0, 2)}/${commit.slice(2)}`;

beforeAll(async () => {
  repo = await ledgerRepo();
  merges.set(2, repo.git("rev-parse", "main").trim());
  branchCommit(repo, "schedule", "li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) });
  merges.set(3, await repo.merge(await repo.judge("schedule", "li-na", ["chen-jie"]), "li-na"));
  branchCommit(repo, "cancel", "liu-yang", { [CHG_PATH]: yamlOf(changeAt.cancelled(DEMO_WINDOW)) });
  merges.set(4, await repo.merge(await repo.judge("cancel", "liu-yang", ["li-na"]), "liu-yang"));
  repo.git("checkout", "-q", "main");
  intact = repo.git("rev-parse", NOTES).trim();
  mainTip = repo.git("rev-parse", "main").trim();
}, 90_000);
beforeEach(() => {
  repo.git("update-ref", NOTES, intact);
  repo.git("update-ref", "refs/heads/main", mainTip);
});
afterAll(() => repo.dispose());

describe("gatehouse audit of a clean ledger", () => {
  it("verifies the chain, finds every governed commit covered, and exits 0", async () => {
    const { status, out } = await audit();
    expect(status).toBe(0);
    expect(out).toContain("4 documents, 4 verified");
    expect(out).toContain(
      "every document is signed by an evidence key, sits on its commit and follows the one before it",
    );
    expect(out).toMatch(
      /all 3 governed commits \(since the ledger began on \S+, after [0-9a-f]{7}\) have evidence/,
    );
    expect(out).toContain("All clear: the ledger verifies and every governed commit has evidence.");
  });

  it("tells the record's story: transitions, pull requests, who approved in which role", async () => {
    const { out } = await audit("--record", CHG);
    expect(out).toContain(`${CHG} (ChangeRequest, ${CHG_PATH})`);
    expect(out).toMatch(/\d{4}-\d\d-\d\d {2}— {5}listed when the ledger began +\[document 1\]/);
    expect(out).toMatch(
      /#\d+ +requested → scheduled +by li-na, merged by li-na \[document 3\]\n +approval chen-jie as ops-lead/,
    );
    expect(out).toMatch(
      /#\d+ +scheduled → cancelled +by liu-yang, merged by liu-yang \[document 4\]/,
    );
    expect(out).toMatch(/approval li-na as release-manager/);
    expect(out).toContain("findings: none");
  });

  it.each([
    ["markdown", /^# gatehouse audit of /m],
    ["json", /"ok": true/],
    [
      "csv",
      /^kind,record,sequence,commit,pull_request,date,from,to,login,role,action,section,detail\r\n/,
    ],
  ])("writes the report as %s", async (format, shape) => {
    const { status, out } = await audit("--format", format);
    expect(status).toBe(0);
    expect(out).toMatch(shape);
  });

  it("lists every act as a CSV row", async () => {
    const { out } = await audit("--format", "csv", "--record", CHG);
    expect(out).toMatch(
      /^act,CHG-2026-0001,3,,\d+,\S+,requested,scheduled,chen-jie,ops-lead,approval,,\r$/m,
    );
  });

  it("shows its progress on a terminal's stderr", async () => {
    const io = captureIO(repo.dir);
    let err = "";
    const tty = { ...io, stderr: { write: (t: string) => (err += t), isTTY: true } };
    expect(await main(["audit"], tty)).toBe(0);
    expect(err).toMatch(/\rgatehouse audit: verifying documents 4\/4/);
  });
});

describe("gatehouse audit of a tampered ledger", () => {
  const document = (sequence: number) =>
    blobText(repo, ledgerFiles(repo).get(notePath(merges.get(sequence)!))!);
  const replaceNote = (sequence: number, text: string) =>
    rewriteLedger(repo, (f) => f.set(notePath(merges.get(sequence)!), writeBlob(repo, text)));

  it.each<[string, () => void | Promise<void>, RegExp]>([
    [
      "an edited document",
      () =>
        replaceNote(
          3,
          editedDocument(document(3), (s) => {
            s.predicate.acts = [];
          }),
        ),
      /✖ edited: #3 \(note of [0-9a-f]{7}, line 1\) has a signature by key \S+ that does not match its content: the document was edited after signing/,
    ],
    [
      "a deleted document",
      () =>
        rewriteLedger(repo, (f) => {
          for (const path of [...f.keys()]) {
            if (path === notePath(merges.get(3)!) || path.endsWith("/0000000003")) f.delete(path);
          }
        }),
      /✖ deleted: #3 is missing between #2 \(note of [0-9a-f]{7}\) and #4 \(note of [0-9a-f]{7}\): deleted from the ledger/,
    ],
    [
      "the newest document deleted",
      () =>
        rewriteLedger(repo, (f) => {
          for (const path of [...f.keys()]) {
            if (path === notePath(merges.get(4)!) || path.endsWith("/0000000004")) f.delete(path);
          }
        }),
      /✖ deleted: #4 is missing at the end: the tip says the ledger reaches #4, its documents end at #3/,
    ],
    [
      "a document moved to another commit's note",
      () => replaceNote(4, document(3)),
      /✖ moved: #3 \(note of [0-9a-f]{7}, line 1\) is about [0-9a-f]{7}, not the commit it annotates/,
    ],
    [
      "a foreign document",
      async () => {
        const statement = JSON.parse(
          Buffer.from(JSON.parse(document(3)).payload, "base64").toString("utf8"),
        );
        statement.predicate.writtenAt = new Date().toISOString();
        const { envelope } = await signStatement(statement, (await evidenceKey("mallory")).signer);
        replaceNote(3, `${envelopeLine(envelope)}\n`);
      },
      /✖ foreign: #3 \(note of [0-9a-f]{7}, line 1\) is signed by key \S+ which belongs to nobody in policies\/keys/,
    ],
    [
      "documents signed in another order",
      async () => {
        const statement = JSON.parse(
          Buffer.from(JSON.parse(document(4)).payload, "base64").toString("utf8"),
        );
        statement.predicate.previous = `sha256:${"1".repeat(64)}`;
        const { envelope } = await signStatement(statement, repo.key.signer);
        replaceNote(4, `${envelopeLine(envelope)}\n`);
      },
      /✖ reordered: #4 \(note of [0-9a-f]{7}\) does not follow #3 \(note of [0-9a-f]{7}\)/,
    ],
    [
      "an index entry that differs from its note",
      () =>
        rewriteLedger(repo, (f) => {
          const path = [...f.keys()].find((p) => p.endsWith(`/${CHG}/0000000003`))!;
          f.set(path, f.get(notePath(merges.get(2)!))!);
        }),
      /✖ index: index\/CHG-2026\/CHG-2026-0001\/0000000003 is not #3 \(note of [0-9a-f]{7}\): the index was edited/,
    ],
  ])("detects and locates %s, and exits 1", async (_name, tamper, problem) => {
    await tamper();
    const { status, out } = await audit();
    expect(status).toBe(1);
    expect(out).toMatch(problem);
    expect(out).toMatch(/Not clear: \d+ verification problems?/);
  });

  it("lists a commit that changed a governed path without evidence", async () => {
    repo.git("checkout", "-q", "main");
    repo.write({ [CHG_PATH]: yamlOf(changeAt.requested) });
    const pushed = repo.commit(
      "Put the change back, call 13912345678 if in doubt",
      person("wang-jun"),
    );
    const { status, out } = await audit();
    expect(status).toBe(1);
    expect(out).toMatch(/1 of 4 governed commits \(.*\) have no evidence:/);
    expect(out).toContain(`✖ ${pushed.slice(0, 7)}`);
    expect(out).toContain(CHG_PATH);
    // A commit message is shown masked: it may hold personal data.
    expect(out).not.toContain("13912345678");
    expect(out).toContain("Not clear: 1 commit without evidence.");
  });

  it("finds nothing missing before --since's date when the ledger is whole", async () => {
    const { status } = await audit("--since", "2999-01-01");
    expect(status).toBe(0);
  });
});

describe("gatehouse audit's usage", () => {
  it.each([
    [["--format", "xml"], "--format must be text, markdown, csv or json, not 'xml'."],
    [["--since", "yesterday"], "--since must be a date such as 2026-01-31"],
    [["--record", "../etc"], "--record must be a record id such as CHG-2026-0042"],
    // A mistyped id would audit nothing and print "All clear", which reads as a clean record.
    [
      ["--record", "CHG-2026-001"],
      "gatehouse audit: --record CHG-2026-001 names no record: it has no evidence, and no commit of main changed a record file of that name; did you mean 'CHG-2026-0001'? Run 'gatehouse audit --help'.",
    ],
    [
      ["--record", "INC-1999-0001"],
      "no commit of main changed a record file of that name; check the id.",
    ],
  ])("refuses %j with exit 2", async (args, message) => {
    const { status, err, out } = await audit(...args);
    expect(status).toBe(2);
    expect(err).toContain(message);
    expect(out).toBe("");
  });

  it("says how to fetch the notes when the clone has none", async () => {
    repo.git("update-ref", "-d", NOTES);
    const { status, out } = await audit();
    expect(out).toContain(
      "No evidence ledger: refs/notes/gatehouse does not exist here (fetch it: git fetch origin refs/notes/gatehouse:refs/notes/gatehouse).",
    );
    // Without a ledger, every governed commit lacks evidence.
    expect(status).toBe(1);
  });
});
