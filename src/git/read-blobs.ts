import { spawn } from "node:child_process";

/**
 * Reads many blobs through a single `git cat-file --batch` process: one process per file would
 * cost milliseconds each and make a pull request with thousands of files take minutes.
 * Returns sha -> content; a sha git does not know is left out.
 */
export async function readBlobs(
  repoDir: string,
  shas: readonly string[],
): Promise<Map<string, Buffer>> {
  const unique = [...new Set(shas)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const output = await runBatch(repoDir, unique);
  let offset = 0;
  for (const sha of unique) {
    const end = output.indexOf(0x0a, offset);
    if (end < 0) throw new Error(`git cat-file stopped early, before blob ${sha}.`);
    const header = output.subarray(offset, end).toString("utf8");
    offset = end + 1;
    if (header.endsWith(" missing")) continue;
    const [, type, sizeText] = header.split(" ");
    const size = Number(sizeText);
    if (!Number.isSafeInteger(size))
      throw new Error(`git cat-file answered '${header}' for ${sha}.`);
    if (type === "blob") blobs.set(sha, output.subarray(offset, offset + size));
    // Every object is followed by a newline that is not part of it.
    offset += size + 1;
  }
  return blobs;
}

/** Sizes of blobs, from one `git cat-file --batch-check` process; unknown shas are left out. */
export async function readBlobSizes(
  repoDir: string,
  shas: readonly string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(shas)];
  const sizes = new Map<string, number>();
  if (unique.length === 0) return sizes;
  const output = (await runBatch(repoDir, unique, "--batch-check")).toString("utf8");
  for (const line of output.split("\n")) {
    const [sha = "", type, size] = line.split(" ");
    if (type === "blob") sizes.set(sha, Number(size));
  }
  return sizes;
}

/** The whole output of one `git cat-file --batch` (or `--batch-check`) over the given shas. */
export function runBatch(repoDir: string, shas: string[], mode = "--batch"): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", mode], {
      cwd: repoDir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file failed: ${Buffer.concat(errors).toString().trim()}`));
    });
    child.stdin.on("error", reject);
    child.stdin.end(shas.join("\n") + "\n");
  });
}
