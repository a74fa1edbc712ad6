// The daemon's core: wires resolver, providers, sandbox, sessions and the journal behind DaemonCore.
// Rule: no express, no commander, no process.exit; shutdown wipes and reports, main.ts exits.

import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { DevsecretsError } from "../common/errors.js";
import type { DaemonCore } from "./daemon-api.js";
import { PACKAGE_VERSION } from "./protocol/version.js";
import type { MintResponse, Notice, StatusResponse } from "./protocol/messages.js";
import { Resolver } from "./resolve/resolver.js";
import { ProjectFiles } from "./resolve/project-files.js";
import { parseReference } from "./resolve/reference-parser.js";
import { listKinds } from "./sandbox/registry.js";
import { mintKind } from "./sandbox/mint.js";
import { SessionHolder, ServingSession } from "./session/serving-session.js";
import { SessionManager, DEFAULT_TTL_SECONDS } from "./session/session-manager.js";
import { KeychainValues } from "./session/keychain-values.js";
import { formatDuration } from "../common/durations.js";
import { envProvider } from "./providers/env-provider.js";
import { sandboxProvider } from "./providers/sandbox-provider.js";
import { keychainProvider } from "./providers/keychain-provider.js";
import { liveVaultProvider } from "./providers/vault/live-vault-provider.js";
import { VaultSessions } from "./providers/vault/vault-sessions.js";
import { projectId } from "./session/stores/keychain-names.js";
import { Journal } from "./leases/journal.js";
import { Revokers } from "./leases/revokers.js";
import { revokePostgresRole } from "./sandbox/postgres/revoke-postgres-role.js";
import { sessionJwks } from "./sandbox/jwks.js";
import { JwksServer } from "./sandbox/jwks-server.js";
import { addCaFiles } from "./sandbox/ca-files.js";
import { AuditLog } from "./audit/audit-log.js";
import { stateDir } from "../common/paths.js";
import type { WipeRegistry } from "./wipe/wipe-registry.js";
import type { Logger } from "./log.js";
import { EventBus } from "./events.js";

export interface CoreOptions {
  socket: string;
  log: Logger;
  wipe: WipeRegistry;
  env?: NodeJS.ProcessEnv;
}

const ENDING_SOON_MS = 10 * 60 * 1000;

