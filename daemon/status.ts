// `GET /v1/status`: the daemon, its session and the session's Vault, as `devsecrets status` prints them; with health
// and doctor, what the daemon says of itself.
// Rule: names, ids, times and counts only, never a value or a token.

import { userInfo } from "node:os";
import type { DaemonCore } from "./daemon-api.js";
import type { Revokers } from "./leases/revokers.js";
import { DEFAULT_ENV, type PendingRevocation, type StatusResponse } from "./protocol/messages.js";
import { PACKAGE_VERSION } from "./protocol/version.js";
import type { VaultSessions } from "./providers/vault/vault-sessions.js";
import type { SessionHolder } from "./session/serving-session.js";
import type { SessionManager } from "./session/session-manager.js";
import { probeKeychain } from "./session/stores/keychain-doctor.js";

export interface StatusParts {
  socket: string;
  logFile: string;
  startedAt: Date;
  holder: SessionHolder;
  sessions: SessionManager;
  vault: VaultSessions;
  revokers: Revokers;
}

/** the journal's outstanding undos as status and doctor list them */
export function pendingRevocations(revokers: Revokers): PendingRevocation[] {
  return revokers.outstanding().map((entry) => ({
    kind: entry.kind,
    id: entry.id,
    attempts: entry.attempts ?? 0,
    nextAt: entry.nextAt ?? null,
    abandoned: entry.abandoned === true,
  }));
}

export function describeDaemon(parts: StatusParts, now = Date.now()): StatusResponse {
  const session = parts.holder.current;
  const info = parts.sessions.info();
  return {
    version: PACKAGE_VERSION,
    user: userInfo().username,
    pid: process.pid,
    socket: parts.socket,
    startedAt: parts.startedAt.toISOString(),
    uptimeSeconds: Math.round((now - parts.startedAt.getTime()) / 1000),
    logFile: parts.logFile,
    vault: parts.vault.status(info?.id ?? null),
    session: {
      kind: session.kind,
      id: info?.id ?? null,
      store: info?.store ?? "memory",
      env: info?.env ?? DEFAULT_ENV,
      expiresAt: info?.expiresAt ?? null,
      expiresInSeconds: info ? Math.max(0, Math.round((Date.parse(info.expiresAt) - now) / 1000)) : null,
      idleInSeconds: info ? Math.max(0, Math.round((Date.parse(info.idleAt) - now) / 1000)) : null,
      counts: { ...session.counts },
    },
    pendingRevocations: pendingRevocations(parts.revokers),
    lockedSession: parts.sessions.locked,
  };
}

export interface DaemonRoutesParts extends StatusParts {
  /** how many sandbox services run */
  serviceCount: () => number;
  /** the daemon's environment, where its keychain is met */
  env: NodeJS.ProcessEnv;
}

/** health, status and doctor: what the daemon says of itself */
export function daemonRoutes(parts: DaemonRoutesParts): Pick<DaemonCore, "health" | "status" | "doctor"> {
  return {
    health: () => ({ ok: true, version: PACKAGE_VERSION, pid: process.pid }),
    status: () => ({ ...describeDaemon(parts), services: parts.serviceCount() }),
    doctor: async () => ({
      keychain: await probeKeychain(parts.env),
      pendingRevocations: pendingRevocations(parts.revokers),
    }),
  };
}
