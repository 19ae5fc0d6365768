import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CUSTOMER } from "../../src/cli/demo/records.js";
import { isResidentId } from "../../src/core/privacy/checks.js";
import { captureIO, type CapturedIO } from "./capture-io.js";

/** Every verdict of the story, numbered as the demo prints it, and the conclusion it must reach. */
const EXPECTED = [
  ["1", "gatehouse adopted", "exit 0"],
  ["2", "requirements provided", "success"],
  ["3", "architecture review provided", "success"],
  ["4", "deployment data provided", "success"],
  ["5", "test conclusion provided", "success"],
  ["6a", "change initiated (QA only)", "pending"],
  ["6b", "change initiated", "success"],
  ["7", "change scheduled", "success"],
  ["8a", "incident collected (refused: personal data)", "failure"],
  ["8b", "incident collected", "success"],
  ["9", "incident analysed", "success"],
  ["10", "analysis disputed", "success"],
  ["11", "dispute arbitrated", "success"],
  ["12", "improvement proposed", "success"],
  ["13", "improvement planned", "success"],
  ["14", "improvement approved", "success"],
  ["15", "refused: self-approval", "pending"],
  ["16", "refused: one person, two entries", "pending"],
  ["17", "refused: separation of duties", "pending"],
  ["18", "refused: deploying in the year-end freeze", "failure"],
  ["19", "refused: the executor initiated it", "pending"],
  ["20a", "deployed in its window (before its window)", "failure"],
  ["20b", "deployed in its window", "success"],
  ["21", "emergency change drafted", "success"],
  ["22", "emergency change authorised", "success"],
  ["23", "emergency fix deployed", "success"],
  ["24", "the emergency's review is overdue", "exit 1"],
  ["25", "the auditor's report", "exit 0"],
];
const STEPS = 25;

/** When the deployment chapter's verdicts are judged; the rest on the demo's Tuesday morning. */
const NOW: Record<string, string> = {
  "18": "2026-12-29T22:30:00+08:00",
  "19": "2026-11-26T22:30:00+08:00",
  "20b": "2026-11-26T22:30:00+08:00",
  "21": "2026-11-26T23:50:00+08:00",
  "22": "2026-11-26T23:50:00+08:00",
  "23": "2026-11-27T00:45:00+08:00",
};

/** The demo's prose with its line breaks undone, for sentences that wrap. */
const prose = (text: string) => text.replace(/\s+/g, " ");

/** Every `$ gatehouse check …` the demo printed, with the continuation lines joined. */
function checkCommands(out: string): string[][] {
  const joined = out.replace(/ \\\n +/g, " ");
  return [...joined.matchAll(/^ {2}\$ gatehouse (check .*)$/gm)].map((m) => m[1]!.split(" "));
}

/** The screens of the demo, keyed by step number: from one step's heading to the next rule. */
function screens(out: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of out.split(/^─+$/m).slice(1)) {
    const number = /^Step (\d+)\//m.exec(part)?.[1];
    if (number !== undefined) result.set(number, part.split(/^Summary$/m)[0]!);
  }
  return result;
}

