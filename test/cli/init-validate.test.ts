import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./capture-io.js";
import { adopt } from "./governed-repo.js";

describe("gatehouse init and validate", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-init-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("sets up a fresh directory that then validates clean", async () => {
    const init = captureIO(dir);
    expect(await main(["init"], init)).toBe(0);
    for (const path of [
      "policies/roles.yml",
      "policies/workflows.yml",
      "policies/OWNERS",
      ".gatehouse/templates/change-request.yaml",
      "schemas/change-request.schema.json",
      ".github/gatehouse.yml",
      ".github/pull_request_template.md",
      "changes/.gitkeep",
      "incidents/.gitkeep",
      "improvements/.gitkeep",
      "policies/keys/README.md",
    ]) {
      expect(existsSync(join(dir, path)), path).toBe(true);
      expect(init.out()).toContain(`  ${path}\n`);
    }
    expect(init.out()).toContain("Next steps:");
    // Editors resolve the schema comment relative to the file: from .gatehouse/templates/ up two.
    expect(readFileSync(join(dir, ".gatehouse/templates/change-request.yaml"), "utf8")).toContain(
      "$schema=../../schemas/change-request.schema.json",
    );
    const schema = JSON.parse(
      readFileSync(join(dir, "schemas/change-request.schema.json"), "utf8"),
    );
    expect(schema).toMatchObject({ properties: { kind: { const: "ChangeRequest" } } });

    // As written, the pack's example members hold the roles and no key is trusted.
    const fresh = captureIO(dir);
    expect(await main(["validate"], fresh)).toBe(1);
    expect(fresh.out()).toContain(
      "policies/roles.yml:14:15 @example-liu-yang is one of the example members 'gatehouse init' wrote; replace it with the GitHub login (@login) or team (@org/team) of your requirements-liaison\n",
    );
    expect(fresh.out()).toMatch(
      /^policies\/workflows\.yml:\d+:\d+ signatures are required, but policies\/keys\/ holds no public key, so every commit would fail the gate; add each signer's key there with 'gatehouse keys add' /m,
    );

    adopt(dir);
    const validate = captureIO(dir);
    expect(await main(["validate"], validate)).toBe(0);
    expect(validate.out()).toBe("0 records and the policy are valid.\n");
    expect(validate.err()).toBe("");
  });

  it("creates the keys/ directory its help promises, with a README on what goes in it", async () => {
    const help = captureIO("/");
    expect(await main(["init", "--help"], help)).toBe(0);
    expect(help.out()).toContain("keys/");
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    const readme = readFileSync(join(dir, "policies/keys/README.md"), "utf8");
    expect(readme).toContain("<login>.asc");
    expect(readme).toContain("<login>.pub");
  });

  it("writes a pull-request template that promises no deployment rule gatehouse lacks", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    const template = readFileSync(join(dir, ".github/pull_request_template.md"), "utf8");
    expect(template).toContain("Change: CHG-YYYY-NNNN");
    expect(template).not.toMatch(/may only\s+change/);
    expect(template).not.toMatch(/its `covers` match/);
  });

  it("validates records that gatehouse new wrote from the installed templates", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    adopt(dir);
    for (const kind of ["change", "incident", "improvement"]) {
      expect(await main(["new", kind, "--title", `A ${kind}`], captureIO(dir))).toBe(0);
    }
    const validate = captureIO(dir);
    expect(await main(["validate", "--repo", dir], validate)).toBe(0);
    expect(validate.out()).toBe("3 records and the policy are valid.\n");
  });

  it("reports two records that carry one id, each naming the other", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    adopt(dir);
    expect(await main(["new", "change", "--title", "First"], captureIO(dir))).toBe(0);
    const id = `CHG-${new Date().getUTCFullYear()}-0001`;
    const text = readFileSync(join(dir, `changes/${id}.yaml`), "utf8");
    mkdirSync(join(dir, "changes/older"));
    writeFileSync(join(dir, `changes/older/${id}.yml`), text);
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(1);
    expect(io.out()).toBe(
      `changes/${id}.yaml:1:1 ${id} is also the id of changes/older/${id}.yml; an id names one record only, so renumber the newer one (its file name and its id)\n` +
        `changes/older/${id}.yml:1:1 ${id} is also the id of changes/${id}.yaml; an id names one record only, so renumber the newer one (its file name and its id)\n`,
    );
    // Named alone, a record is still checked against every other record.
    const one = captureIO(dir);
    expect(await main(["validate", `changes/${id}.yaml`], one)).toBe(1);
    expect(one.out()).toBe(
      `changes/${id}.yaml:1:1 ${id} is also the id of changes/older/${id}.yml; an id names one record only, so renumber the newer one (its file name and its id)\n`,
    );
  });

  it("refuses to overwrite, lists what exists, and writes nothing", async () => {
    writeFileSync(join(dir, "README.md"), "mine\n");
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    writeFileSync(join(dir, "policies/roles.yml"), "my roles\n");
    writeFileSync(join(dir, ".github/gatehouse.yml"), "policies: policies\n");
    const io = captureIO(dir);
    expect(await main(["init"], io)).toBe(2);
    expect(io.err()).toMatch(/^gatehouse init: .+ already has \d+ of the files it would write:\n/);
    expect(io.err()).toContain("  policies/roles.yml\n");
    expect(io.err()).toContain("  .github/gatehouse.yml\n");
    expect(io.err()).toContain("Nothing was written. Move them away, or run again with --force");
    expect(io.err()).not.toContain("  README.md\n");
    expect(readFileSync(join(dir, "policies/roles.yml"), "utf8")).toBe("my roles\n");
  });

  it("overwrites with --force", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    writeFileSync(join(dir, "policies/roles.yml"), "my roles\n");
    expect(await main(["init", dir, "--force"], captureIO("/"))).toBe(0);
    expect(readFileSync(join(dir, "policies/roles.yml"), "utf8")).toContain("separation-of-duties");
  });

  it("refuses a pack it does not have", async () => {
    const io = captureIO(dir);
    expect(await main(["init", "--pack", "insurance"], io)).toBe(2);
    expect(io.err()).toBe(
      "gatehouse init: there is no policy pack 'insurance'; use --pack finance. Run 'gatehouse init --help'.\n",
    );
  });

  it("prints path:line:col and exits 1 for a broken record and a broken policy", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    writeFileSync(
      join(dir, "changes/CHG-2026-0001.yaml"),
      "apiVersion: gatehouse/v1\nkind: ChangeRequest\nid: CHG-2026-0002\ntitle: t\nstate: draft\ntype: normal\n",
    );
    writeFileSync(
      join(dir, "policies/roles.yml"),
      readFileSync(join(dir, "policies/roles.yml"), "utf8").replace(
        "separation-of-duties:",
        "separation-of-duty:",
      ),
    );
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(1);
    const lines = io.out().trimEnd().split("\n");
    expect(lines.some((l) => /^changes\/CHG-2026-0001\.yaml:3:5 .+/.test(l))).toBe(true);
    expect(lines.some((l) => /^policies\/roles\.yml:\d+:\d+ .+/.test(l))).toBe(true);
    expect(lines.every((l) => /^[^:]+:\d+:\d+ \S/.test(l))).toBe(true);
    expect(io.err()).toBe(`gatehouse validate: ${lines.length} problems found.\n`);
  });

  it("reports a mistake in .github/gatehouse.yml once, at its place", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    writeFileSync(join(dir, ".github/gatehouse.yml"), "policies: policies\nrecord: {}\n");
    const io = captureIO(dir);
    expect(await main(["validate"], io)).toBe(1);
    expect(io.out()).toMatch(/^\.github\/gatehouse\.yml:2:1 \S.*\n$/);
  });

  it("checks only the paths it is given, and refuses files that are not records", async () => {
    expect(await main(["init", dir], captureIO("/"))).toBe(0);
    adopt(dir);
    writeFileSync(join(dir, "changes/CHG-2026-0001.yaml"), "kind: ChangeRequest\n");
    writeFileSync(join(dir, "notes.yaml"), "a: 1\n");
    const io = captureIO(dir);
    expect(await main(["validate", "incidents"], io)).toBe(0);
    const other = captureIO(dir);
    expect(await main(["validate", "notes.yaml"], other)).toBe(1);
    expect(other.out()).toMatch(
      /^notes\.yaml:1:1 is not a record: records are \.yaml files in changes\/, incidents\/, improvements\/; move it there or leave it out\.\n$/,
    );
    const missing = captureIO(dir);
    expect(await main(["validate", "nothere"], missing)).toBe(2);
    expect(missing.err()).toBe(
      `gatehouse validate: nothere does not exist in ${dir}; check the path.\n`,
    );
  });
});

