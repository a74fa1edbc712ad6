// The daemon's core: wires resolver, providers, sandbox and the session holder behind DaemonCore.
// Rule: no express, no commander, no process.exit; shutdown wipes and reports, main.ts exits.

import { DevsecretsError } from "./errors.js";
import type { DaemonCore } from "./core.js";
import { PACKAGE_VERSION } from "./protocol/version.js";
import type { MintResponse, StatusResponse } from "./protocol/messages.js";
import { Resolver } from "./resolve/resolver.js";
import { ProjectFiles } from "./resolve/project-files.js";
import { parseReference } from "./resolve/reference-parser.js";
import { listKinds } from "./sandbox/registry.js";
import { mintKind } from "./sandbox/mint.js";
import { SessionHolder, ServingSession } from "./session/serving-session.js";
import { envProvider } from "./providers/env-provider.js";
import { sandboxProvider } from "./providers/sandbox-provider.js";
import { keychainProvider } from "./providers/keychain-provider.js";
import { vaultStandInProvider } from "./providers/vault-provider.js";
import { projectId } from "./session/stores/keychain-names.js";
import type { WipeRegistry } from "./wipe/wipe-registry.js";
import type { Logger } from "./log.js";
import { EventBus } from "./events.js";

export interface CoreOptions {
  socket: string;
  log: Logger;
  wipe: WipeRegistry;
}

export function createDaemonCore(options: CoreOptions): DaemonCore {
  const sessions = new SessionHolder();
  const events = new EventBus();
  const startedAt = new Date();
  const projectIds = new Map<string, Promise<string>>();
  const resolver = new Resolver({
    projects: new ProjectFiles(),
    providers: { env: envProvider, sandbox: sandboxProvider, keychain: keychainProvider, vault: vaultStandInProvider },
    projectId: (root) => {
      const cached = projectIds.get(root);
      if (cached) return cached;
      const id = projectId(root);
      projectIds.set(root, id);
      id.catch(() => projectIds.delete(root));
      return id;
    },
    session: () => sessions.current,
  });

  options.wipe.register({
    name: "sandbox",
    async run() {
      const previous = sessions.replace(new ServingSession("anonymous"));
      return { undone: await previous.destroy() };
    },
  });

  options.wipe.onWiped((report) => {
    options.log.info("wipe", { reason: report.reason, parts: report.parts, failed: Object.keys(report.failed), ok: report.ok, ms: report.durationMs });
    events.publish({ type: "wipe", reason: report.reason });
  });

  return {
    events,
    health: () => ({ ok: true, version: PACKAGE_VERSION, pid: process.pid }),

    status(): StatusResponse {
      const session = sessions.current;
      return {
        version: PACKAGE_VERSION,
        pid: process.pid,
        socket: options.socket,
        startedAt: startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        logFile: options.log.file,
        session: { kind: session.kind, store: "memory", env: "dev", expiresAt: null, counts: { ...session.counts } },
      };
    },

    resolve: (request) => resolver.resolve(request),
    check: (request) => resolver.check(request),
    list: (request) => resolver.list(request),

    async mint(request): Promise<MintResponse> {
      // a mint is new on every call; only key material (JWT keys, the dev CA) is the session's, so JWKS verifies it
      const ref = parseReference(`sandbox://${request.kind}`, "request");
      if (ref.field !== null) {
        throw new DevsecretsError("DS_SANDBOX_FIELD", `mint takes a kind without #field, got "${request.kind.slice(0, 80)}"`, {
          hint: "mint the kind; every field is printed",
        });
      }
      const session = sessions.current;
      const context = { session: session.sandbox, now: () => new Date(), ...(request.claims ? { claims: request.claims } : {}) };
      const { kind, minted } = await mintKind(ref.path, ref.query, context);
      session.counts.sandboxTokens++;
      const reference = `sandbox://${request.kind}`;
      if ("value" in minted) return { kind: kind.kind, reference, value: minted.value.reveal() };
      const fields: Record<string, string> = {};
      for (const [name, secret] of Object.entries(minted.fields)) fields[name] = secret.reveal();
      return { kind: kind.kind, reference, fields };
    },

    kinds: () => ({
      kinds: listKinds().map((kind) => ({
        kind: kind.kind,
        summary: kind.summary,
        fields: [...kind.fields],
        options: Object.fromEntries(Object.entries(kind.options).map(([name, spec]) => [name, spec.description])),
      })),
    }),

    async shutdown() {
      const report = await options.wipe.wipe("shutdown");
      return { stopping: true, wiped: report.parts };
    },
  };
}

