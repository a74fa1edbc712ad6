// The daemon's sandbox services wired for the composition root: the manager and its launchers (Redis, PostgreSQL,
// stripe-mock, moto), what a serving session starts them through, a rotation's retirement, the revoker, the wipe part.
// Rule: the core registers what this returns and reaches no launcher itself; a new launcher is registered here.

import { dirname } from "node:path";
import { pauseEntry } from "../../audit/action-entries.js";
import type { AuditLog } from "../../audit/audit-log.js";
import type { Caller } from "../../audit/caller.js";
import type { Journal } from "../../leases/journal.js";
import type { Revoker } from "../../leases/revokers.js";
import type { Logger } from "../../log.js";
import type { ServicePauseRequest, ServicePauseResponse, ServicesResponse } from "../../protocol/service-messages.js";
import type { UiHandedOut } from "../../protocol/ui-snapshot.js";
import type { WipePart } from "../../wipe/wipe-registry.js";
import { POSTGRES_ROLE_KIND } from "../kinds/postgres-role.js";
import { superuserUrl } from "../postgres/throwaway-role.js";
import type { Minted, SandboxKind, ServiceStarter } from "../sandbox-kind.js";
import { MotoLauncher } from "./moto-launcher.js";
import { postgresLauncher } from "./postgres-launcher.js";
import { redisLauncher } from "./redis-launcher.js";
import { retireInService } from "./retire.js";
import { SandboxServices, SERVICE_JOURNAL_KIND } from "./service-manager.js";
import { stripeLauncher } from "./stripe-launcher.js";

export interface ServicesWiringDeps {
  journal: Journal;
  /** the daemon's runtime folder (the socket's): the services' folders go under it */
  runtimeDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  audit: Pick<AuditLog, "append">;
  /** the serving session's id, for the audit entry of a pause */
  sessionId: () => string;
}

export interface WiredServices {
  /** what a serving session starts services through */
  starter: ServiceStarter;
  /** a rotation's old value: refused by its service after the grace */
  retire: (old: { kind: SandboxKind; minted: Minted }, graceSeconds: number) => Promise<void>;
  /** [journal kind, revoker]: a service of this daemon is stopped; one a dead daemon left is killed by pid and start
   * time, its folder removed */
  revoker: [kind: string, revoker: Revoker];
  /** what the revoked part did not reach (a service of a session adopted at login): every service of this daemon */
  wipePart: WipePart;
  list: () => ServicesResponse;
  /** the outage drill, audited */
  pause: (request: ServicePauseRequest, caller?: Caller) => ServicePauseResponse;
  /** the running services by name and address (no password in it), for the dashboard; their journal rows say the same */
  handedOut: () => UiHandedOut[];
  /** the journal kinds handedOut describes better */
  journalKinds: readonly string[];
}

export function wireSandboxServices(deps: ServicesWiringDeps): WiredServices {
  const { journal, log } = deps;
  const services = new SandboxServices({
    journal,
    runtimeDir: deps.runtimeDir,
    env: deps.env,
    log: (event, fields) => log.info(event, fields as never),
  });
  services.register(redisLauncher);
  services.register(postgresLauncher);
  services.register(stripeLauncher);
  const moto = new MotoLauncher();
  services.register(moto);
  const roleAdminUrl = (role: string) => {
    // a role on an admin server is journaled with its URL; one on the throwaway server is not
    const journaled = journal.pending().find((entry) => entry.id === role && entry.kind === POSTGRES_ROLE_KIND);
    if (journaled) return journaled.data?.adminUrl ?? null;
    const access = services.runningValues("postgres");
    return access ? superuserUrl(dirname(access.socket), access.values) : null;
  };
  return {
    starter: {
      start: (service, sessionId) => services.start(service, sessionId),
      registerAwsKey: (id, secret) => moto.registerKey(id, secret),
      registerAwsSession: (id, secret, token) => moto.registerSession(id, secret, token),
      privateAccess: (service) => services.runningValues(service),
    },
    retire: (old, grace) => retireInService(old, grace, { services, moto, roleAdminUrl }),
    revoker: [SERVICE_JOURNAL_KIND, (entry) => services.revoke(entry)],
    wipePart: { name: "services", run: async () => ({ undone: await services.stopAll() }) },
    list: () => ({ services: services.list() }),
    pause(request, caller = {}) {
      const paused = services.pause(request.service, request.seconds * 1000);
      deps.audit.append([pauseEntry(deps.sessionId(), paused.service, request.seconds, caller)]);
      return paused;
    },
    handedOut: () =>
      services.list().map((s) => ({
        kind: "service",
        name: `${s.service} ${s.url}${s.pausedUntil ? " (paused)" : ""}`,
        expiresAt: null,
      })),
    journalKinds: [SERVICE_JOURNAL_KIND],
  };
}
