/** The demo's last lines tell the reader how to replay it in the words they started it with. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoEnding } from "../../src/cli/demo/run-demo.js";
import { findPackageRoot } from "../../src/cli/package-root.js";

const DIR = "/tmp/gatehouse-demo-abc123";
const NPM = { npm_lifecycle_event: "demo" };

describe("the end of the demo", () => {
  it("tells an installed gatehouse's user to run gatehouse demo --keep", () => {
    expect(demoEnding(DIR, false, {})).toBe(
      `The demo repository ${DIR} was removed; run 'gatehouse demo --keep' to keep it and replay any step.\n`,
    );
  });

  it("tells someone who ran npm run demo in a clone to pass --keep through npm", () => {
    expect(demoEnding(DIR, false, NPM)).toContain("run 'npm run demo -- --keep' to keep it");
  });

  it("names the node command that stands for gatehouse when the demo ran from a clone", () => {
    const bin = join(findPackageRoot(), "bin", "gatehouse.js");
    const kept = demoEnding(DIR, true, NPM);
    expect(kept).toContain(`The demo repository is kept at ${DIR};`);
    expect(kept).toContain(
      `with 'node ${bin}' for 'gatehouse':\n  cd ${DIR} && node ${bin} check …\n`,
    );
    expect(demoEnding(DIR, true, {})).not.toContain("node ");
    expect(demoEnding(DIR, true, {})).toContain("(the context files are in .gatehouse-demo/).\n");
  });
});
