import { describe, expect, it } from "vitest";
import { collapseSkipped } from "../../../src/core/report/collapse-skipped.js";
import type { RuleResult, Status } from "../../../src/core/types.js";

const node = (id: string, status: Status, children: RuleResult[] = []): RuleResult => ({
  id,
  status,
  reason: `${id} reason`,
  children,
});

describe("collapseSkipped", () => {
  it("folds the skipped children of the root into one line naming them", () => {
    const root = node("gatehouse", "satisfied", [
      node("policy", "satisfied"),
      node("paths", "skipped"),
      node("owners", "skipped"),
      node("four-eyes", "satisfied"),
    ]);
    expect(collapseSkipped(root).children).toEqual([
      node("policy", "satisfied"),
      node("four-eyes", "satisfied"),
      {
        id: "skipped",
        status: "skipped",
        reason: "skipped (nothing to judge): paths, owners",
        children: [],
      },
    ]);
  });

  it("names nested skipped rules relative to their parent", () => {
    const root = node("gatehouse", "satisfied", [
      node("records/a.yaml", "satisfied", [
        node("records/a.yaml/valid", "satisfied"),
        node("records/a.yaml/window", "skipped"),
        node("records/a.yaml/complete", "skipped"),
      ]),
    ]);
    const record = collapseSkipped(root).children[0]!;
    expect(record.children.map((c) => [c.id, c.reason])).toEqual([
      ["records/a.yaml/valid", "records/a.yaml/valid reason"],
      ["records/a.yaml/skipped", "skipped (nothing to judge): window, complete"],
    ]);
  });

  it("keeps a lone skipped rule as it is, and changes nothing that decided", () => {
    const root = node("gatehouse", "pending", [
      node("paths", "skipped"),
      node("four-eyes", "pending", [node("four-eyes/x", "pending")]),
    ]);
    expect(collapseSkipped(root)).toEqual(root);
  });
});
