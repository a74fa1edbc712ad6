// The Vault state of the logged-in session: made at login, rebuilt from the keychain record at resume, ended by the wipe.
// Rule: the session's token lives in SessionRecord.extra (a Secret) and daemon memory only; the user's own token is never revoked.

import { Secret } from "../../../common/secret.js";
import { readBoolean } from "../../../common/environment.js";
import { sayIgnored } from "../../../common/environment-dialect.js";
import type { EventBus } from "../../events.js";
import type { Journal, JournalEntry } from "../../leases/journal.js";
import type { Logger } from "../../log.js";
import type { LoginRequest, Notice } from "../../protocol/messages.js";
import type { SessionRecord } from "../../session/session-store.js";
import type { WipePartResult, WipeReason } from "../../wipe/wipe-registry.js";
import { authenticate, endpointOf } from "./vault-auth.js";
import { VaultSession } from "./vault-session.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { KvWatcher, pollInterval } from "./kv-watcher.js";
import { vaultStatus, type VaultEndpoint } from "./vault-http.js";

export interface LiveVault {
  session: VaultSession;
  leases: LeaseKeeper;
  watcher: KvWatcher;
}

export interface VaultSessionsDeps {
  journal: Journal;
  events: EventBus;
  log: Logger;
  /** the daemon's environment: DEVSECRETS_OFFLINE, DEVSECRETS_POLL_MS */
  env: Readonly<Record<string, string | undefined>>;
  /** whether a wipe for this reason ends the session for good (logout, expiry, idle, or a memory store) */
  ends: (reason: WipeReason) => boolean;
}

export interface VaultStatus {
  address: string;
  namespace: string | null;
  offline: boolean;
  /** the session made its token (and revokes it at the end) */
  tokenOwned: boolean;
  /** when the session's token expires, as last told by Vault; null: no expiry or unknown */
  tokenExpiresAt: string | null;
}

const KEYS = [
  "vaultAddress",
  "vaultNamespace",
  "vaultCaCert",
  "vaultToken",
  "vaultTokenOwned",
  "vaultTokenExpiresAt",
  "vaultOffline",
] as const;

export class VaultSessions {
  #live: LiveVault | null = null;
  #liveId: string | null = null;
  #offline = false;
  /** sessions whose leases the wipe or the next start may still revoke: id -> session (stopped, token kept) */
  readonly #ended = new Map<string, VaultSession>();

  constructor(private readonly deps: VaultSessionsDeps) {}

  /** the live Vault of the serving session `id`, or null (no Vault configured, offline, or another session) */
  live(id: string): LiveVault | null {
    return this.#liveId === id ? this.#live : null;
  }

