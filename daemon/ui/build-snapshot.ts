// The dashboard's snapshot from the daemon's parts: the session and its Vault, the projects seen with their variables,
// what the wipe will undo, and the audit trail's tail with `audit verify`'s verdict.
// Rule: names, references, counts and times only; a literal's text is never read into it.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { userInfo } from "node:os";
import type { VerifyResult } from "../../common/audit-verify.js";
import { auditTail } from "../audit/audit-tail.js";
import type { Journal } from "../leases/journal.js";
import { DEFAULT_ENV, type SessionInfo, type StatusResponse } from "../protocol/messages.js";
import { PACKAGE_VERSION } from "../protocol/version.js";
import type { UiHandedOut, UiProject, UiSnapshot, UiVariable } from "../protocol/ui-snapshot.js";
import type { Resolver } from "../resolve/resolver.js";
import type { SeenProject, SeenProjects } from "../resolve/seen-projects.js";
import type { SessionHolder } from "../session/serving-session.js";

export const AUDIT_TAIL_ENTRIES = 50;

export interface SnapshotParts {
  startedAt: Date;
  holder: SessionHolder;
  session: () => SessionInfo | null;
  vault: () => StatusResponse["vault"];
  seen: SeenProjects;
  resolver: Resolver;
  journal: Journal;
  auditFile: string;
  /** `audit verify`'s verdict on auditFile and when it was reached (cached: see audit-verdict.ts) */
  auditVerdict: () => VerifyResult & { at: string };
  /** the folder of the session's CA files (the socket's) */
  runtimeDir: string;
  jwksUrl: () => string | null;
  /** the project's trust state */
  trustOf: (root: string) => { trusted: boolean; reason: string };
  /** journal kinds that extraHandedOut describes better (the services' rows), left out of the journal's list */
  journalKindsShownElsewhere?: readonly string[];
  /** more things the wipe undoes (the sandbox services, when they exist): a new panel row is a new source here */
  extraHandedOut?: () => UiHandedOut[];
}

export async function buildSnapshot(parts: SnapshotParts): Promise<Omit<UiSnapshot, "csrf">> {
  const serving = parts.holder.current;
  const info = parts.session();
  const vault = parts.vault();
  const verdict = parts.auditVerdict();
  return {
    now: new Date().toISOString(),
    daemon: {
      version: PACKAGE_VERSION,
      pid: process.pid,
      user: userInfo().username,
      startedAt: parts.startedAt.toISOString(),
    },
    session: {
      kind: serving.kind,
      id: info?.id ?? null,
      store: info?.store ?? "memory",
      env: info?.env ?? DEFAULT_ENV,
      createdAt: info?.createdAt ?? null,
      expiresAt: info?.expiresAt ?? null,
      idleAt: info?.idleAt ?? null,
      counts: { ...serving.counts },
    },
    vault: vault
      ? {
          address: vault.address,
          namespace: vault.namespace,
          offline: vault.offline,
          tokenExpiresAt: vault.tokenExpiresAt,
        }
      : null,
    projects: await Promise.all(parts.seen.list().map((project) => describeProject(project, parts))),
    handedOut: handedOut(parts, serving.id),
    audit: {
      file: parts.auditFile,
      tail: auditTail(parts.auditFile, AUDIT_TAIL_ENTRIES),
      verify: {
        ok: verdict.ok,
        entries: verdict.entries,
        head: verdict.head ?? null,
        problem: verdict.broken ? `line ${verdict.broken.line}: ${verdict.broken.reason}` : null,
        at: verdict.at,
      },
    },
  };
}

async function describeProject(project: SeenProject, parts: SnapshotParts): Promise<UiProject> {
  let trust: UiProject["trust"] = null;
  try {
    trust = parts.trustOf(project.root);
  } catch {
    // a root that no longer exists: its trust cannot be told
  }
  const base = { root: project.root, id: project.id, env: project.env, last: { ...project.last }, trust };
  try {
    const listing = await parts.resolver.list({ cwd: project.root, env: project.env });
    const variables: UiVariable[] = listing.variables.map((v) => {
      const use = project.variables.get(v.name);
      return {
        name: v.name,
        scheme: v.source,
        kind: v.reference ? kindOf(v.reference) : null,
        reference: v.reference,
        file: v.file,
        line: v.line,
        served: use?.served ?? 0,
        lastServedAt: use?.lastServedAt ?? null,
      };
    });
    return { ...base, variables };
  } catch (error) {
    const variables = [...project.variables].map(([name, use]) => ({
      name,
      scheme: "unknown",
      kind: null,
      reference: null,
      file: "",
      line: 0,
      served: use.served,
      lastServedAt: use.lastServedAt,
    }));
    return { ...base, variables, listError: (error as { code?: string }).code ?? "DS_INTERNAL" };
  }
}

/** "sandbox://stripe/secret-key?x=1#id" -> "stripe/secret-key" */
function kindOf(reference: string): string {
  const rest = reference.slice(reference.indexOf("://") + 3);
  return rest.split(/[?#]/)[0] ?? rest;
}

function handedOut(parts: SnapshotParts, sessionId: string): UiHandedOut[] {
  const items: UiHandedOut[] = parts.journal
    .pending()
    .filter(
      (entry) =>
        entry.session === sessionId &&
        entry.kind !== "session" &&
        !(parts.journalKindsShownElsewhere ?? []).includes(entry.kind),
    )
    .map((entry) => ({ kind: entry.kind, name: entry.id, expiresAt: entry.expiresAt ?? null }));
  const caDir = join(parts.runtimeDir, `tls-${sessionId}`);
  if (existsSync(caDir)) items.push({ kind: "dev-ca", name: caDir, expiresAt: null });
  const jwks = parts.jwksUrl();
  if (jwks) items.push({ kind: "jwks-port", name: jwks, expiresAt: null });
  items.push(...(parts.extraHandedOut?.() ?? []));
  return items;
}
