/**
 * Deleting or corrupting history never loosens a rule: every way of tampering with the ledger
 * of a real repository either leaves the earlier act in force or fails the record, with the
 * reason. The pull request under test would pass if chen-jie's earlier act were forgotten.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- statements are edited as plain JSON */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CHG, CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { envelopeLine } from "../../src/core/evidence/dsse.js";
import { signStatement } from "../../src/core/evidence/sign.js";
import { node } from "../core/evaluate/fixtures.js";
import { branchCommit, evidenceKey, ledgerRepo, type LedgerRepo } from "./ledger-repo.js";
import {
  NOTES,
  blobText,
  editedDocument,
  indexPath,
  ledgerFiles,
  rewriteLedger,
  writeBlob,
} from "./tamper.js";

const EVIDENCE_NODE = `records/${CHG_PATH}/evidence`;

describe("tampering with the ledger", () => {
  let repo: LedgerRepo;
  let intact: string;
  let merge: string;

  beforeAll(async () => {
    repo = await ledgerRepo();
    branchCommit(repo, "schedule", "li-na", {
      [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)),
    });
    merge = await repo.merge(await repo.judge("schedule", "li-na", ["chen-jie"]), "li-na");
    branchCommit(repo, "cancel", "liu-yang", {
      [CHG_PATH]: yamlOf(changeAt.cancelled(DEMO_WINDOW)),
    });
    intact = repo.git("rev-parse", NOTES).trim();
  }, 60_000);
  beforeEach(() => void repo.git("update-ref", NOTES, intact));
  afterAll(() => repo.dispose());

  const replaceScheduleDocument = (text: (old: string) => string | Promise<string>) => async () => {
    const files = ledgerFiles(repo);
    const path = indexPath(files, CHG, 3);
    const replaced = writeBlob(repo, await text(blobText(repo, files.get(path)!)));
    rewriteLedger(repo, (f) => f.set(path, replaced));
  };
  const forgetChenJie = (statement: any) => {
    statement.predicate.acts = statement.predicate.acts.filter((a: any) => a.login !== "chen-jie");
  };

  it.each<[string, () => void | Promise<void>, RegExp]>([
    [
      "an act removed from the signed document",
      replaceScheduleDocument((old) => editedDocument(old, forgetChenJie)),
      /evidence #3 of CHG-2026-0001 has a signature by key \S+ that does not match its content: the document was edited after signing/,
    ],
    [
      "the document re-signed by a key the policy does not trust",
      replaceScheduleDocument(async (old) => {
        const statement = JSON.parse(
          Buffer.from(JSON.parse(old).payload, "base64").toString("utf8"),
        );
        forgetChenJie(statement);
        statement.predicate.writtenAt = new Date().toISOString();
        const { envelope } = await signStatement(statement, (await evidenceKey("mallory")).signer);
        return `${envelopeLine(envelope)}\n`;
      }),
      /evidence #3 of CHG-2026-0001 is signed by key \S+ which belongs to nobody in policies\/keys at the base commit; only keys in policies\/keys\/gatehouse-evidence\.asc sign evidence/,
    ],
    [
      "the document replaced by text that is no envelope",
      replaceScheduleDocument(() => "approved, honest\n"),
      /evidence #3 of CHG-2026-0001 is not JSON/,
    ],
    [
      "the document deleted from the record's index",
      () => rewriteLedger(repo, (f) => f.delete(indexPath(f, CHG, 3))),
      /CHG-2026-0001 at the base commit is a version that no evidence recorded/,
    ],
    [
      "every document of the record deleted from the index",
      () =>
        rewriteLedger(repo, (f) => {
          for (const path of [...f.keys()]) if (path.includes(`/${CHG}/`)) f.delete(path);
        }),
      /CHG-2026-0001 has no evidence in refs\/notes\/gatehouse, although the ledger lists every record from its start/,
    ],
    [
      "another document put in its place",
      () => rewriteLedger(repo, (f) => f.set(indexPath(f, CHG, 3), f.get(indexPath(f, CHG, 1))!)),
      /evidence #3 of CHG-2026-0001 says it is #1: it was moved in the ledger/,
    ],
    [
      "the whole ledger deleted",
      () => void repo.git("update-ref", "-d", NOTES),
      /CHG-2026-0001 has no evidence because this repository has no refs\/notes\/gatehouse/,
    ],
  ])("%s fails the record", async (_name, tamper, reason) => {
    await tamper();
    const cancel = await repo.judge("cancel", "liu-yang", ["chen-jie"]);
    expect(cancel.verdict.conclusion).toBe("failure");
    const evidence = node(cancel.verdict.rules, EVIDENCE_NODE);
    expect(evidence.status).toBe("failed");
    expect(evidence.reason).toMatch(reason);
  });

  it("removing the merge commit's note keeps the earlier act in force", async () => {
    repo.git(
      "-c",
      "user.name=mallory",
      "-c",
      "user.email=m@bank.example",
      "notes",
      "--ref=gatehouse",
      "remove",
      merge,
    );
    const cancel = await repo.judge("cancel", "liu-yang", ["chen-jie"]);
    expect(cancel.verdict.conclusion).toBe("pending");
    expect(cancel.verdict.summary).not.toBe("all requirements met");
    expect(
      node(cancel.verdict.rules, `records/${CHG_PATH}/requires/release-manager`).reason,
    ).toMatch(/chen-jie approved CHG-2026-0001 as ops-lead in #\d+/);
  });

  it("the intact ledger lets a release manager without earlier acts cancel", async () => {
    const cancel = await repo.judge("cancel", "liu-yang", ["li-na"]);
    expect(cancel.verdict.conclusion).toBe("success");
  });
});
