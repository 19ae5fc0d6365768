/**
 * `gatehouse check --now` over a real repository: a deployment pull request under a scheduled
 * change passes inside its window and is refused on either side of it. The verdict holds only
 * while the window does, and `--now` reproduces each side.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { TempRepo } from "../git/temp-repo.js";
import { changeRecord, WINDOW } from "../core/deploy/pack-snapshot.js";
import { captureIO } from "./capture-io.js";
import { as, contextFile, governedRepo } from "./governed-repo.js";

describe("gatehouse check on a deployment pull request", () => {
  let repo: TempRepo;
  let scratch: string;
  let context: string;

  beforeAll(async () => {
    repo = await governedRepo();
    repo.write({ "changes/CHG-2026-0001.yaml": stringify(changeRecord("CHG-2026-0001")) });
    repo.commit("CHG-2026-0001: scheduled", as("li-na"));
    repo.git("checkout", "-q", "-b", "deploy-gateway");
    repo.write({ "deploy/production/payments/app.yaml": "image: gateway:4.2.0\n" });
    repo.commit("Deploy the gateway 4.2.0", as("example-li-na"));
    scratch = mkdtempSync(join(tmpdir(), "gatehouse-deploy-"));
    context = contextFile(
      scratch,
      "context.yml",
      "author: example-li-na\napprovals: [{ user: zhao-min }]\nbody: |\n  Deploy the gateway.\n  Change: CHG-2026-0001\n",
    );
  });
  afterAll(() => {
    repo.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each<[string, string, number, RegExp]>([
    [
      "inside the window",
      "2026-11-26T22:30:00+08:00",
      0,
      /production: deploy\/production\/payments\/app.yaml under CHG-2026-0001 \(window 2026-11-26 22:00–23:30 \(Asia\/Shanghai\)\), executed by example-li-na/,
    ],
    ["before it opens", "2026-11-26T21:00:00+08:00", 1, /opens at 2026-11-26 22:00/],
    ["once it closed", WINDOW.end, 1, /closed at 2026-11-26 23:30/],
  ])("%s (--now %s) exits %i", async (_name, now, status, text) => {
    const io = captureIO(repo.dir);
    const code = await main(["check", "--context", context, "--now", now, "--format", "json"], io);
    expect(io.err()).toBe("");
    expect(code).toBe(status);
    expect(io.out()).toMatch(text);
  });
});
