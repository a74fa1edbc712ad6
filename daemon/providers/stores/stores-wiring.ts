// The platform stores (aws-sm://, aws-ssm://, sops://) built for the composition root: one set of AWS clients and one
// rotation watcher shared by both AWS schemes; the core registers the providers and calls drop() in Vault's wipe part.
// Rule: the clients hold the session's AWS credentials, so drop() stops the watcher and forgets them.

import type { EventBus } from "../../events.js";
import type { Logger } from "../../log.js";
import type { ProductionPattern } from "../../resolve/production-paths.js";
import type { ProjectFiles } from "../../resolve/project-files.js";
import type { Provider } from "../../resolve/provider.js";
import type { SessionRecord, SessionStore } from "../../session/session-store.js";
import { pollInterval } from "../vault/kv-watcher.js";
import { AwsClients } from "./aws-clients.js";
import { awsParameterStoreProvider, awsSecretsManagerProvider, type AwsProviderDeps } from "./aws-providers.js";
import { AwsSecretWatcher } from "./aws-watcher.js";
import { sopsProvider } from "./sops-provider.js";

export interface PlatformStoreDeps {
  events: EventBus;
  projects: ProjectFiles;
  log: Logger;
  env: NodeJS.ProcessEnv;
  production: { patterns(): ProductionPattern[] };
  /** the logged-in session's record and store when `servingId` is that session, else null (anonymous) */
  login: (servingId: string) => { record: SessionRecord; store: SessionStore } | null;
  /** the session logged in with --offline (or DEVSECRETS_OFFLINE) */
  offline: (servingId: string) => boolean;
}

export interface PlatformStores {
  providers: { "aws-sm": Provider; "aws-ssm": Provider; sops: Provider };
  /** stops watching for rotations and forgets the AWS clients (and the credentials they hold) */
  drop(): void;
}

export function wireStores(deps: PlatformStoreDeps): PlatformStores {
  const { events, projects, log, env, production } = deps;
  const clients = new AwsClients();
  const watcher = new AwsSecretWatcher({ clients, events, projects, log, intervalMs: pollInterval(env) });
  const aws: AwsProviderDeps = {
    watch: (secret) => watcher.watch(secret),
    clients,
    login: (servingId) => deps.login(servingId)?.record ?? null,
    offline: deps.offline,
    env,
    production,
  };
  return {
    providers: {
      "aws-sm": awsSecretsManagerProvider(aws),
      "aws-ssm": awsParameterStoreProvider(aws),
      sops: sopsProvider({ login: deps.login, env, production }),
    },
    drop() {
      watcher.stop();
      clients.drop();
    },
  };
}
