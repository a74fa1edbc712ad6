// The providers wired for the composition root: one per scheme, the platform stores' among them, each refused while a
// file session is locked where it needs the login, all behind the trust gate; and the sops identity's route.
// Rule: the resolver meets providers only through this table; a new scheme is added here and in resolve/reference.ts.

import type { DaemonCore } from "../daemon-api.js";
import type { EventBus } from "../events.js";
import type { Logger } from "../log.js";
import type { ProductionPattern } from "../resolve/production-paths.js";
import type { ProjectFiles } from "../resolve/project-files.js";
import type { Provider } from "../resolve/provider.js";
import type { ReferenceScheme } from "../resolve/reference.js";
import { adminUrlConfigured } from "../sandbox/postgres/admin-url.js";
import { refuseWhileLocked } from "../session/locked-session-guard.js";
import type { SessionManager } from "../session/session-manager.js";
import { gateProviders } from "../trust/trust-gate.js";
import { envProvider } from "./env-provider.js";
import { keychainProvider } from "./keychain-provider.js";
import { sandboxProvider } from "./sandbox-provider.js";
import { sopsKey } from "./stores/sops-identity.js";
import { type PlatformStores, wireStores } from "./stores/stores-wiring.js";
import { liveVaultProvider } from "./vault/live-vault-provider.js";
import type { VaultSessions } from "./vault/vault-sessions.js";

export interface ProvidersWiringDeps {
  env: NodeJS.ProcessEnv;
  events: EventBus;
  projects: ProjectFiles;
  log: Logger;
  production: { patterns(): ProductionPattern[] };
  sessions: SessionManager;
  vault: VaultSessions;
}

export interface WiredProviders {
  /** scheme -> provider, as the resolver asks them */
  table: Record<ReferenceScheme, Provider>;
  /** the platform stores, whose AWS clients the vault wipe part drops */
  stores: PlatformStores;
  sopsKey: DaemonCore["sopsKey"];
}

export function wireProviders(deps: ProvidersWiringDeps): WiredProviders {
  const { env, events, projects, production, sessions, vault } = deps;
  const stores = wireStores({
    events,
    projects,
    log: deps.log,
    env,
    production,
    login: (servingId) => (sessions.active?.record.id === servingId ? sessions.active : null),
    offline: (servingId) => vault.offline(servingId),
  });
  const table = gateProviders(
    {
      env: envProvider,
      sandbox: sandboxProvider,
      keychain: keychainProvider(sessions),
      vault: refuseWhileLocked(sessions, liveVaultProvider({ sessions: vault, events, projects, production })),
      "aws-sm": refuseWhileLocked(sessions, stores.providers["aws-sm"]),
      "aws-ssm": refuseWhileLocked(sessions, stores.providers["aws-ssm"]),
      sops: refuseWhileLocked(sessions, stores.providers.sops),
    },
    { adminUrlConfigured: (projectRoot) => adminUrlConfigured({ env, projectRoot }) },
  );
  return {
    table,
    stores,
    sopsKey: (request) => sopsKey(request, { store: (what) => sessions.requireLogin(what).store }),
  };
}
