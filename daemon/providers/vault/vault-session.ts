// The Vault side of one logged-in session: its token, mount cache, leases, KV watcher, and what it used.
// Rule: lives exactly as long as the session; stop() clears every timer, end() revokes the token only when the session owns it.

import type { Secret } from "../../../common/secret.js";
import type { Logger } from "../../log.js";
import { VaultHttp, type VaultEndpoint } from "./vault-http.js";
import type { MountInfo } from "./kv-mounts.js";

export interface VaultSessionState {
  endpoint: VaultEndpoint;
  token: Secret;
  /** the session made the token and revokes it at the end (child, approle, userpass) */
  owned: boolean;
  /** the session's environment (`login --env`) */
  env: string;
  expiresAt: string;
}

/** where a reference was used, so a rotation can name the variables that hold it */
export interface Use {
  raw: string;
  places: Set<string>;
}

export class VaultSession {
  readonly http: VaultHttp;
  readonly mounts = new Map<string, MountInfo>();
  readonly uses = new Map<string, Use>();
  /** when the session's token expires, as Vault last said; null: no expiry known */
  tokenExpiresAt: string | null = null;
  #tokenTimer: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly #stoppers: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly state: VaultSessionState,
    private readonly log: Logger,
  ) {
    this.http = new VaultHttp(state.endpoint, state.token);
  }

  get address(): string {
    return this.state.endpoint.address;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** registers a timer owner (lease keeper, KV watcher) to be stopped with the session */
  onStop(stop: () => void): void {
    this.#stoppers.push(stop);
  }

  remember(identity: string, raw: string, projectRoot: string, env: string): void {
    const use = this.uses.get(identity) ?? { raw, places: new Set<string>() };
    use.places.add(`${projectRoot}\0${env}`);
    this.uses.set(identity, use);
  }

  /** renews an owned token at two thirds of its TTL, asking for the rest of the session each time */
  renewToken(ttlSeconds: number): void {
    this.tokenExpiresAt = ttlSeconds > 0 ? new Date(Date.now() + ttlSeconds * 1000).toISOString() : null;
    if (!this.state.owned || ttlSeconds <= 0 || this.#stopped) return;
    if (this.#tokenTimer) clearTimeout(this.#tokenTimer);
    this.#tokenTimer = setTimeout(
      async () => {
        this.#tokenTimer = null;
        const left = Math.round((Date.parse(this.state.expiresAt) - Date.now()) / 1000);
        if (left <= 0 || this.#stopped) return;
        try {
          const answer = await this.http.write("auth/token/renew-self", { increment: `${left}s` });
          this.renewToken(answer?.auth?.lease_duration ?? 0);
        } catch (error) {
          this.log.warn("vault-token-renew-failed", {
            session: this.id,
            address: this.address,
            code: (error as { code?: string }).code ?? "error",
          });
          this.renewToken(Math.max(15, Math.round(ttlSeconds / 3)));
        }
      },
      Math.min(Math.max(1, (ttlSeconds * 2) / 3) * 1000, 2 ** 31 - 1),
    );
    this.#tokenTimer.unref();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#tokenTimer) clearTimeout(this.#tokenTimer);
    this.#tokenTimer = null;
    for (const stop of this.#stoppers.splice(0)) stop();
  }

  /** revoke-self: the token, its children and every lease made with it; never the user's own token */
  async revokeToken(): Promise<boolean> {
    if (!this.state.owned) return false;
    const answer = await this.http
      .write("auth/token/revoke-self", {}, { allowMissing: true })
      .catch((error: unknown) => {
        // a token already gone (expired, revoked) is what we wanted
        if ((error as { response?: { statusCode?: number } })?.response?.statusCode === 403) return null;
        throw error;
      });
    void answer;
    return true;
  }
}
