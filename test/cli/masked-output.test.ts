import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { main } from "../../src/cli/main.js";
import { changeRecord } from "../core/deploy/pack-snapshot.js";
import { captureIO } from "./capture-io.js";
import { as, CHANGE, contextFile, governedRepo } from "./governed-repo.js";
import type { TempRepo } from "../git/temp-repo.js";

/** Raw values a pull request can put into names that outputs quote: fields, states, files. */
const FIELD = "13800138000";
const STATE = "13900139000";
const FILE = "110101199003074573";

describe("no output of gatehouse prints a raw value", () => {
  let repo: TempRepo;
  let scratch: string;
  beforeEach(async () => {
    repo = await governedRepo();
    scratch = mkdtempSync(join(tmpdir(), "gatehouse-masked-"));
    repo.git("checkout", "-q", "-b", "chg-1");
    const record = CHANGE.replace("state: draft", `state: "${STATE}"`) + `"${FIELD}": called\n`;
    repo.write({ "changes/CHG-2026-0001.yaml": record, [`docs/${FILE}.md`]: "notes\n" });
    repo.commit("CHG-2026-0001", as("liu-yang"));
  });
  afterEach(() => {
    repo.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(["text", "json", "markdown"])("check --format %s", async (format) => {
    const context = contextFile(scratch, "ctx.yml", "author: liu-yang\n");
    const io = captureIO(repo.dir);
    const code = await main(["check", "--context", context, "--format", format], io);
    const written = io.out() + io.err();
    expect(code).toBe(1);
    for (const raw of [FIELD, STATE, FILE]) expect(written).not.toContain(raw);
    // The names did reach the output, masked: the unknown state and field are named.
    expect(written).toContain("139****9000");
    expect(written).toContain("138****8000");
  });

  it.each(["text", "json", "ics"])(
    "calendar --format %s shows a change's title masked",
    async (format) => {
      repo.write({
        "changes/CHG-2026-0002.yaml": stringify(
          changeRecord("CHG-2026-0002", { title: `Call back ${FIELD} after the switch` }),
        ),
      });
      repo.commit("scheduled", as("li-na"));
      const io = captureIO(repo.dir);
      const code = await main(
        ["calendar", "--from", "2026-11-24", "--to", "2026-12-31", "--format", format],
        io,
      );
      expect(code).toBe(0);
      expect(io.out()).toContain("Call back 138****8000 after the switch");
      expect(io.out()).not.toContain(FIELD);
    },
  );

  it("validate", async () => {
    const io = captureIO(repo.dir);
    const code = await main(["validate"], io);
    const written = io.out() + io.err();
    expect(code).toBe(1);
    for (const raw of [FIELD, STATE]) expect(written).not.toContain(raw);
    expect(written).toContain("139****9000");
  });

  it("an error that quotes a path", async () => {
    const io = captureIO(repo.dir);
    const code = await main(["scan", `missing/${FILE}.log`], io);
    expect(code).toBe(2);
    expect(io.err()).not.toContain(FILE);
    expect(io.err()).toContain("110101********4573");
  });

  it.each(["text", "json"])(
    "scan --format %s names a file whose name holds a value",
    async (format) => {
      repo.write({ [`incidents/${FIELD}.log`]: "nothing personal\n" });
      const io = captureIO(repo.dir);
      const code = await main(["scan", "incidents", "--format", format], io);
      expect(code).toBe(1);
      expect(io.out() + io.err()).not.toContain(FIELD);
      expect(io.out()).toContain("incidents/138****8000.log");
      expect(io.out()).toContain(
        format === "json" ? '"privacy/name/cn-mobile"' : "file name: cn-mobile",
      );
    },
  );

  it("scan --staged names a staged file whose name holds a value", async () => {
    repo.write({ [`incidents/${FIELD}.log`]: "nothing personal\n" });
    repo.git("add", "-A");
    const io = captureIO(repo.dir);
    const code = await main(["scan", "--staged"], io);
    expect(code).toBe(1);
    expect(io.out() + io.err()).not.toContain(FIELD);
    expect(io.out()).toContain("incidents/138****8000.log");
  });
});