  offline(id: string): boolean {
    return readBoolean(this.deps.env, "DEVSECRETS_OFFLINE", sayIgnored) || (this.#liveId === id && this.#offline);
  }

  /** at login, before the record is saved: authenticates and puts the session's token into record.extra */
  async login(request: LoginRequest, record: SessionRecord, notices: Notice[]): Promise<void> {
    const extra = (record.extra ??= {});
    if (request.offline || readBoolean(this.deps.env, "DEVSECRETS_OFFLINE", sayIgnored)) {
      for (const key of KEYS) delete extra[key];
      extra.vaultOffline = true;
      notices.push({
        code: "DS_VAULT_SANDBOX",
        message: "offline: vault:// references are answered by sandbox values; no Vault is contacted",
      });
      if (this.#liveId === record.id) this.activate(record);
      return;
    }
    if (!request.vault) return;
    const ttl = Math.max(1, Math.round((Date.parse(record.expiresAt) - Date.now()) / 1000));
    const live = this.#liveId === record.id ? this.#live : null;
    if (live && live.session.address === request.vault.address && live.session.state.owned) {
      // a kept session: the token follows the new expiry
      live.session.state.expiresAt = record.expiresAt;
      const answer = await live.session.http.write("auth/token/renew-self", { increment: `${ttl}s` }).catch(() => null);
      if (answer?.auth) {
        extra.vaultTokenExpiresAt = expiryOf(answer.auth.lease_duration);
        live.session.renewToken(answer.auth.lease_duration);
        return;
      }
    }
    const token = await authenticate(request.vault, ttl, record.id);
    if (token.notice) notices.push({ code: "DS_VAULT_USER_TOKEN", message: token.notice });
    Object.assign(extra, {
      vaultAddress: request.vault.address,
      vaultNamespace: request.vault.namespace ?? null,
      vaultCaCert: request.vault.caCert ?? null,
      vaultToken: token.token,
      vaultTokenOwned: token.owned,
      vaultTokenExpiresAt: expiryOf(token.ttlSeconds),
      vaultOffline: false,
    });
    if (this.#liveId === record.id) this.activate(record);
    this.deps.log.info("vault-login", {
      session: record.id,
      address: request.vault.address,
      auth: request.vault.auth,
      childToken: token.owned,
    });
  }

  /** the session became current (login or resume): rebuild its Vault state from the record */
  activate(record: SessionRecord): void {
    if (this.#live) this.#retire(this.#live.session);
    this.#live = null;
    this.#liveId = record.id;
    const extra = record.extra ?? {};
    this.#offline = extra.vaultOffline === true;
    if (typeof extra.vaultAddress !== "string" || !(extra.vaultToken instanceof Secret)) return;
    const endpoint: VaultEndpoint = endpointOf({
      address: extra.vaultAddress,
      ...(typeof extra.vaultNamespace === "string" ? { namespace: extra.vaultNamespace } : {}),
      ...(typeof extra.vaultCaCert === "string" ? { caCert: extra.vaultCaCert } : {}),
    });
    const session = new VaultSession(
      record.id,
      {
        endpoint,
        token: extra.vaultToken,
        owned: extra.vaultTokenOwned === true,
        env: record.env,
        expiresAt: record.expiresAt,
      },
      this.deps.log,
    );
    this.#live = {
      session,
      leases: new LeaseKeeper(session, this.deps.log),
      watcher: new KvWatcher(session, this.deps.events, pollInterval(this.deps.env), this.deps.log),
    };
    const expiresAt = typeof extra.vaultTokenExpiresAt === "string" ? Date.parse(extra.vaultTokenExpiresAt) : NaN;
    if (Number.isFinite(expiresAt)) session.renewToken(Math.max(1, Math.round((expiresAt - Date.now()) / 1000)));
  }

  status(id: string | null): VaultStatus | null {
    if (id === null || this.#liveId !== id) return null;
    if (!this.#live)
      return this.offline(id)
        ? { address: "", namespace: null, offline: true, tokenOwned: false, tokenExpiresAt: null }
        : null;
    const s = this.#live.session;
    return {
      address: s.address,
      namespace: s.state.endpoint.namespace ?? null,
      offline: false,
      tokenOwned: s.state.owned,
      tokenExpiresAt: s.tokenExpiresAt,
    };
  }

  /** the wipe's Vault part, run before the journaled leases are revoked one by one */
  async wipe(reason: WipeReason): Promise<WipePartResult> {
    const live = this.#live;
    this.#live = null;
    this.#liveId = null;
    this.#offline = false;
    if (!live) return { undone: 0 };
    this.#retire(live.session);
    if (!this.deps.ends(reason) || !live.session.state.owned) return { undone: 0 };
    // the session's leases first, a few at a time, so they are gone when logout answers (Vault revokes a
    // token's leases in the background); then the token itself, which takes anything left with it
    const entries = this.deps.journal
      .pending()
      .filter((e) => e.kind === "vault-lease" && e.session === live.session.id);
    const failed: string[] = [];
    const revoked: string[] = [];
    await eachLimited(entries, 8, async (entry) => {
      try {
        await live.session.http.call("PUT", "sys/leases/revoke", { lease_id: entry.id }, { budgetMs: 3_000 });
        revoked.push(entry.id);
      } catch (error) {
        failed.push(`vault-lease:${entry.id} (${vaultStatus(error) ?? "unreachable"})`);
      }
    });
    for (const id of revoked) this.deps.journal.resolved(id);
    try {
      await live.session.revokeToken();
    } catch (error) {
      return {
        undone: revoked.length,
        failed: [...failed, `vault-token:${live.session.address} (${vaultStatus(error) ?? "unreachable"})`],
      };
    }
    // a lease whose own revoke failed went with the token
    for (const entry of entries) if (!revoked.includes(entry.id)) this.deps.journal.resolved(entry.id);
    this.#ended.delete(live.session.id);
    this.deps.log.info("vault-token-revoked", {
      session: live.session.id,
      address: live.session.address,
      leases: entries.length,
    });
    return { undone: 1 + entries.length };
  }

  /** the revoker of journaled `vault-lease` entries (the wipe, and orphans at the next start) */
  async revokeLease(entry: JournalEntry): Promise<void> {
    const session = this.#live?.session.id === entry.session ? this.#live.session : this.#ended.get(entry.session);
    if (!session) {
      // no token left to revoke it with: it ends with its TTL, or with the session's child token at the latest;
      // until then it stays in the journal and is reported as not undone, never claimed as revoked
      if (entry.expiresAt && Date.parse(entry.expiresAt) <= Date.now()) return;
      this.deps.log.warn("vault-lease-unrevocable", {
        session: entry.session,
        lease: entry.id,
        endsBy: entry.expiresAt ?? null,
      });
      throw new Error("no Vault token left to revoke this lease; it ends by its session's expiry");
    }
    this.#live?.leases.forget(entry.id);
    try {
      await session.http.call("PUT", "sys/leases/revoke", { lease_id: entry.id }, { budgetMs: 3_000 });
    } catch (error) {
      // an owned token already revoked took its leases with it
      if (vaultStatus(error) === 403 && session.state.owned) return;
      throw error;
    }
  }

  #retire(session: VaultSession): void {
    session.stop();
    this.#ended.set(session.id, session);
    while (this.#ended.size > 4) this.#ended.delete(this.#ended.keys().next().value as string);
  }
}

function expiryOf(ttlSeconds: number): string | null {
  return ttlSeconds > 0 ? new Date(Date.now() + ttlSeconds * 1000).toISOString() : null;
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
