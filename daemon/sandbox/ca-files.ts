// CA files for `run`: when a resolve answers a sandbox://tls/* reference, the child gets NODE_EXTRA_CA_CERTS and SSL_CERT_FILE.
// Rule: files are 0600 in a 0700 folder beside the socket, written via temp + rename, removed with the session's material.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResolveRequest, ResolveResponse } from "../protocol/messages.js";
import type { Project } from "../resolve/project-files.js";
import type { ServingSession } from "../session/serving-session.js";
import { sessionCa } from "./dev-ca.js";

export const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
export const CA_VARIABLES = ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE"] as const;

export interface CaFiles {
  dir: string;
  /** the session's dev CA alone: NODE_EXTRA_CA_CERTS (Node adds it to its own roots) */
  ca: string;
  /** the system roots + the dev CA: SSL_CERT_FILE (OpenSSL, curl, Python replace their roots with it) */
  bundle: string;
}

/** true when the answer carries a value that came from a sandbox://tls/* reference */
export function answersTls(project: Project, answer: ResolveResponse): boolean {
  return Object.keys(answer.variables).some((name) => {
    const reference = project.variables.get(name)?.reference;
    return reference?.scheme === "sandbox" && reference.path.startsWith("tls/");
  });
}

/**
 * adds the two variables to a whole-project answer that serves TLS material; the caller's own values win
 * (and are reported in `kept`) unless override, exactly like a project variable
 */
export async function addCaFiles(
  request: ResolveRequest,
  project: Project,
  answer: ResolveResponse,
  session: ServingSession,
  runtimeDir: string,
  bundleSource = SYSTEM_BUNDLE,
): Promise<ResolveResponse> {
  if (request.names || !answersTls(project, answer)) return answer;
  const ca = await sessionCa(session.sandbox, new Date());
  const files = session.sandbox.getOrCreate(
    "tls/ca-files",
    () => writeCaFiles(join(runtimeDir, `tls-${session.id}`), ca.certPem, bundleSource),
    (written) => rmSync(written.dir, { recursive: true, force: true }),
  );
  const environ = request.environ ?? {};
  const variables = { ...answer.variables };
  const kept = [...answer.kept];
  const values: Record<(typeof CA_VARIABLES)[number], string> = {
    NODE_EXTRA_CA_CERTS: files.ca,
    SSL_CERT_FILE: files.bundle,
  };
  for (const name of CA_VARIABLES) {
    if (project.variables.has(name)) continue; // the project's own definition was already resolved, or kept
    if (!request.override && Object.hasOwn(environ, name)) {
      if (!kept.includes(name)) kept.push(name);
      continue;
    }
    variables[name] = values[name];
  }
  return { ...answer, variables, kept };
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
