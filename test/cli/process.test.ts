/** The real `gatehouse` process: what only a process can show (exit status on a closed pipe). */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the gatehouse process", () => {
  it("stops quietly with status 141 when its reader closes the pipe (`gatehouse mask | head`)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts", "mask", "-"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Close our end after the first chunk, as `head -c` does, while gatehouse still writes.
    child.stdout.once("data", () => child.stdout.destroy());
    const line = "call 13800138000 about the order\n".repeat(2000);
    const closed = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    const feed = async () => {
      for (let i = 0; i < 400 && child.stdin.writable; i++) {
        if (!child.stdin.write(line)) {
          await Promise.race([new Promise((r) => child.stdin.once("drain", r)), closed]);
        }
      }
      child.stdin.end();
    };
    child.stdin.on("error", () => undefined); // the child may exit before it reads everything
    const [code] = await Promise.all([closed, feed()]);
    expect(code).toBe(141);
    expect(stderr).toBe("");
  }, 30_000);
});