export function createDaemonCore(options: CoreOptions): DaemonCore {
  const env = options.env ?? process.env;
  const events = new EventBus();
  const startedAt = new Date();
  const journal = new Journal(join(stateDir(env), "journal.jsonl"));
  const revokers = new Revokers(journal);
  // before "revoked": an owned Vault token is revoked whole (its leases with it) when the session ends
  const vault = new VaultSessions({
    journal,
    events,
    log: options.log,
    env,
    ends: (reason) =>
      reason === "logout" || reason === "expiry" || reason === "idle" || manager.active?.store.kind === "memory",
  });
  options.wipe.register({ name: "vault", run: (reason) => vault.wipe(reason) });
  revokers.register("vault-lease", (entry) => vault.revokeLease(entry));
  revokers.register("postgres-role", revokePostgresRole);
  const audit = new AuditLog(env.DEVSECRETS_AUDIT_FILE || join(stateDir(env), "audit.jsonl"));
  let wipedSession = "";
  const holder = new SessionHolder((serving) => {
    serving.ledger = (projectRoot) => {
      // the ledger runs only at mint time, long after `manager` below exists
      const active = manager.active;
      const expiresAt =
        active && active.record.id === serving.id
          ? new Date(active.record.expiresAt)
          : new Date(Date.now() + DEFAULT_TTL_SECONDS * 1000);
      return {
        sessionId: serving.id,
        expiresAt,
        projectRoot,
        env,
        record: (entry) => journal.record({ ...entry, session: serving.id, expiresAt: expiresAt.toISOString() }),
      };
    };
  });
  const projects = new ProjectFiles();
  const projectIds = new Map<string, Promise<string>>();
  const projectIdOf = (root: string): Promise<string> => {
    const cached = projectIds.get(root);
    if (cached) return cached;
    const id = projectId(root);
    projectIds.set(root, id);
    id.catch(() => projectIds.delete(root));
    return id;
  };

  // wipe order: real credentials the session made, then sandbox material, then the session itself
  options.wipe.register({
    name: "revoked",
    async run() {
      const current = holder.current.id;
      wipedSession = current;
      return revokers.revoke((entry) => entry.session === current);
    },
  });
  options.wipe.register({
    name: "sandbox",
    async run() {
      const previous = holder.replace(new ServingSession("anonymous"));
      return { undone: await previous.destroy() };
    },
  });
  const jwksServer = new JwksServer(() => sessionJwks(holder.current.sandbox), options.wipe);
  const manager = new SessionManager({ holder, wipe: options.wipe, journal, log: options.log, env, vault });
  const keychain = new KeychainValues({ sessions: manager, projects, projectId: projectIdOf, events });
  options.wipe.onWiped((report) => {
    try {
      audit.append([
        {
          action: "wipe",
          session: wipedSession,
          outcome: report.ok ? "ok" : "error",
          detail: { reason: report.reason, ...report.parts },
        },
      ]);
    } catch {
      // the wipe itself must finish; the daemon log below still records it
    }
    options.log.info("wipe", {
      reason: report.reason,
      parts: report.parts,
      failed: Object.keys(report.failed),
      ok: report.ok,
      ms: report.durationMs,
    });
    events.publish({ type: "wipe", reason: report.reason });
  });

  const resolver = new Resolver({
    projects,
    providers: {
      env: envProvider,
      sandbox: sandboxProvider,
      keychain: keychainProvider(manager),
      vault: liveVaultProvider({ sessions: vault, events, projects }),
    },
    projectId: projectIdOf,
    session: () => holder.current,
    beforeAnswer: (served, session, caller) => {
      // one entry per value that leaves the daemon; literals are config, not secrets
      audit.append(
        served
          .filter((v) => v.reference !== null)
          .map((v) => ({
            action: "serve" as const,
            session: session.id,
            variable: v.name,
            reference: v.reference as string,
            outcome: "ok" as const,
            ...caller,
          })),
      );
    },
  });

  function sessionNotices(): { session: { expiresAt: string } | null; notices: Notice[] } {
    const active = manager.active;
    if (!active) return { session: null, notices: [] };
    const left = Date.parse(active.record.expiresAt) - Date.now();
    const notices =
      left < ENDING_SOON_MS
        ? [
            {
              code: "DS_SESSION_ENDING",
              message: `the session ends in ${formatDuration(Math.round(left / 1000))}; run \`devsecrets login\` to extend it`,
            },
          ]
        : [];
    return { session: { expiresAt: active.record.expiresAt }, notices };
  }

  return {
    events,
    health: () => ({ ok: true, version: PACKAGE_VERSION, pid: process.pid }),
    touch: () => manager.touch(),

    status(): StatusResponse {
      const session = holder.current;
      const info = manager.info();
      const now = Date.now();
      return {
        version: PACKAGE_VERSION,
        user: userInfo().username,
        pid: process.pid,
        socket: options.socket,
        startedAt: startedAt.toISOString(),
        uptimeSeconds: Math.round((now - startedAt.getTime()) / 1000),
        logFile: options.log.file,
        vault: vault.status(info?.id ?? null),
        session: {
          kind: session.kind,
          id: info?.id ?? null,
          store: info?.store ?? "memory",
          env: info?.env ?? "dev",
          expiresAt: info?.expiresAt ?? null,
          expiresInSeconds: info ? Math.max(0, Math.round((Date.parse(info.expiresAt) - now) / 1000)) : null,
          idleInSeconds: info ? Math.max(0, Math.round((Date.parse(info.idleAt) - now) / 1000)) : null,
          counts: { ...session.counts },
        },
      };
    },

    async resolve(request, caller = {}) {
      const resolved = await resolver.resolve(request, caller);
      const answer = await addCaFiles(
        request,
        await projects.load(request.cwd, request.env ?? "dev"),
        resolved,
        holder.current,
        dirname(options.socket),
      );
      const { session, notices } = sessionNotices();
      return { ...answer, session, notices: [...answer.notices, ...notices] };
    },
    check: (request) => resolver.check(request),

    async list(request) {
      const answer = await resolver.list(request);
      // as the reference parser reads it: percent-decoded (already validated), NFC
      const nameOf = (reference: string) => decodeURIComponent(reference.slice("keychain://".length)).normalize("NFC");
      const keychainVars = answer.variables.filter((v) => v.source === "keychain" && v.reference);
      const set = await keychain.status(
        answer.project.id,
        keychainVars.map((v) => nameOf(v.reference as string)),
      );
      for (const v of keychainVars) v.set = set.get(nameOf(v.reference as string)) ?? null;
      return answer;
    },

    async mint(request, caller = {}): Promise<MintResponse> {
      // a mint is new on every call; only key material (JWT keys, the dev CA) is the session's, so JWKS verifies it
      const ref = parseReference(`sandbox://${request.kind}`, "request");
      if (ref.field !== null) {
        throw new DevsecretsError(
          "DS_SANDBOX_FIELD",
          `mint takes a kind without #field, got "${request.kind.slice(0, 80)}"`,
          {
            hint: "mint the kind; every field is printed",
          },
        );
      }
      const session = holder.current;
      const ledger = session.ledger?.(null);
      const context = {
        session: session.sandbox,
        now: () => new Date(),
        ...(ledger ? { ledger } : {}),
        ...(request.claims ? { claims: request.claims } : {}),
      };
      const { kind, minted } = await mintKind(ref.path, ref.query, context);
      audit.append([
        { action: "mint", session: session.id, reference: `sandbox://${request.kind}`, outcome: "ok", ...caller },
      ]);
      session.counts.sandboxTokens++;
      const reference = `sandbox://${request.kind}`;
      if ("value" in minted) {
        session.served.record(minted.value.reveal(), kind.kind);
        return { kind: kind.kind, reference, value: minted.value.reveal() };
      }
      const fields: Record<string, string> = {};
      for (const [name, secret] of Object.entries(minted.fields)) {
        fields[name] = secret.reveal();
        session.served.record(fields[name], kind.kind);
      }
      return { kind: kind.kind, reference, fields };
    },

    jwks: () => sessionJwks(holder.current.sandbox),
    guardFingerprints: () => holder.current.served.fingerprints(),
    serveJwks: (request) => jwksServer.serve(request.port),

    kinds: () => ({
      kinds: listKinds().map((kind) => ({
        kind: kind.kind,
        summary: kind.summary,
        fields: [...kind.fields],
        options: Object.fromEntries(Object.entries(kind.options).map(([name, spec]) => [name, spec.description])),
      })),
    }),

    async login(request, caller = {}) {
      const answer = await manager.login(request);
      audit.append([
        {
          action: "login",
          session: answer.session.id,
          outcome: "ok",
          detail: { store: answer.session.store, env: answer.session.env, extended: answer.extended },
          ...caller,
        },
      ]);
      return answer;
    },

    async logout(caller = {}) {
      if (!manager.active) return { loggedOut: false, wiped: {}, failed: {} };
      audit.append([{ action: "logout", session: holder.current.id, outcome: "ok", ...caller }]);
      const report = await options.wipe.wipe("logout");
      return { loggedOut: true, wiped: report.parts, failed: report.failed };
    },

    async keychainSet(request, caller = {}) {
      const change = await keychain.set(request.cwd, request.name, request.value);
      // a value the user stored is one `scan` must find in files, served or not yet
      holder.current.served.record(request.value, null);
      audit.append([
        {
          action: "set",
          session: holder.current.id,
          reference: `keychain://${change.name}`,
          outcome: "ok",
          detail: { changed: change.changed },
          ...caller,
        },
      ]);
      return change;
    },
    async keychainUnset(request, caller = {}) {
      const change = await keychain.unset(request.cwd, request.name);
      audit.append([
        {
          action: "unset",
          session: holder.current.id,
          reference: `keychain://${change.name}`,
          outcome: "ok",
          detail: { changed: change.changed },
          ...caller,
        },
      ]);
      return change;
    },

    async recover() {
      const { resumed, removed } = await manager.resume();
      // what a dead daemon handed out can no longer be tracked or renewed: revoke it all, resumed session or not
      const orphans = await revokers.revoke();
      if (resumed || removed || orphans.undone || orphans.failed.length) {
        options.log.info("recovery", {
          resumed: resumed ?? null,
          removedSessions: removed,
          revoked: orphans.undone,
          failed: orphans.failed,
        });
      }
      journal.compact();
    },

    async shutdown() {
      const report = await options.wipe.wipe("shutdown");
      return { stopping: true, wiped: report.parts };
    },
  };
}
