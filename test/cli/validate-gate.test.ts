/**
 * `gatehouse validate` before a push says what `gatehouse check` says after it: the same
 * refusals, with the same messages, for the working tree of a real clone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { changeAt, CHG_PATH, INC_PATH, incidentAt, yamlOf } from "../../src/cli/demo/records.js";
import type { TempRepo } from "../git/temp-repo.js";
import { captureIO } from "./capture-io.js";
import { adopt, as, contextFile, governedRepo } from "./governed-repo.js";

/** A window in the pack's year-end freeze, on a Tuesday night (inside the production window). */
const FROZEN = { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:00:00+08:00" };
const TOMORROW_NIGHT = { start: "2026-11-26T22:00:00+08:00", end: "2026-11-26T23:30:00+08:00" };
const NOW = "2026-11-24T10:00:00+08:00";
/** The requested change without its test conclusion. */
const untested = Object.fromEntries(
  Object.entries(changeAt.requested).filter(([key]) => key !== "testing"),
);

interface Scenario {
  /** Records on main before the change. */
  main: Record<string, string>;
  /** What the change writes. */
  change: Record<string, string>;
  /** A line validate prints and check lists among its findings (without the place). */
  refusal: RegExp;
}

const SCENARIOS: Array<[string, Scenario]> = [
  [
    "a change scheduled into a freeze",
    {
      main: { [CHG_PATH]: yamlOf(changeAt.requested) },
      change: { [CHG_PATH]: yamlOf(changeAt.scheduled(FROZEN)) },
      refusal: /the window falls in the freeze "year-end close" \(2026-12-28 to 2027-01-04\)/,
    },
  ],
  [
    "a change requested with a required section left empty",
    {
      main: { [CHG_PATH]: yamlOf({ ...untested, state: "draft" }) },
      change: { [CHG_PATH]: yamlOf({ ...untested, testing: { conclusion: null } }) },
      refusal: /\/testing/,
    },
  ],
  [
    "personal data in a new incident",
    {
      main: {},
      change: { [INC_PATH]: yamlOf(incidentAt.collectedRaw) },
      refusal: /mainland mobile number 139\*{4}5678/,
    },
  ],
  [
    "a record deleted",
    {
      main: { [CHG_PATH]: yamlOf(changeAt.requested) },
      change: {},
      refusal: /CHG-2026-0001 was deleted; records are never deleted/,
    },
  ],
];

describe("gatehouse validate refuses what the gate refuses", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await governedRepo();
    adopt(repo.dir);
    repo.commit("Our people hold the roles", as("xu-ming"));
  });
  afterEach(() => repo.dispose());

  it.each(SCENARIOS)("%s: before the push as check does after it", async (_name, scenario) => {
    if (Object.keys(scenario.main).length > 0) {
      repo.write(scenario.main);
      repo.commit("The records as they are", as("xu-ming"));
    }
    repo.git("checkout", "-q", "-b", "change");
    if (Object.keys(scenario.change).length === 0) repo.remove(CHG_PATH);
    repo.write(scenario.change);

    const before = captureIO(repo.dir);
    expect(await main(["validate", "--now", NOW], before)).toBe(1);
    const lines = before.out().trimEnd().split("\n");
    const refused = lines.filter((line) => scenario.refusal.test(line));
    expect(refused, before.out()).not.toEqual([]);

    // The same change, committed and judged by the gate.
    repo.commit("The change", as("li-na"));
    const context = contextFile(`${repo.dir}/.git`, "context.yml", "author: li-na\n");
    const after = captureIO(repo.dir);
    expect(
      await main(["check", "--context", context, "--now", NOW, "--format", "json"], after),
    ).toBe(1);
    const verdict = JSON.parse(after.out()) as {
      findings: Array<{ path: string; line: number; column: number; message: string }>;
      rules: unknown;
    };
    const gate = verdict.findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.message}`);
    // Each refusal validate printed for a place is one the gate lists, word for word.
    for (const line of refused.filter((l) => /^[^:\s]+:\d+:\d+ /.test(l))) {
      expect(gate, after.out()).toContain(line);
    }
    expect(
      [...gate, JSON.stringify(verdict.rules)].some((text) => scenario.refusal.test(text)),
    ).toBe(true);
  });

  it("passes what the gate would pass, short of approvals", async () => {
    repo.write({ [CHG_PATH]: yamlOf(changeAt.requested) });
    repo.commit("CHG-2026-0001 requested", as("xu-ming"));
    repo.write({ [CHG_PATH]: yamlOf(changeAt.scheduled(TOMORROW_NIGHT)) });
    const io = captureIO(repo.dir);
    const status = await main(["validate", "--now", NOW], io);
    expect(io.out()).toBe("1 record and the policy are valid.\n");
    expect(status).toBe(0);
  });

  it("finds personal data in every scanned file, not only in what changed", async () => {
    // On main already (before gatehouse guarded it, say): the gate would not look again.
    repo.write({ [INC_PATH]: yamlOf(incidentAt.collectedRaw) });
    repo.commit("An incident as the hotline logged it", as("xu-ming"));
    const io = captureIO(repo.dir);
    expect(await main(["validate"], io)).toBe(1);
    expect(io.out()).toMatch(
      /^incidents\/INC-2026-0001\.yaml:\d+:\d+ mainland mobile number 139\*{4}5678 /m,
    );
    expect(io.out()).not.toContain("13912345678");
  });

  it("says when the gate's rules could not apply, and still checks the files", async () => {
    const fresh = captureIO(repo.dir);
    repo.git("checkout", "-q", "--orphan", "unborn");
    expect(await main(["validate"], fresh)).toBe(0);
    expect(fresh.err()).toBe(
      "gatehouse validate: note: the repository has no commit yet, so the rules that judge a pull request were not applied; the files were checked on their own.\n",
    );
  });
});

describe("gatehouse validate and the signatures of your commits", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await governedRepo();
    adopt(repo.dir);
    const workflows = readFileSync(join(repo.dir, "policies/workflows.yml"), "utf8");
    repo.write({
      "policies/workflows.yml": workflows.replace(
        /(signatures:[\s\S]*?required:) false/,
        "$1 true",
      ),
    });
    repo.commit("Require signatures", as("xu-ming"));
  });
  afterEach(() => repo.dispose());

  it("reports a commit of the branch that is not signed, but not the changes not yet committed", async () => {
    repo.git("checkout", "-q", "-b", "change");
    repo.write({ [CHG_PATH]: yamlOf({ ...changeAt.requirements }) });
    const unsigned = repo.commit("CHG-2026-0001: requirements", as("li-na")).slice(0, 7);
    repo.write({ [CHG_PATH]: yamlOf({ ...changeAt.architecture }) });
    const io = captureIO(repo.dir);
    expect(await main(["validate", "--now", NOW], io)).toBe(1);
    const lines = io.out().trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^signatures/${unsigned}: the gate would refuse this: ${unsigned} .*not signed`),
      ),
    ]);
  });
});
