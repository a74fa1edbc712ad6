// The daemon's composition root: builds each domain through its *-wiring.ts (leases, services, sessions, providers,
// trust, resolve, keychain, sandbox, dashboard), registers their revokers and wipe parts, and answers each DaemonCore
// method with what the owning domain returned. Rule: wiring only, in a straight line (no if, await or function body:
// test/unit/layers.test.ts); no express, commander or process.exit; the wipe order is wipe-order.ts's.

import { dirname, join } from "node:path";
import { stateDir } from "../common/paths.js";
import { AuditLog } from "./audit/audit-log.js";
import { publishAuditEvents } from "./audit/audit-events.js";
import type { DaemonCore } from "./daemon-api.js";
import { EventBus } from "./events.js";
import { wireLeases } from "./leases/leases-wiring.js";
import type { Logger } from "./log.js";
import { UserProductionPaths } from "./resolve/production-paths.js";
import { wireProviders } from "./providers/providers-wiring.js";
import { persistentProjectIds } from "./resolve/project-id-cache.js";
import { cachedProjectIds } from "./resolve/project-ids.js";
import { ProjectFiles } from "./resolve/project-files.js";
import { wireResolve } from "./resolve/resolve-wiring.js";
import { postgresDatabaseRevoker, postgresRoleRevoker } from "./sandbox/postgres/postgres-revokers.js";
import { wireSandbox } from "./sandbox/sandbox-wiring.js";
import { wireKeychain } from "./session/keychain-wiring.js";
import { wireSessions } from "./session/sessions-wiring.js";
import { daemonRoutes } from "./status.js";
import { wireTrust } from "./trust/trust-wiring.js";
import { reportWipes } from "./wipe/report-wipes.js";
import type { WipeRegistry } from "./wipe/wipe-registry.js";
import { wireSandboxServices } from "./sandbox/services/services-wiring.js";
import { wireDashboard } from "./ui/dashboard-wiring.js";

export interface CoreOptions {
  socket: string;
  log: Logger;
  wipe: WipeRegistry;
  env?: NodeJS.ProcessEnv;
}

export function createDaemonCore(options: CoreOptions): DaemonCore {
  const { log, wipe } = options;
  const env = options.env ?? process.env;
  const startedAt = new Date();
  const events = new EventBus();
  const audit = new AuditLog(env.DEVSECRETS_AUDIT_FILE || join(stateDir(env), "audit.jsonl"));
  publishAuditEvents(audit, events);
  const leases = wireLeases({ env, log, sessionId: () => holder.current.id, afterUndo: () => sessions.settleLive() });
  const { journal, revokers } = leases;
  const services = wireSandboxServices({
    journal,
    runtimeDir: dirname(options.socket),
    env,
    log,
    audit,
    sessionId: () => holder.current.id,
  });
  const sessions = wireSessions({ journal, events, log, env, wipe, audit, services: services.starter });
  const { holder, manager, vault } = sessions;
  const projects = new ProjectFiles();
  const production = new UserProductionPaths(env);
  const providers = wireProviders({ env, events, projects, log, production, sessions: manager, vault });
  const projectId = cachedProjectIds(persistentProjectIds(env));
  const trust = wireTrust({ env, projects, projectId, audit, sessionId: () => holder.current.id, sessions: manager });
  const resolving = wireResolve({
    projects,
    providers: providers.table,
    trust: trust.verdict,
    projectId,
    holder,
    sessions: manager,
    audit,
    events,
    runtimeDir: dirname(options.socket),
  });
  const keychain = wireKeychain({
    sessions: manager,
    projects,
    projectId,
    events,
    session: () => holder.current,
    audit,
    resolver: resolving.resolver,
  });
  const sandbox = wireSandbox({ holder, projects, events, audit, retire: services.retire, seen: resolving.seen });
  const ui = wireDashboard({
    events,
    startedAt,
    holder,
    sessions: manager,
    vault,
    seen: resolving.seen,
    resolver: resolving.resolver,
    journal,
    audit,
    runtimeDir: dirname(options.socket),
    jwks: sandbox.jwksServer,
    services,
    trust,
    projects,
    logout: sessions.logout,
    rotate: sandbox.rotate,
  });

  revokers.register(...sessions.vaultRevoker);
  revokers.register(...postgresRoleRevoker);
  revokers.register(...postgresDatabaseRevoker);
  revokers.register(...services.revoker);
  wipe.register(sessions.vaultWipePart(providers.stores));
  wipe.register(leases.wipePart);
  wipe.register(services.wipePart);
  wipe.register(sandbox.wipePart);
  wipe.register(sandbox.jwksWipePart);
  wipe.register(ui.wipePart);
  wipe.register(sessions.sessionWipePart);
  reportWipes(wipe, { audit, log, events, currentSession: () => holder.current.id });

  return {
    events,
    ...daemonRoutes({
      socket: options.socket,
      logFile: log.file,
      startedAt,
      holder,
      sessions: manager,
      vault,
      revokers,
      serviceCount: () => services.list().services.length,
      env,
    }),
    touch: sessions.touch,
    services: services.list,
    pauseService: services.pause,

    resolve: resolving.resolve,
    check: resolving.check,
    list: keychain.list,
    trustShow: trust.show,
    trust: trust.trust,
    trustRevoke: trust.revoke,
    sopsKey: providers.sopsKey,
    trustList: trust.list,

    mint: sandbox.mint,
    kinds: sandbox.kinds,
    jwks: sandbox.jwks,
    serveJwks: sandbox.serveJwks,
    guardFingerprints: sandbox.guardFingerprints,

    login: sessions.login,
    logout: sessions.logout,
    extend: sessions.extend,
    rotate: sandbox.rotate,
    uiOpen: ui.open,
    uiClose: ui.close,
    keychainSet: keychain.set,
    keychainUnset: keychain.unset,

    recover: () => leases.recover(manager),
    shutdown: sessions.shutdown,
  };
}
