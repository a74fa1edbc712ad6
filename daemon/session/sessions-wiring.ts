// The session wired for the composition root: the holder of the serving session (equipped with its ledger, the minted
// registry and the sandbox services), the logged-in session's manager with its Vault, the session routes (login,
// logout, extend, shutdown; audited), expiry warnings, and the vault and session wipe parts.
// Rule: the login's AWS settings join the session's record beside the Vault token; a logout or shutdown is one wipe,
// but the logout of a file session still locked since a restart, which only ends it (this daemon holds none of it).

import { MintedRegistryWriter, mintedRegistryPath } from "../../common/minted-registry.js";
import { stateDir } from "../../common/paths.js";
import { loginEntry, logoutEntry } from "../audit/action-entries.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { DaemonCore } from "../daemon-api.js";
import type { EventBus } from "../events.js";
import type { Journal } from "../leases/journal.js";
import type { Revoker } from "../leases/revokers.js";
import type { Logger } from "../log.js";
import { recordAwsLogin } from "../providers/stores/aws-login.js";
import { VaultSessions } from "../providers/vault/vault-sessions.js";
import type { ServiceStarter } from "../sandbox/sandbox-kind.js";
import { settleLiveValues } from "../sandbox/settle-live.js";
import type { WipePart, WipeRegistry } from "../wipe/wipe-registry.js";
import { ExpiryWarnings } from "./expiry-warnings.js";
import { equipWithLedger } from "./mint-ledger.js";
import { SessionHolder } from "./serving-session.js";
import { SessionManager } from "./session-manager.js";

export interface SessionsWiringDeps {
  journal: Journal;
  events: EventBus;
  log: Logger;
  env: NodeJS.ProcessEnv;
  wipe: WipeRegistry;
  audit: Pick<AuditLog, "append">;
  /** the daemon's sandbox services, handed to every session that becomes current */
  services: ServiceStarter;
}

export interface WiredSessions {
  holder: SessionHolder;
  manager: SessionManager;
  vault: VaultSessions;
  login: DaemonCore["login"];
  logout: DaemonCore["logout"];
  extend: DaemonCore["extend"];
  touch: DaemonCore["touch"];
  shutdown: DaemonCore["shutdown"];
  /** [journal kind, revoker] of the Vault leases */
  vaultRevoker: [kind: string, revoker: Revoker];
  /** the owned Vault token, revoked whole with its leases, after `alsoDrop` (what else holds the session's credentials) */
  vaultWipePart: (alsoDrop: { drop(): void }) => WipePart;
  /** the stored session record */
  sessionWipePart: WipePart;
  /** registers the held live sandbox values once the journal holds nothing live (after an undo of the journal) */
  settleLive: () => void;
}

export function wireSessions(deps: SessionsWiringDeps): WiredSessions {
  const { journal, events, log, env, wipe, audit } = deps;
  // `manager` is read only when a mint or a wipe runs, long after it exists
  const equip = equipWithLedger({ journal, env, expiresAt: (id) => manager.expiresAtOf(id) });
  const registryPath = mintedRegistryPath(stateDir(env));
  const registry = new MintedRegistryWriter(registryPath);
  const settleLive = () => void settleLiveValues(journal, registryPath);
  // the wipe stopped the services and dropped the roles: their passwords are fakes from now on (unless an undo failed)
  wipe.onWiped(settleLive);
  const holder = new SessionHolder((serving) => {
    equip(serving);
    serving.registry = registry;
    serving.services = deps.services;
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
  new ExpiryWarnings(() => manager.info(), events).start();
  return {
    holder,
    manager,
    vault,
    async login(request, caller = {}) {
      const answer = await manager.login(request);
      audit.append([loginEntry(answer, caller)]);
      return answer;
    },
    async logout(caller = {}) {
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
    },
    extend: async (request) => ({ session: await manager.extend(request.ttlSeconds) }),
    touch: () => manager.touch(),
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
    settleLive,
    vaultRevoker: ["vault-lease", (entry) => vault.revokeLease(entry)],
    vaultWipePart: (alsoDrop) => ({
      name: "vault",
      run: (reason) => {
        // the platform stores' clients hold the session's AWS credentials: dropped with Vault's token
        alsoDrop.drop();
        return vault.wipe(reason);
      },
    }),
    sessionWipePart: { name: "session", run: (reason) => manager.wipe(reason) },
  };
}
