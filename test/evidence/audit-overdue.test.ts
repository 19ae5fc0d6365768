/**
 * `gatehouse audit` names every emergency change of the default branch still open past the
 * pack's limit after its window (5 days): its post-implementation review is overdue. Judged at
 * `--now`, in every format, and it makes the audit exit 1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../cli/capture-io.js";
import { ledgerRepo, type LedgerRepo } from "./ledger-repo.js";

const EMERGENCY = "CHG-2026-0002";
const EMERGENCY_PATH = `changes/${EMERGENCY}.yaml`;
// Tuesday night in Shenzhen, inside the pack's production window; due five days later.
const WINDOW = { start: "2026-11-24T22:00:00+08:00", end: "2026-11-24T23:30:00+08:00" };
const BEFORE_DUE = "2026-11-29T23:00:00+08:00";
const AFTER_DUE = "2026-11-30T09:00:00+08:00";

let repo: LedgerRepo;

async function audit(...args: string[]) {
  const io = captureIO(repo.dir);
  const status = await main(["audit", ...args], io);
  return { status, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  // The emergency change was on main when the ledger began, scheduled and never closed.
  const emergency = {
    ...changeAt.scheduled(WINDOW),
    id: EMERGENCY,
    title: "Hotfix: settlement timeouts",
    type: "emergency",
  };
  repo = await ledgerRepo(undefined, { [EMERGENCY_PATH]: yamlOf(emergency) });
}, 90_000);
afterAll(() => repo.dispose());

describe("gatehouse audit and overdue emergency changes", () => {
  it("lists none before the review is due, and is all clear", async () => {
    const { status, out } = await audit("--now", BEFORE_DUE);
    expect(out).toContain("no emergency change is overdue for its post-implementation review");
    expect(status).toBe(0);
  });

  it("names the change once its review is overdue, and exits 1", async () => {
    const { status, out } = await audit("--now", AFTER_DUE);
    expect(out).toContain(
      `✖ ${EMERGENCY} (payment-gateway, still scheduled) was due to be closed by 2026-11-29 23:30 (Asia/Shanghai): its post-implementation review is overdue; qa and ops-manager close it`,
    );
    expect(out).toContain("Not clear: 1 overdue emergency review.");
    expect(status).toBe(1);
  });

  it("gives it a row in CSV and an entry in JSON", async () => {
    const csv = await audit("--now", AFTER_DUE, "--format", "csv");
    expect(csv.out).toContain(
      `overdue,${EMERGENCY},,,,2026-11-29T15:30:00.000Z,,scheduled,,qa ops-manager,,,post-implementation review due by 2026-11-29 23:30 (Asia/Shanghai) (window ended 2026-11-24T15:30:00.000Z)`,
    );
    const json = await audit("--now", AFTER_DUE, "--format", "json");
    expect(JSON.parse(json.out).overdue).toEqual([
      expect.objectContaining({
        id: EMERGENCY,
        state: "scheduled",
        due: "2026-11-29T15:30:00.000Z",
      }),
    ]);
  });

  it("leaves it out of another record's audit", async () => {
    const { out } = await audit("--now", AFTER_DUE, "--record", "CHG-2026-0001");
    expect(out).not.toContain(EMERGENCY);
  });

  it("refuses a --now without an offset", async () => {
    const { status, err } = await audit("--now", "2026-11-30T09:00");
    expect(status).toBe(2);
    expect(err).toContain("has no offset");
  });
});
