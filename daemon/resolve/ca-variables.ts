// NODE_EXTRA_CA_CERTS and SSL_CERT_FILE for a whole-project answer that serves sandbox://tls/*, so `run`'s child trusts
// the session's dev CA. Rule: only proposed here; the resolver adds them as any variable, so the caller's own win.

import { SYSTEM_BUNDLE, sessionCaFiles } from "../sandbox/ca-files.js";
import type { Project } from "./project-files.js";
import type { ImpliedVariables } from "./resolver.js";

/** true when one of the answered variables comes from a sandbox://tls/* reference */
export function answersTls(project: Project, answered: readonly string[]): boolean {
  return answered.some((name) => {
    const reference = project.variables.get(name)?.reference;
    return reference?.scheme === "sandbox" && reference.path.startsWith("tls/");
  });
}

/** the resolver's implied variables: the CA files (written in runtimeDir) when the answer serves TLS material */
export function caVariables(runtimeDir: string, bundleSource = SYSTEM_BUNDLE): ImpliedVariables {
  return async (project, answered, session): Promise<Record<string, string>> => {
    if (!answersTls(project, answered)) return {};
    const files = await sessionCaFiles(session, runtimeDir, bundleSource);
    // Node adds NODE_EXTRA_CA_CERTS to its own roots; OpenSSL, curl and Python replace theirs with SSL_CERT_FILE
    return { NODE_EXTRA_CA_CERTS: files.ca, SSL_CERT_FILE: files.bundle };
  };
}