describe("gatehouse demo", () => {
  let io: CapturedIO;
  let status: number;
  beforeAll(async () => {
    io = captureIO("/");
    status = await main(["demo"], io);
  }, 180_000);

  it("exits 0 because every step came out as the story expects", () => {
    expect(io.err()).toBe("");
    expect(status).toBe(0);
    expect(io.out()).toContain(
      `All ${EXPECTED.length} verdicts of the ${STEPS} steps came out as the story expects.`,
    );
  });

  it("reaches the expected conclusion at every step", () => {
    const summary = io.out().slice(io.out().lastIndexOf("Summary"));
    const rows = [
      ...summary.matchAll(/^\s+(\d+[ab]?) (.+?)\s{2,}(exit \d|\w+)\s+(exit \d|\w+)\s+[✓✗]$/gm),
    ].map((m) => [m[1], m[2], m[4]]);
    expect(rows).toEqual(EXPECTED);
  });

  it("numbers the steps as the summary does", () => {
    const headings = [...io.out().matchAll(/^Step (\d+)\/(\d+): /gm)];
    expect(headings.map((m) => m[1])).toEqual(
      Array.from({ length: STEPS }, (_, i) => String(i + 1)),
    );
    expect(new Set(headings.map((m) => m[2]))).toEqual(new Set([String(STEPS)]));
    for (const [step] of EXPECTED.filter(([step]) => /[ab]$/.test(step!))) {
      expect(io.out()).toMatch(new RegExp(`^  ${step}\\. `, "m"));
    }
  });

  it("fails the first collection on the customer's personal data, showing it only masked", () => {
    // The demo's values must be ones the detectors recognise, or the refusal would prove nothing.
    expect(isResidentId(CUSTOMER.residentId)).toBe(true);
    expect(CUSTOMER.mobile).toMatch(/^1[3-9]\d{9}$/);
    expect(io.out()).toMatch(
      /^ {4}incidents\/INC-2026-0001\.yaml:\d+:\d+ privacy\/cn-mobile .*139\*{4}5678/m,
    );
    expect(io.out()).toMatch(
      /^ {4}incidents\/INC-2026-0001\.yaml:\d+:\d+ privacy\/cn-id .*110105\*{8}1239/m,
    );
    expect(io.out()).toMatch(/✔ privacy: no personal data in 1 scanned file/);
  });

  it("never prints the customer's raw mobile number or resident ID", () => {
    expect(io.out()).not.toContain(CUSTOMER.mobile);
    expect(io.out()).not.toContain(CUSTOMER.residentId);
    expect(io.err()).not.toContain(CUSTOMER.mobile);
    expect(io.err()).not.toContain(CUSTOMER.residentId);
  });

  it("shows the check waiting for the release manager before her approval", () => {
    expect(prose(io.out())).toMatch(
      /6a\. With only zhao-min approving: pending \(Waiting for release-manager\)/,
    );
  });

  it("gives each refusal its reason", () => {
    expect(io.out()).toMatch(
      /requires\/qa: .*zhao-min holds qa but is the author of this pull request/,
    );
    expect(io.out()).toMatch(
      /security-admin#2: needs an approval from security-admin; guo-fang can give it; xu-ming already fills another security-admin entry/,
    );
    // The tree repeats that reason under each rule; the narrative says why, once.
    expect(prose(io.out())).toMatch(
      /Refusal 3: .*one person fills only one entry.*The tree names that one missing approval under each rule that asks for it/,
    );
    expect(io.out()).toMatch(
      /chen-jie approved CHG-2026-0001 as ops-lead in #7; ops-lead and release-manager may not be combined/,
    );
  });

  it("signs every commit with the people's throwaway keys, and the check verifies them", () => {
    expect(io.out()).not.toContain("ssh-keygen is not installed");
    expect(io.out()).toMatch(/signed by li-na's ed25519 key/);
    expect(io.out()).not.toMatch(/signatures: .*(not signed|unsigned|untrusted)/i);
  });

  it("prints the gatehouse check command and its context behind every verdict", () => {
    const commands = checkCommands(io.out());
    const verdicts = EXPECTED.filter(([, , conclusion]) => !conclusion!.startsWith("exit"));
    expect(commands).toHaveLength(verdicts.length);
    for (const [index, command] of commands.entries()) {
      const label = verdicts[index]![0]!.replace(/^\d+/, (n) => n.padStart(2, "0"));
      expect(command).toEqual([
        "check",
        "--base",
        expect.stringMatching(/^[0-9a-f]{7,}$/),
        "--head",
        expect.stringMatching(/^[0-9a-f]{7,}$/),
        "--now",
        NOW[label] ?? "2026-11-24T10:00:00+08:00",
        "--context",
        `.gatehouse-demo/step-${label}.yaml`,
      ]);
    }
    expect(io.out()).toMatch(
      /^ {4}context: author liu-yang; approvals li-na; the e-mails of 11 people$/m,
    );
    // Earlier acts are not in any context: the check reads them from the ledger.
    expect(io.out()).toMatch(
      /^ {4}context: author liu-yang; approvals chen-jie; the e-mails of 11 people$/m,
    );
  });

  it("folds the rules with nothing to judge in a passing verdict and keeps refusals in full", () => {
    const screen = screens(io.out());
    expect(screen.get("2")).toContain(
      "– skipped (nothing to judge): paths, owners, changes-requested, contributors",
    );
    expect(screen.get("2")).not.toMatch(/– paths: /);
    for (const refusal of ["15", "17"]) {
      expect(screen.get(refusal)).toContain("– paths: no path rule applies");
      expect(screen.get(refusal)).toContain("– contributors: every commit author is a known");
      expect(screen.get(refusal)).not.toContain("nothing to judge");
    }
    // The refused half of step 8 in full, its passing half folded.
    const [refused, passed] = screen.get("8")!.split(/^ {2}8b\. /m);
    expect(refused).toContain("– owners: no changed path has owners");
    expect(passed).toContain("– skipped (nothing to judge): paths, owners");
  });

  it("fits every step whose pull requests pass on one screen", () => {
    const passing = new Set(
      EXPECTED.filter(([, , c]) => c === "success" || c === "exit 0").map(([s]) => s),
    );
    const failing = new Set(EXPECTED.filter(([s]) => !passing.has(s)).map(([s]) => parseInt(s!)));
    const screen = screens(io.out());
    expect(screen.size).toBe(STEPS);
    for (const [number, text] of screen) {
      // The auditor's report is a document to read, not a verdict to take in at a glance.
      if (failing.has(Number(number)) || number === String(STEPS)) continue;
      expect(text.trim().split("\n").length, `step ${number}`).toBeLessThanOrEqual(32);
    }
  });

  it("opens with the adopted repository passing gatehouse validate", () => {
    const first = screens(io.out()).get("1")!;
    expect(first).toMatch(/^ {2}\$ gatehouse validate$/m);
    expect(first).toMatch(/^ {4}0 records and the policy are valid\.$/m);
    expect(first).toContain("→ exit 0, as the story expects.");
  });

  it("ends with the audit of the evidence its own merges wrote", () => {
    const last = screens(io.out()).get(String(STEPS))!;
    expect(last).toMatch(/^ {2}\$ gatehouse audit --now 2026-11-27T09:00:00\+08:00$/m);
    expect(last).toMatch(
      /Ledger refs\/notes\/gatehouse at [0-9a-f]{7}: 18 documents, 18 verified\./,
    );
    expect(last).toMatch(
      /all 17 governed commits \(since the ledger began on \S+, after [0-9a-f]{7}\) have evidence/,
    );
    // The deployment pull requests filed their executions under the changes they deployed.
    expect(last).toContain("executed: zhou-qiang as ops-lead (#20)");
    expect(last).toContain("executed: chen-jie as ops-lead (#23)");
    expect(last).toContain("no emergency change is overdue for its post-implementation review");
    expect(last).toMatch(
      /#7 +requested → scheduled +by li-na, merged by li-na \[document 7\]\n +approval chen-jie as ops-lead/,
    );
    expect(last).toContain(
      "All clear: the ledger verifies and every governed commit has evidence.",
    );
    expect(last).toContain("→ exit 0, as the story expects.");
  });

  it("deploys only under a scheduled change, in its window, with an executor who had no other hand in it", () => {
    const screen = screens(io.out());
    expect(prose(screen.get("18")!)).toContain(
      'closed at 2026-11-26 23:30, and production is in the freeze "year-end close" (2026-12-28 to 2027-01-04): no window opens before it ends',
    );
    expect(prose(screen.get("19")!)).toMatch(
      /li-na approved CHG-2026-0001 as release-manager in #6; the executor of a change may have no other hand in it/,
    );
    expect(prose(screen.get("20")!)).toContain(
      "the window 2026-11-26 22:00–23:30 (Asia/Shanghai) opens at 2026-11-26 22:00",
    );
    expect(screen.get("20")).toContain(
      "✔ All requirements met; holds until 2026-11-26 23:30 (Asia/Shanghai)",
    );
    expect(screen.get("20")).toContain(
      "production: deploy/production/payment-gateway/gateway.yaml under CHG-2026-0001 (window 2026-11-26 22:00–23:30 (Asia/Shanghai)), executed by zhou-qiang",
    );
    expect(screen.get("23")).toContain(
      "under CHG-2026-0002 (window 2026-11-27 00:30–01:30 (Asia/Shanghai)), executed by chen-jie",
    );
  });

  it("shows the emergency change's review overdue in the audit a week later", () => {
    const screen = screens(io.out()).get("24")!;
    expect(screen).toMatch(
      /^ {2}\$ gatehouse audit --record CHG-2026-0002 --now 2026-12-03T09:00:00\+08:00$/m,
    );
    expect(prose(screen)).toContain(
      "✖ CHG-2026-0002 (payment-gateway, still scheduled) was due to be closed by 2026-12-02 01:30 (Asia/Shanghai): its post-implementation review is overdue; qa and ops-manager close it",
    );
    expect(screen).toContain("Not clear: 1 overdue emergency review.");
  });

  it("removes its temporary repository unless asked to keep it", () => {
    const dir = /The demo repository (\S+) was removed/.exec(io.out())?.[1];
    expect(dir).toMatch(/gatehouse-demo-/);
    expect(existsSync(dir!)).toBe(false);
  });
});

describe("gatehouse demo --keep", () => {
  let io: CapturedIO;
  let dir: string;
  beforeAll(async () => {
    io = captureIO("/");
    expect(await main(["demo", "--keep"], io)).toBe(0);
    dir = /The demo repository is kept at (\S+);/.exec(io.out())?.[1] ?? "";
  }, 180_000);
  afterAll(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a repository that passes gatehouse validate", async () => {
    expect(dir).toMatch(/gatehouse-demo-/);
    const validate = captureIO(dir);
    expect(await main(["validate", "--repo", dir], validate)).toBe(0);
    expect(validate.out()).toBe("4 records and the policy are valid.\n");
  });

  it("replays a step with the command and context file it printed", async () => {
    const commands = checkCommands(io.out());
    const verdicts = EXPECTED.filter(([, , conclusion]) => !conclusion!.startsWith("exit"));
    // A pass, the refusal for personal data, and the refusal that rests on evidence.
    for (const step of ["2", "8a", "17"]) {
      const index = verdicts.findIndex(([s]) => s === step);
      const replay = captureIO(dir);
      const status = await main([...commands[index]!, "--format", "json"], replay);
      const conclusion = (JSON.parse(replay.out()) as { conclusion: string }).conclusion;
      expect(conclusion, `step ${step}`).toBe(verdicts[index]![2]);
      expect(status).toBe(conclusion === "success" ? 0 : 1);
    }
  });

  it("keeps each merge's evidence as a git note on its merge commit", () => {
    const notes = execFileSync(
      "git",
      ["-C", dir, "log", "--first-parent", "--show-notes=gatehouse", "--format=%s%n%N", "main"],
      { encoding: "utf8" },
    );
    expect(notes).toMatch(
      /^Merge pull request #7 from chg-1\/schedule\n\{"payloadType":"application\/vnd\.in-toto\+json"/m,
    );
    // The replayed refusal of step 17 above read #7's evidence from these notes, not its context.
    expect(
      execFileSync("cat", [`${dir}/.gatehouse-demo/step-17.yaml`], { encoding: "utf8" }),
    ).not.toContain("evidence");
  });

  it("keeps the context files out of git's view", () => {
    const status = execFileSync("git", ["-C", dir, "status", "--porcelain"], { encoding: "utf8" });
    expect(status).toBe("");
    expect(existsSync(`${dir}/.gatehouse-demo/step-17.yaml`)).toBe(true);
  });

  it("keeps the refused personal data out of every branch's history", () => {
    const history = execFileSync("git", ["-C", dir, "log", "-p", "--all"], { encoding: "utf8" });
    expect(history).toContain("INC-2026-0001: collect (desensitised)");
    expect(history).toContain("139****5678");
    expect(history).not.toContain(CUSTOMER.mobile);
    expect(history).not.toContain(CUSTOMER.residentId);
  });
});

describe("gatehouse demo --help", () => {
  it("tells the story to a reader who does not know where it comes from", async () => {
    const io = captureIO("/");
    expect(await main(["demo", "--help"], io)).toBe(0);
    const help = prose(io.out());
    expect(help).toContain("A bank keeps its change requests, production-incident analyses");
    expect(help).not.toMatch(/\btalk\b/);
    // The outline covers every step, in order, each range once.
    const ranges = [...io.out().matchAll(/^ {2}(\d+)(?:-(\d+))? {2,}\S/gm)].map((m) => [
      Number(m[1]),
      Number(m[2] ?? m[1]),
    ]);
    expect(ranges[0]![0]).toBe(1);
    expect(ranges.at(-1)![1]).toBe(STEPS);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]! + 1);
  });
});
