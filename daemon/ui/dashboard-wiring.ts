// The dashboard wired for the composition root: its loopback listener over the daemon's parts (the snapshot, the
// event bus, the page's actions), the two routes that open and close it, and its wipe part.
// Rule: the page's actions are audited as the dashboard's: its requests come over TCP, where no client pid is told.

import type { AuditLog } from "../audit/audit-log.js";
import type { Caller } from "../audit/caller.js";
import type { DaemonCore } from "../daemon-api.js";
import type { EventBus } from "../events.js";
import type { Journal } from "../leases/journal.js";
import type { VaultSessions } from "../providers/vault/vault-sessions.js";
import type { ProjectFiles } from "../resolve/project-files.js";
import type { Resolver } from "../resolve/resolver.js";
import type { SeenProjects } from "../resolve/seen-projects.js";
import type { JwksServer } from "../sandbox/jwks-server.js";
import type { WiredServices } from "../sandbox/services/services-wiring.js";
import type { SessionHolder } from "../session/serving-session.js";
import type { SessionManager } from "../session/session-manager.js";
import type { WiredTrust } from "../trust/trust-wiring.js";
import type { WipePart } from "../wipe/wipe-registry.js";
import { cachedAuditVerdict } from "./audit-verdict.js";
import { buildSnapshot } from "./build-snapshot.js";
import { trustActions } from "./trust-actions.js";
import { UiServer } from "./ui-server.js";

const DASHBOARD: Caller = { exe: "devsecrets dashboard" };

export interface DashboardDeps {
  events: EventBus;
  startedAt: Date;
  holder: SessionHolder;
  sessions: Pick<SessionManager, "info" | "touch" | "extend">;
  vault: Pick<VaultSessions, "status">;
  seen: SeenProjects;
  resolver: Resolver;
  journal: Journal;
  audit: Pick<AuditLog, "path">;
  /** the folder of the session's CA files (the socket's) */
  runtimeDir: string;
  jwks: Pick<JwksServer, "url">;
  services: Pick<WiredServices, "handedOut" | "journalKinds">;
  trust: Pick<WiredTrust, "book" | "trustOf">;
  projects: Pick<ProjectFiles, "findRoot">;
  logout: DaemonCore["logout"];
  rotate: DaemonCore["rotate"];
}

export interface WiredDashboard {
  open: DaemonCore["uiOpen"];
  close: DaemonCore["uiClose"];
  /** closes the listener at the wipe, telling an open page why */
  wipePart: WipePart;
}

export function wireDashboard(deps: DashboardDeps): WiredDashboard {
  const { sessions, trust } = deps;
  const auditVerdict = cachedAuditVerdict(deps.audit.path);
  const ui = new UiServer({
    events: deps.events,
    touch: () => sessions.touch(),
    snapshot: () =>
      buildSnapshot({
        startedAt: deps.startedAt,
        holder: deps.holder,
        session: () => sessions.info(),
        vault: () => deps.vault.status(sessions.info()?.id ?? null),
        seen: deps.seen,
        resolver: deps.resolver,
        journal: deps.journal,
        auditFile: deps.audit.path,
        auditVerdict,
        runtimeDir: deps.runtimeDir,
        jwksUrl: () => deps.jwks.url,
        extraHandedOut: deps.services.handedOut,
        journalKindsShownElsewhere: deps.services.journalKinds,
        trustOf: trust.trustOf,
      }),
    logout: () => deps.logout(DASHBOARD),
    extend: (ttlSeconds) => sessions.extend(ttlSeconds),
    rotate: (root, names) => deps.rotate({ cwd: root, ...(names ? { names } : {}) }, DASHBOARD),
    trust: trustActions(trust.book, (cwd) => deps.projects.findRoot(cwd)),
  });
  return {
    open: (request) => ui.open(request.port),
    close: async () => ({ closed: (await ui.close()) > 0 }),
    wipePart: { name: "ui", run: async (reason) => ({ undone: await ui.close(reason) }) },
  };
}
