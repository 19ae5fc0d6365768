import { describe, expect, it } from "vitest";
import type { Finding, Verdict } from "../../src/core/types.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { LIMITS } from "../../src/github/check-output.js";
import { reportCheck } from "../../src/github/report-check.js";
import { restBodyErrors } from "./helpers/openapi.js";

interface Call {
  method: "create" | "update";
  params: Record<string, unknown>;
}

/** Records the writes; checks each body against GitHub's OpenAPI description. */
function recorder() {
  const calls: Call[] = [];
  const errors: string[] = [];
  const write = (method: Call["method"]) => async (params: Record<string, unknown>) => {
    calls.push({ method, params });
    // The body is what remains once the URL parameters are taken out.
    const body = { ...params };
    for (const key of ["owner", "repo", "check_run_id"]) delete body[key];
    errors.push(
      ...(method === "create"
        ? restBodyErrors("POST", "/repos/{owner}/{repo}/check-runs", body)
        : restBodyErrors("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", body)),
    );
    return { data: { id: 99 } };
  };
  const github = { rest: { checks: { create: write("create"), update: write("update") } } };
  return { calls, errors, github: github as unknown as Pick<GitHubClient, "rest"> };
}

function finding(i: number): Finding {
  return {
    path: "changes/CHG-2026-0042.yaml",
    line: i + 1,
    column: 3,
    code: "record/schema",
    message: `problem ${i}`,
  };
}

function verdict(
  conclusion: Verdict["conclusion"],
  findings: Finding[] = [],
  reason = "a reason",
): Verdict {
  const status =
    conclusion === "success" ? "satisfied" : conclusion === "pending" ? "pending" : "failed";
  return {
    conclusion,
    summary:
      conclusion === "pending"
        ? "Waiting for qa"
        : conclusion === "success"
          ? "All clear"
          : "Blocked",
    records: [],
    rules: { id: "root", status, reason, children: [{ id: "rule", status, reason, children: [] }] },
    findings,
    acts: [],
  };
}

const target = { owner: "acme", repo: "payments", sha: "a".repeat(40) };

describe("reportCheck", () => {
  it.each([
    { conclusion: "success" as const, status: "completed", shown: "success" },
    { conclusion: "failure" as const, status: "completed", shown: "failure" },
    // Waiting stays in progress: yellow on GitHub, and a required check that never completes blocks.
    { conclusion: "pending" as const, status: "in_progress", shown: undefined },
  ])("reports a $conclusion verdict as $status $shown", async ({ conclusion, status, shown }) => {
    const r = recorder();
    await reportCheck(
      r.github,
      { ...target, id: 5 },
      { kind: "verdict", verdict: verdict(conclusion) },
    );
    expect(r.errors).toStrictEqual([]);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]?.params).toMatchObject({ check_run_id: 5, status });
    expect(r.calls[0]?.params.conclusion).toBe(shown);
  });

  it("sends one request, with the first 50 annotations", async () => {
    const r = recorder();
    const findings = Array.from({ length: 120 }, (_, i) => finding(i));
    await reportCheck(r.github, target, { kind: "verdict", verdict: verdict("failure", findings) });
    expect(r.errors).toStrictEqual([]);
    expect(r.calls.map((c) => c.method)).toEqual(["create"]);
    const output = r.calls[0]?.params.output as {
      summary: string;
      annotations: Array<{ start_line: number }>;
    };
    expect(output.annotations.map((a) => a.start_line)).toEqual(
      findings.slice(0, 50).map((f) => f.line),
    );
    expect(output.summary).toMatch(/70 more findings are not annotated/);
  });

  it("keeps a huge verdict inside GitHub's size limits and caps the annotations", async () => {
    const r = recorder();
    const findings = Array.from({ length: LIMITS.annotations + 30 }, (_, i) => finding(i));
    const huge = verdict("failure", findings, "x".repeat(70_000));
    huge.summary = "y".repeat(400);
    await reportCheck(r.github, target, { kind: "verdict", verdict: huge });
    expect(r.errors).toStrictEqual([]);
    const output = r.calls[0]?.params.output as { title: string; summary: string };
    expect(output.title.length).toBeLessThanOrEqual(LIMITS.title);
    expect(output.summary.length).toBeLessThanOrEqual(LIMITS.summary);
    expect(output.summary).toMatch(/30 more findings are not annotated/);
    const annotated = r.calls.reduce(
      (n, c) => n + ((c.params.output as { annotations?: unknown[] }).annotations?.length ?? 0),
      0,
    );
    expect(annotated).toBe(LIMITS.annotations);
  });

  it("reports a failure to judge as a failing check that says why", async () => {
    const r = recorder();
    await reportCheck(r.github, target, {
      kind: "error",
      reason: "GitHub answered 502: Bad Gateway",
    });
    expect(r.errors).toStrictEqual([]);
    expect(r.calls[0]?.params).toMatchObject({
      head_sha: target.sha,
      status: "completed",
      conclusion: "failure",
    });
    expect((r.calls[0]?.params.output as { summary: string }).summary).toContain(
      "GitHub answered 502",
    );
  });
});
