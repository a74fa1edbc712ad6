// The daemon's composition root: builds resolver, providers, sandbox, sessions, journal and audit, registers the
// wipe's parts, and answers each DaemonCore method with one call into the module that owns it.
// Rule: wiring only (no steps of its own, no express, commander or process.exit); the wipe order is wipe-order.ts's.

import { dirname, join } from "node:path";
import { MintedRegistryWriter, mintedRegistryPath } from "../common/minted-registry.js";
import { stateDir } from "../common/paths.js";
import { keychainEntry, loginEntry, logoutEntry, serveEntries } from "./audit/action-entries.js";
import { AuditLog } from "./audit/audit-log.js";
import { publishAuditEvents } from "./audit/audit-events.js";
import type { DaemonCore } from "./daemon-api.js";
import { EventBus } from "./events.js";
import { wireLeases } from "./leases/leases-wiring.js";
import type { Logger } from "./log.js";
import { PACKAGE_VERSION } from "./protocol/version.js";
import { envProvider } from "./providers/env-provider.js";
import { UserProductionPaths } from "./resolve/production-paths.js";
import { keychainProvider } from "./providers/keychain-provider.js";
import { sandboxProvider } from "./providers/sandbox-provider.js";
import { liveVaultProvider } from "./providers/vault/live-vault-provider.js";
import { recordAwsLogin } from "./providers/stores/aws-login.js";
import { platformStores } from "./providers/stores/platform-stores.js";
import { sopsKey } from "./providers/stores/sops-identity.js";
import { VaultSessions } from "./providers/vault/vault-sessions.js";
import { caVariables } from "./resolve/ca-variables.js";
import { cachedProjectIds } from "./resolve/project-ids.js";
import { ProjectFiles } from "./resolve/project-files.js";
import { Resolver } from "./resolve/resolver.js";
import { adminUrlConfigured } from "./sandbox/postgres/admin-url.js";
import { postgresRevokers } from "./sandbox/postgres/postgres-revokers.js";
import { wireSandbox } from "./sandbox/sandbox-wiring.js";
import { KeychainValues } from "./session/keychain-values.js";
import { equipWithLedger } from "./session/mint-ledger.js";
import { SessionHolder } from "./session/serving-session.js";
import { SessionManager } from "./session/session-manager.js";
import { refuseWhileLocked } from "./session/locked-session-guard.js";
import { probeKeychain } from "./session/stores/keychain-doctor.js";
import { describeDaemon, pendingRevocations } from "./status.js";
import { gateProviders } from "./trust/trust-gate.js";
import { wireTrust } from "./trust/trust-wiring.js";
import { reportWipes } from "./wipe/report-wipes.js";
import type { WipeRegistry } from "./wipe/wipe-registry.js";
import { SeenProjects } from "./resolve/seen-projects.js";
import { witnessResolves } from "./resolve/witness-resolves.js";
import { ExpiryWarnings } from "./session/expiry-warnings.js";
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
  const leases = wireLeases({ env, log, sessionId: () => holder.current.id });
  const { journal, revokers } = leases;
  // `manager` is read only when a mint or a wipe runs, long after it exists
  const equip = equipWithLedger({ journal, env, expiresAt: (id) => manager.expiresAtOf(id) });
  const registry = new MintedRegistryWriter(mintedRegistryPath(stateDir(env)));
  const services = wireSandboxServices({
    journal,
    runtimeDir: dirname(options.socket),
    env,
    log,
    audit,
    sessionId: () => holder.current.id,
  });
  const holder = new SessionHolder((serving) => {
    equip(serving);
    serving.registry = registry;
    serving.services = services.starter;
  });
  const vault = new VaultSessions({ journal, events, log, env, ends: (reason) => manager.endsWith(reason) });
  const manager = new SessionManager({
    holder,
    wipe,
    journal,
    log,
    env,
    vault: {
      // the login's AWS settings join the session's record beside the Vault token
      login: async (request, record, notices) => {
        await vault.login(request, record, notices);
        recordAwsLogin(request, record);
      },
      activate: (record) => vault.activate(record),
    },
  });
  const projects = new ProjectFiles();
  const production = new UserProductionPaths(env);
  const stores = platformStores({
    events,
    projects,
    log,
    env,
    production,
    login: (servingId) => (manager.active?.record.id === servingId ? manager.active : null),
    offline: (servingId) => vault.offline(servingId),
  });
  const projectId = cachedProjectIds();
  const keychain = new KeychainValues({
    sessions: manager,
    projects,
    projectId,
    events,
    session: () => holder.current,
  });
  const trust = wireTrust({ env, projects, projectId, audit, sessionId: () => holder.current.id, sessions: manager });
  const resolver = new Resolver({
    projects,
    providers: gateProviders(
      {
        env: envProvider,
        sandbox: sandboxProvider,
        keychain: keychainProvider(manager),
        vault: refuseWhileLocked(manager, liveVaultProvider({ sessions: vault, events, projects, production })),
        "aws-sm": refuseWhileLocked(manager, stores.providers["aws-sm"]),
        "aws-ssm": refuseWhileLocked(manager, stores.providers["aws-ssm"]),
        sops: refuseWhileLocked(manager, stores.providers.sops),
      },
      { adminUrlConfigured: (projectRoot) => adminUrlConfigured({ env, projectRoot }) },
    ),
    trust: trust.verdict,
    projectId,
    session: () => holder.current,
    beforeAnswer: (served, session, caller) => audit.append(serveEntries(served, session.id, caller)),
    implied: caVariables(dirname(options.socket)),
    sessionExpiresAt: () => manager.active?.record.expiresAt ?? null,
  });

  const seen = new SeenProjects();
  const resolve = witnessResolves((request, caller) => resolver.resolve(request, caller), { seen, events, projects });
  new ExpiryWarnings(() => manager.info(), events).start();
  const sandbox = wireSandbox({ holder, projects, events, audit, retire: services.retire, seen });
  const logout: DaemonCore["logout"] = async (caller = {}) => {
    if (!manager.active && manager.locked) {
      // a file session locked since a restart ends without its passphrase; what it handed out is journaled apart
      audit.append([logoutEntry(manager.locked.id, caller)]);
      manager.endLocked();
      return { loggedOut: true, wiped: { session: 1 }, failed: {} };
    }
    if (!manager.active) return { loggedOut: false, wiped: {}, failed: {} };
    audit.append([logoutEntry(holder.current.id, caller)]);
    const report = await wipe.wipe("logout");
    return { loggedOut: true, wiped: report.parts, failed: report.failed };
  };
  const ui = wireDashboard({
    events,
    startedAt,
    holder,
    sessions: manager,
    vault,
    seen,
    resolver,
    journal,
    audit,
    runtimeDir: dirname(options.socket),
    jwks: sandbox.jwksServer,
    services,
    trust,
    projects,
    logout,
    rotate: sandbox.rotate,
  });

  revokers.register("vault-lease", (entry) => vault.revokeLease(entry));
  for (const [kind, revoker, revokerOptions] of postgresRevokers()) revokers.register(kind, revoker, revokerOptions);
  revokers.register(...services.revoker);
  wipe.register({
    name: "vault",
    run: (reason) => {
      // the platform stores' clients hold the session's AWS credentials: dropped with Vault's token
      stores.drop();
      return vault.wipe(reason);
    },
  });
  wipe.register(leases.wipePart);
  wipe.register(services.wipePart);
  wipe.register(sandbox.wipePart);
  wipe.register(sandbox.jwksWipePart);
  wipe.register(ui.wipePart);
  wipe.register({ name: "session", run: (reason) => manager.wipe(reason) });
  reportWipes(wipe, { audit, log, events, currentSession: () => holder.current.id });

  return {
    events,
    health: () => ({ ok: true, version: PACKAGE_VERSION, pid: process.pid }),
    touch: () => manager.touch(),
    status: () => ({
      ...describeDaemon({
        socket: options.socket,
        logFile: log.file,
        startedAt,
        holder,
        sessions: manager,
        vault,
        revokers,
      }),
      services: services.list().services.length,
    }),
    services: services.list,
    pauseService: services.pause,
    doctor: async () => ({ keychain: await probeKeychain(env), pendingRevocations: pendingRevocations(revokers) }),

    resolve: (request, caller = {}) => resolve(request, caller),
    check: (request) => resolver.check(request),
    async list(request) {
      const listing = await resolver.list(request);
      if (listing.trusted !== false) return keychain.markSet(listing);
      // an untrusted project learns nothing of the keychain, not even whether a name is set
      for (const v of listing.variables) if (v.source === "keychain") v.set = null;
      return listing;
    },
    trustShow: trust.show,
    trust: trust.trust,
    trustRevoke: trust.revoke,
    sopsKey: (request) => sopsKey(request, { store: (what) => manager.requireLogin(what).store }),
    trustList: trust.list,

    mint: sandbox.mint,
    kinds: sandbox.kinds,
    jwks: sandbox.jwks,
    serveJwks: sandbox.serveJwks,
    guardFingerprints: sandbox.guardFingerprints,

    async login(request, caller = {}) {
      const answer = await manager.login(request);
      audit.append([loginEntry(answer, caller)]);
      return answer;
    },
    logout,
    extend: async (request) => ({ session: await manager.extend(request.ttlSeconds) }),
    rotate: sandbox.rotate,
    uiOpen: ui.open,
    uiClose: ui.close,
    async keychainSet(request, caller = {}) {
      const change = await keychain.set(request.cwd, request.name, request.value, request.replace === true);
      audit.append([keychainEntry("set", holder.current.id, change, caller)]);
      return change;
    },
    async keychainUnset(request, caller = {}) {
      const change = await keychain.unset(request.cwd, request.name);
      audit.append([keychainEntry("unset", holder.current.id, change, caller)]);
      return change;
    },

    recover: () => leases.recover(manager),
    async shutdown(reason = "shutdown") {
      const active = manager.active;
      // asked before the wipe forgets it: a keychain session resumes in the next daemon; a memory one ends with this
      // one, and a file one (logged in, or still locked since the last restart) resumes locked: the next daemon cannot
      // open it without the passphrase, which only a login brings
      const kind = active?.store.kind ?? (manager.locked ? "file" : null);
      const session =
        kind === null
          ? null
          : { store: kind, resumes: kind !== "memory", ...(kind === "file" ? { locked: true } : {}) };
      const report = await wipe.wipe(reason);
      return { stopping: true, wiped: report.parts, pid: process.pid, session };
    },
  };
}
