// A static npm registry on loopback for install tests: our tarballs, and every production dependency packed from this
// checkout's node_modules, so `npm i -g --registry` runs npm's real resolution (os/cpu included) without the network.
// Rule: listens on 127.0.0.1 only; serves packuments and tarballs and nothing else; stopped by the test.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

interface Manifest {
  name: string;
  version: string;
  [key: string]: unknown;
}

export interface StaticRegistry {
  url: string;
  /** the packages it serves, name@version */
  served: string[];
  close(): Promise<void>;
}

/** the package.json inside a tarball */
function manifestOf(tarball: string): Manifest {
  const text = spawnSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" });
  if (text.status !== 0) throw new Error(`cannot read package.json of ${tarball}: ${text.stderr}`);
  return JSON.parse(text.stdout) as Manifest;
}

/** packs every non-dev package the lockfile installed under `root`/node_modules (nested copies too) into `dir` */
export function packInstalledDependencies(root: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; version?: string; link?: boolean }>;
  };
  const tarballs: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.dev || entry.link || !existsSync(join(root, path, "package.json"))) continue;
    const { name, version } = JSON.parse(readFileSync(join(root, path, "package.json"), "utf8")) as Manifest;
    const tarball = join(dir, `${name.replace("/", "+")}-${version}.tgz`);
    if (existsSync(tarball)) continue;
    // npm's layout: everything under package/, without the nested node_modules (those are packages of their own)
    const made = spawnSync("tar", [
      "-czf",
      tarball,
      "--exclude=./node_modules",
      "--transform=s,^\\.,package,",
      "-C",
      join(root, path),
      ".",
    ]);
    if (made.status !== 0) throw new Error(`tar of ${path} failed: ${made.stderr}`);
    tarballs.push(tarball);
  }
  return tarballs;
}

export async function startStaticRegistry(tarballs: readonly string[]): Promise<StaticRegistry> {
  const packuments = new Map<
    string,
    { name: string; "dist-tags": { latest: string }; versions: Record<string, object> }
  >();
  const files = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? "/").split("?")[0] as string).slice(1);
    const file = files.get(path);
    if (file) {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(readFileSync(file));
      return;
    }
    const packument = packuments.get(path);
    response.writeHead(packument ? 200 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify(packument ?? { error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (const tarball of tarballs) {
    const manifest = manifestOf(tarball);
    const bytes = readFileSync(tarball);
    const key = `tarballs/${manifest.name.replace("/", "+")}-${manifest.version}.tgz`;
    files.set(key, tarball);
    const packument = packuments.get(manifest.name) ?? {
      name: manifest.name,
      "dist-tags": { latest: manifest.version },
      versions: {},
    };
    packument.versions[manifest.version] = {
      ...manifest,
      dist: {
        tarball: `${url}${key}`,
        integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
        shasum: createHash("sha1").update(bytes).digest("hex"),
      },
    };
    packuments.set(manifest.name, packument);
  }
  return {
    url,
    served: [...packuments.values()].flatMap((p) => Object.keys(p.versions).map((v) => `${p.name}@${v}`)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
