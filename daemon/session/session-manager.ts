// Login, logout, expiry and the idle lock: the one logged-in session, its store, and its part of the wipe ("session").
// Rule: logout, expiry and idle delete the stored session; a shutdown keeps it so a restart resumes within the TTL. A
// file session comes back locked (the passphrase never leaves the CLI's memory): the next login with the passphrase
// continues the same session, until then what needs it answers DS_SESSION_LOCKED.

import { randomBytes, randomUUID } from "node:crypto";
import { DevsecretsError } from "../../common/errors.js";
import { Secret } from "../../common/secret.js";
import type { Journal } from "../leases/journal.js";
import type { Logger } from "../log.js";
import {
  DEFAULT_ENV,
  type LoginRequest,
  type LoginResponse,
  type Notice,
  type SessionInfo,
} from "../protocol/messages.js";
import type { WipePartResult, WipeReason, WipeRegistry } from "../wipe/wipe-registry.js";
import type { SessionRecord, SessionStore } from "./session-store.js";
import { ServingSession, type SessionHolder } from "./serving-session.js";
import { chooseStore } from "./stores/choose-store.js";
import { MemoryStore } from "./stores/memory-store.js";
import { KeychainStore } from "./stores/keychain-store.js";
import { FileStore, sessionFilePath } from "./stores/file-store.js";

export const DEFAULT_TTL_SECONDS = 8 * 3600;
export const DEFAULT_IDLE_SECONDS = 3600;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** a file session the last daemon left, within its TTL, waiting for its passphrase */
interface Locked {
  id: string;
  expiresAt: string;
  timer: NodeJS.Timeout | null;
}

/** what to type to unlock a file session, in the hint of every refusal */
export const UNLOCK_HINT =
  "run `devsecrets login` on a terminal: it asks the file session's passphrase once and the same session continues (a script: DEVSECRETS_PASSPHRASE_FD=3 devsecrets login --store file 3<passfile); `devsecrets logout` ends it instead";

interface Active {
  record: SessionRecord;
  store: SessionStore;
  idleAt: number;
  timer: NodeJS.Timeout | null;
}

export interface SessionManagerDeps {
  holder: SessionHolder;
  /** started here on a login over another session, at expiry and at the idle lock; its "session" part is wipe() */
  wipe: WipeRegistry;
  journal: Journal;
  log: Logger;
  /** the daemon's environment: D-Bus address for the keychain, XDG paths for the file store */
  env: NodeJS.ProcessEnv;
  /** Vault/OpenBao: logs in and adds the session's token to record.extra before it is saved; rebuilt at every activation */
  vault?: {
    login(request: LoginRequest, record: SessionRecord, notices: Notice[]): Promise<void>;
    activate(record: SessionRecord): void;
  };
}

export class SessionManager {
  readonly #deps: SessionManagerDeps;
  // memory-store values (keychain:// without a keychain) live as long as the daemon, across sessions
  readonly #memory = new MemoryStore();
  #active: Active | null = null;
  #locked: Locked | null = null;
  #ended: "expiry" | "idle" | null = null;

  constructor(deps: SessionManagerDeps) {
    this.#deps = deps;
  }

  get active(): { record: SessionRecord; store: SessionStore; idleAt: number } | null {
    return this.#active;
  }

  /** the logged-in session's expiry (ISO) when `id` is that session, else null */
  expiresAtOf(id: string): string | null {
    return this.#active?.record.id === id ? this.#active.record.expiresAt : null;
  }

  /** the file session waiting for its passphrase since the daemon started, or null */
  get locked(): { id: string; expiresAt: string } | null {
    return this.#locked && { id: this.#locked.id, expiresAt: this.#locked.expiresAt };
  }

