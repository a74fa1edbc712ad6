// The resolver wired for the composition root: the project files, the providers' table, trust, the serving session,
// the audit of every served value, the CA files a sandbox://tls answer implies; and the projects seen by resolves.
// Rule: a value is audited before it is answered (beforeAnswer throws, the request fails closed).

import { serveEntries } from "../audit/action-entries.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { DaemonCore } from "../daemon-api.js";
import type { EventBus } from "../events.js";
import type { SessionHolder } from "../session/serving-session.js";
import type { SessionManager } from "../session/session-manager.js";
import { caVariables } from "./ca-variables.js";
import type { ProjectFiles } from "./project-files.js";
import type { Provider, TrustVerdict } from "./provider.js";
import type { ReferenceScheme } from "./reference.js";
import { Resolver } from "./resolver.js";
import { SeenProjects } from "./seen-projects.js";
import { witnessResolves } from "./witness-resolves.js";

export interface ResolveWiringDeps {
  projects: ProjectFiles;
  providers: Record<ReferenceScheme, Provider>;
  trust: (root: string) => TrustVerdict;
  projectId: (root: string) => Promise<string>;
  holder: SessionHolder;
  sessions: Pick<SessionManager, "active">;
  audit: Pick<AuditLog, "append">;
  events: EventBus;
  /** the folder of the session's CA files (the socket's) */
  runtimeDir: string;
}

export interface WiredResolve {
  resolver: Resolver;
  /** the projects resolves were asked for this session (the dashboard's list) */
  seen: SeenProjects;
  resolve: DaemonCore["resolve"];
  check: DaemonCore["check"];
}

export function wireResolve(deps: ResolveWiringDeps): WiredResolve {
  const { projects, holder, sessions, audit } = deps;
  const resolver = new Resolver({
    projects,
    providers: deps.providers,
    trust: deps.trust,
    projectId: deps.projectId,
    session: () => holder.current,
    beforeAnswer: (served, session, caller) => audit.append(serveEntries(served, session.id, caller)),
    implied: caVariables(deps.runtimeDir),
    sessionExpiresAt: () => sessions.active?.record.expiresAt ?? null,
  });
  const seen = new SeenProjects();
  return {
    resolver,
    seen,
    resolve: witnessResolves((request, caller) => resolver.resolve(request, caller), {
      seen,
      events: deps.events,
      projects,
    }),
    check: (request) => resolver.check(request),
  };
}