describe("gatehouse <command> --help", () => {
  it.each(["check", "validate", "init", "new", "demo"])("explains %s and exits 0", async (name) => {
    const io = captureIO("/");
    expect(await main([name, "--help"], io)).toBe(0);
    expect(io.out()).toMatch(new RegExp(`^Usage: gatehouse ${name}( |\\n)`));
    expect(io.out()).not.toContain("not available yet");
    expect(io.out().split("\n").length).toBeGreaterThan(5);
  });

  it.each(["check", "validate", "init", "new", "demo", "scan", "mask"])(
    "prints the same help for 'help %s' as for its --help",
    async (name) => {
      const byFlag = captureIO("/");
      const byHelp = captureIO("/");
      expect(await main([name, "--help"], byFlag)).toBe(0);
      expect(await main(["help", name], byHelp)).toBe(0);
      expect(byHelp.out()).toMatch(new RegExp(`^Usage: gatehouse ${name}( |\\n)`));
      expect(byHelp.out()).toBe(byFlag.out());
    },
  );

  it.each([[["help", "bogus"]], [["help", "constructor"]], [["help", "check", "extra"]]])(
    "refuses %j with exit 2",
    async (argv) => {
      const io = captureIO("/");
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toMatch(
        /^gatehouse help: unknown command '.+'\. Run 'gatehouse --help' for the list\.\n$/,
      );
      expect(io.out()).toBe("");
    },
  );

  it("still prints the command list for 'help' alone", async () => {
    const io = captureIO("/");
    expect(await main(["help"], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: gatehouse <command> \[options\]\n/);
    expect(io.out()).toContain("Run 'gatehouse help <command>'");
  });

  it.each(["validate", "init", "new", "demo"])(
    "refuses an unknown flag to %s with exit 2",
    async (name) => {
      const io = captureIO("/");
      expect(await main([name, "--bogus"], io)).toBe(2);
      expect(io.err()).toBe(
        `gatehouse ${name}: unknown option '--bogus'. Run 'gatehouse ${name} --help'.\n`,
      );
    },
  );
});
