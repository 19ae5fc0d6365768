/**
 * A package registry on 127.0.0.1 that serves the packages already installed in the project's
 * own node_modules, so that a test can run a real `npm install` of gatehouse's tarball without
 * the network: npm resolves every dependency here, at the versions package-lock.json pinned.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

export interface LocalRegistry {
  url: string;
  /** Requests the registry could not answer (a dependency it does not hold). */
  misses: string[];
  close(): Promise<void>;
}

/**
 * Starts the registry over the runtime packages (not `dev`) of `root`'s package-lock.json. Each
 * package's tarball is made on request from its installed folder, without its node_modules.
 */
export async function startLocalRegistry(root: string): Promise<LocalRegistry> {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  // name -> version -> installed folder
  const folders = new Map<string, Map<string, string>>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "" || entry.dev || entry.devOptional || entry.link) continue;
    const folder = join(root, path);
    if (!existsSync(join(folder, "package.json"))) continue; // an optional package not installed here
    const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + 13);
    const version = entry.version ?? "";
    if (!folders.has(name)) folders.set(name, new Map());
    folders.get(name)!.set(version, folder);
  }
  const misses: string[] = [];
  let url = "";
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? "/").split("?")[0]!).slice(1);
    const tarball = /^(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    const versions = folders.get(tarball ? tarball[1]! : path);
    if (tarball && versions?.has(tarball[2]!)) {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(packFolder(versions.get(tarball[2]!)!));
      return;
    }
    if (!tarball && versions) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(packument(path, versions, url)));
      return;
    }
    misses.push(`${request.method} ${request.url}`);
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    misses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function packument(name: string, versions: Map<string, string>, url: string) {
  const manifests: Record<string, unknown> = {};
  let latest = "";
  for (const [version, folder] of versions) {
    const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(manifest)) if (key.startsWith("_")) delete manifest[key];
    const file = `${name.split("/").pop()}-${version}.tgz`;
    manifests[version] = {
      ...manifest,
      name,
      version,
      dist: { tarball: `${url}${name}/-/${file}` },
    };
    if (latest === "" || compareVersions(version, latest) > 0) latest = version;
  }
  return { name, "dist-tags": { latest }, versions: manifests };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A gzipped tarball of an installed package, as npm unpacks it (the top folder is stripped). */
function packFolder(folder: string): Buffer {
  return execFileSync("tar", ["-czf", "-", "--exclude=./node_modules", "-C", folder, "."], {
    maxBuffer: 256 * 1024 * 1024,
  });
}
