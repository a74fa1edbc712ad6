// The session's dev CA as files for `run`'s child (resolve/ca-variables.ts names them in the child's variables).
// Rule: files are 0600 in a 0700 folder beside the socket, written via temp + rename, removed with the session's
// material.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ServingSession } from "../session/serving-session.js";
import { sessionCa } from "./dev-ca.js";

export const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

export interface CaFiles {
  dir: string;
  /** the session's dev CA alone: NODE_EXTRA_CA_CERTS (Node adds it to its own roots) */
  ca: string;
  /** the system roots + the dev CA: SSL_CERT_FILE (OpenSSL, curl, Python replace their roots with it) */
  bundle: string;
}

/** the session's CA files, written once and removed with the session's material */
export async function sessionCaFiles(
  session: ServingSession,
  runtimeDir: string,
  bundleSource = SYSTEM_BUNDLE,
): Promise<CaFiles> {
  const ca = await sessionCa(session.sandbox, new Date());
  return session.sandbox.getOrCreate(
    "tls/ca-files",
    () => writeCaFiles(join(runtimeDir, `tls-${session.id}`), ca.certPem, bundleSource),
    (written) => rmSync(written.dir, { recursive: true, force: true }),
  );
}

export function writeCaFiles(dir: string, caPem: string, bundleSource = SYSTEM_BUNDLE): CaFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const system = existsSync(bundleSource) ? readFileSync(bundleSource, "utf8") : "";
  const files: CaFiles = { dir, ca: join(dir, "dev-ca.pem"), bundle: join(dir, "ca-bundle.pem") };
  writePrivate(files.ca, caPem);
  writePrivate(files.bundle, `${system}${system && !system.endsWith("\n") ? "\n" : ""}${caPem}`);
  return files;
}

function writePrivate(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: "w" });
  renameSync(temp, path);
}