  /** DS_SESSION_LOCKED for `what` while a file session waits for its passphrase, else null */
  lockedError(what: string): DevsecretsError | null {
    if (this.#active || !this.#locked) return null;
    return new DevsecretsError(
      "DS_SESSION_LOCKED",
      `${what} needs the file session ${this.#locked.id}, locked since the daemon restarted`,
      { hint: UNLOCK_HINT },
    );
  }

  /** the logged-in session's store, or DS_SESSION_LOCKED / DS_SESSION_NONE / DS_SESSION_EXPIRED */
  requireLogin(what: string): { record: SessionRecord; store: SessionStore } {
    if (this.#active) return this.#active;
    const locked = this.lockedError(what);
    if (locked) throw locked;
    if (this.#ended) {
      throw new DevsecretsError(
        "DS_SESSION_EXPIRED",
        `${what} needs a session, and the last one ended (${this.#ended === "idle" ? "idle lock" : "expired"})`,
      );
    }
    throw new DevsecretsError("DS_SESSION_NONE", `${what} needs a session, and nobody is logged in`);
  }

  /** any request that serves values, and any CLI command, keeps the session from idling */
  touch(): void {
    if (this.#active) this.#active.idleAt = Date.now() + this.#active.record.idleSeconds * 1000;
  }

  info(): SessionInfo | null {
    const a = this.#active;
    if (!a) return null;
    return {
      id: a.record.id,
      env: a.record.env,
      store: a.store.kind,
      createdAt: a.record.createdAt,
      expiresAt: a.record.expiresAt,
      idleSeconds: a.record.idleSeconds,
      idleAt: new Date(a.idleAt).toISOString(),
    };
  }

  async login(request: LoginRequest): Promise<LoginResponse> {
    const ttl = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    const idle = request.idleSeconds ?? DEFAULT_IDLE_SECONDS;
    const requested = request.store ?? "auto";
    const env = request.env ?? DEFAULT_ENV;
    const notices: Notice[] = [];
    const now = Date.now();
    const current = this.#active;
    if (current && (requested === "auto" || requested === current.store.kind) && current.record.env === env) {
      // logging in again keeps the session: same id, same values, a new expiry
      current.record.expiresAt = new Date(now + ttl * 1000).toISOString();
      current.record.idleSeconds = idle;
      this.#deps.journal.record({
        id: current.record.id,
        kind: "session",
        session: current.record.id,
        expiresAt: current.record.expiresAt,
        data: { store: current.store.kind },
      });
      await this.#deps.vault?.login(request, current.record, notices);
      await current.store.saveSession(current.record);
      this.touch();
      this.#schedule();
      return { session: this.info() as SessionInfo, extended: true, notices };
    }
    if (current) await this.#deps.wipe.wipe("logout");
    if (!current && this.#locked) {
      const unlocked = await this.#unlock(request, requested);
      if (unlocked) return { session: this.info() as SessionInfo, extended: false, unlocked: true, notices };
    }

    const chosen = await chooseStore(requested, {
      env: this.#deps.env,
      ...(request.passphrase !== undefined ? { passphrase: new Secret(request.passphrase) } : {}),
    });
    const store = chosen.store.kind === "memory" ? this.#memory : chosen.store;
    if (chosen.notice) notices.push({ code: "DS_KEYCHAIN_UNAVAILABLE", message: chosen.notice });

    const record: SessionRecord = {
      id: randomUUID(),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttl * 1000).toISOString(),
      idleSeconds: idle,
      env,
      store: store.kind,
      credential: new Secret(randomBytes(32).toString("base64")),
    };
    await this.#deps.vault?.login(request, record, notices);
    // journaled before it exists anywhere else, so a crash between the two still gets it wiped
    this.#deps.journal.record({
      id: record.id,
      kind: "session",
      session: record.id,
      expiresAt: record.expiresAt,
      data: { store: store.kind },
    });
    await store.saveSession(record);
    this.#activate(record, store);
    this.#deps.log.info("login", { session: record.id, store: store.kind, env, ttlSeconds: ttl, idleSeconds: idle });
    return { session: this.info() as SessionInfo, extended: false, notices };
  }

  /** POST /v1/session/extend (the dashboard, `login` on a live session): the same session ends ttlSeconds from now */
  async extend(ttlSeconds = DEFAULT_TTL_SECONDS): Promise<SessionInfo> {
    const current = this.requireLogin("extending the session") as Active;
    current.record.expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    this.#deps.journal.record({
      id: current.record.id,
      kind: "session",
      session: current.record.id,
      expiresAt: current.record.expiresAt,
      data: { store: current.store.kind },
    });
    await current.store.saveSession(current.record);
    this.touch();
    this.#schedule();
    this.#deps.log.info("session-extended", { session: current.record.id, ttlSeconds });
    return this.info() as SessionInfo;
  }

  /**
   * a login while a file session is locked: with its passphrase, the same session continues (id, expiry, Vault token)
   * and true is returned; without one, DS_SESSION_LOCKED (a new session would orphan the locked one's Vault token);
   * false when the file no longer holds that session (it ended while no daemon ran): the login starts a new one
   */
  async #unlock(request: LoginRequest, requested: string): Promise<boolean> {
    const locked = this.#locked as Locked;
    if (request.passphrase === undefined || (requested !== "auto" && requested !== "file")) {
      throw this.lockedError("a new session") as DevsecretsError;
    }
    const store = new FileStore(sessionFilePath(this.#deps.env), new Secret(request.passphrase));
    // a wrong passphrase is DS_PASSPHRASE_WRONG and leaves the session locked
    const record = await store.loadSession();
    this.#dropLocked();
    if (!record || record.id !== locked.id || Date.parse(record.expiresAt) <= Date.now()) {
      this.#deps.journal.resolved(locked.id);
      store.forget();
      return false;
    }
    this.#activate(record, store);
    this.#deps.log.info("session-unlocked", { session: record.id, store: "file" });
    return true;
  }

  /** `logout` while locked: the session ends without its passphrase (its record stays sealed until the next file login) */
  endLocked(): boolean {
    const locked = this.#locked;
    if (!locked || this.#active) return false;
    this.#dropLocked();
    this.#deps.journal.resolved(locked.id);
    this.#deps.log.info("logout-locked", { session: locked.id });
    return true;
  }

  #dropLocked(): void {
    if (this.#locked?.timer) clearTimeout(this.#locked.timer);
    this.#locked = null;
  }

  /** a locked session still ends at its expiry, passphrase or not */
  #lock(id: string, expiresAt: string): void {
    const locked: Locked = { id, expiresAt, timer: null };
    locked.timer = setTimeout(
      () => {
        if (this.#locked !== locked) return;
        this.#dropLocked();
        this.#deps.journal.resolved(id);
        this.#ended = "expiry";
        this.#deps.log.info("session-expired", { session: id, store: "file", locked: true });
      },
      Math.min(Math.max(Date.parse(expiresAt) - Date.now(), 0) + 5, MAX_TIMER_MS),
    );
    locked.timer.unref();
    this.#locked = locked;
  }

  /** on daemon start: resume a keychain session within its TTL; finish the wipe of one that ended while no daemon ran */
  async resume(): Promise<{ resumed: string | null; removed: number }> {
    let resumed: string | null = null;
    let removed = 0;
    for (const entry of this.#deps.journal.pending().filter((e) => e.kind === "session")) {
      const expired = !entry.expiresAt || Date.parse(entry.expiresAt) <= Date.now();
      const storeKind = entry.data?.store;
      if (storeKind === "memory") {
        // a memory session ended with its daemon
        this.#deps.journal.resolved(entry.id);
        continue;
      }
      if (storeKind === "file") {
        // needs the passphrase: kept locked until a login brings it; an expired record is harmless and is replaced at
        // the next file login
        if (expired) this.#deps.journal.resolved(entry.id);
        else if (!resumed && !this.#locked) {
          this.#lock(entry.id, entry.expiresAt as string);
          this.#deps.log.info("session-locked", { session: entry.id, store: "file" });
        }
        continue;
      }
      if (!this.#deps.env.DBUS_SESSION_BUS_ADDRESS) continue;
      const store = new KeychainStore({ env: this.#deps.env });
      try {
        const record = await store.loadSession();
        if (record && record.id === entry.id && !expired && !resumed && Date.parse(record.expiresAt) > Date.now()) {
          this.#activate(record, store);
          resumed = record.id;
          continue;
        }
        if (record && record.id === entry.id) {
          await store.removeSession();
          removed++;
        }
        this.#deps.journal.resolved(entry.id);
        await store.close();
      } catch (error) {
        await store.close();
        this.#deps.log.warn("resume-failed", { session: entry.id, code: (error as DevsecretsError).code ?? "error" });
      }
    }
    if (resumed) this.#deps.log.info("session-resumed", { session: resumed });
    return { resumed, removed };
  }

  #activate(record: SessionRecord, store: SessionStore): void {
    this.#active = { record, store, idleAt: Date.now() + record.idleSeconds * 1000, timer: null };
    this.#deps.vault?.activate(record);
    this.#ended = null;
    // the login adopts what the anonymous session handed out (apps started before it keep their values) and its
    // journal entries, so that the logout or the daemon stop that ends this session also undoes them
    const anonymous = this.#deps.holder.current;
    const adopt = anonymous.kind === "anonymous" && !anonymous.destroyed;
    const previous = this.#deps.holder.replace(new ServingSession("login", record.id, adopt ? anonymous : undefined));
    if (adopt) {
      for (const entry of this.#deps.journal.pending()) {
        if (entry.session === previous.id && entry.kind !== "session")
          this.#deps.journal.update(entry.id, { session: record.id });
      }
    }
    void previous.destroy();
    this.#schedule();
  }

  /** one timer at the nearest deadline; when it fires it checks which one passed */
  #schedule(): void {
    const active = this.#active;
    if (!active) return;
    if (active.timer) clearTimeout(active.timer);
    const next = Math.min(Date.parse(active.record.expiresAt), active.idleAt);
    active.timer = setTimeout(
      () => {
        active.timer = null;
        if (this.#active !== active) return;
        const now = Date.now();
        if (now >= Date.parse(active.record.expiresAt)) void this.#deps.wipe.wipe("expiry");
        else if (now >= active.idleAt) void this.#deps.wipe.wipe("idle");
        else this.#schedule();
      },
      Math.min(Math.max(next - Date.now(), 0) + 5, MAX_TIMER_MS),
    );
  }

  /** whether a wipe for this reason ends the logged-in session for good (logout, expiry, idle, or a memory store) */
  endsWith(reason: WipeReason): boolean {
    const active = this.#active;
    return reason === "logout" || reason === "expiry" || reason === "idle" || active?.store.kind === "memory";
  }

  /** the wipe's "session" part: forgets the logged-in session, and deletes its record when the wipe ends it */
  async wipe(reason: WipeReason): Promise<WipePartResult> {
    const active = this.#active;
    if (!active) return { undone: 0 };
    const ends = this.endsWith(reason);
    if (active.timer) clearTimeout(active.timer);
    this.#active = null;
    const failed: string[] = [];
    if (ends) {
      try {
        await active.store.removeSession();
      } catch (error) {
        failed.push(`session-record:${(error as DevsecretsError).code ?? "error"}`);
      }
      if (failed.length === 0) this.#deps.journal.resolved(active.record.id);
    }
    this.#ended = reason === "expiry" || reason === "idle" ? reason : null;
    if (active.store instanceof KeychainStore) await active.store.close();
    if (active.store instanceof FileStore) active.store.forget();
    return { undone: 1, ...(failed.length ? { failed } : {}) };
  }
}
