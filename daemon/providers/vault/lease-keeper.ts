// Keeps a session's Vault leases alive: renews each at two thirds of its TTL; one that can no longer be extended is handed to `lost`.
// Rule: renewals happen only while the session lives (stop() clears every timer); lease ids are logged, never values.

import type { Logger } from "../../log.js";
import { vaultStatus } from "./vault-http.js";
import type { VaultSession } from "./vault-session.js";

export interface LeaseToKeep {
  leaseId: string;
  ttlSeconds: number;
  renewable: boolean;
  /** called once when the lease cannot be renewed any further: re-read and announce a rotation */
  lost: () => Promise<void>;
}

interface Kept extends LeaseToKeep {
  /** the TTL the lease was issued with: each renewal asks for this much again */
  increment: number;
  timer: NodeJS.Timeout | null;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class LeaseKeeper {
  readonly #leases = new Map<string, Kept>();

  constructor(
    private readonly session: VaultSession,
    private readonly log: Logger,
  ) {
    session.onStop(() => this.stop());
  }

  get size(): number {
    return this.#leases.size;
  }

  ids(): string[] {
    return [...this.#leases.keys()];
  }

  keep(lease: LeaseToKeep): void {
    if (this.session.stopped || lease.ttlSeconds <= 0) return;
    const kept: Kept = { ...lease, increment: lease.ttlSeconds, timer: null };
    this.#leases.set(lease.leaseId, kept);
    this.#schedule(kept, lease.ttlSeconds, lease.renewable ? "renew" : "lost");
  }

  forget(leaseId: string): void {
    const kept = this.#leases.get(leaseId);
    if (kept?.timer) clearTimeout(kept.timer);
    this.#leases.delete(leaseId);
  }

  stop(): void {
    for (const kept of this.#leases.values()) if (kept.timer) clearTimeout(kept.timer);
    this.#leases.clear();
  }

  #schedule(kept: Kept, ttlSeconds: number, action: "renew" | "lost"): void {
    const delay = Math.min(Math.max(0.5, (ttlSeconds * 2) / 3) * 1000, MAX_TIMER_MS);
    kept.timer = setTimeout(() => {
      kept.timer = null;
      if (this.#leases.get(kept.leaseId) !== kept || this.session.stopped) return;
      if (action === "lost") void this.#lose(kept);
      else void this.#renew(kept, ttlSeconds);
    }, delay);
    kept.timer.unref();
  }

  async #renew(kept: Kept, lastTtl: number): Promise<void> {
    try {
      const answer = await this.session.http.call(
        "PUT",
        "sys/leases/renew",
        { lease_id: kept.leaseId, increment: kept.increment },
        { budgetMs: 3_000 },
      );
      const ttl = typeof answer?.lease_duration === "number" ? answer.lease_duration : 0;
      // capped by the role's max TTL: the next renewal cannot help, so re-read before this one runs out
      this.#schedule(kept, ttl, ttl >= kept.increment / 2 && answer?.renewable !== false ? "renew" : "lost");
    } catch (error) {
      const status = vaultStatus(error);
      this.log.warn("vault-lease-renew-failed", {
        session: this.session.id,
        lease: kept.leaseId,
        status: status ?? "unreachable",
      });
      // 400: expired, revoked or not renewable; no answer: try again before the rest runs out
      if (status === 400 || status === 403 || status === 404) void this.#lose(kept);
      else this.#schedule(kept, Math.max(1, lastTtl / 3), "renew");
    }
  }

  async #lose(kept: Kept): Promise<void> {
    this.forget(kept.leaseId);
    try {
      await kept.lost();
    } catch (error) {
      this.log.warn("vault-lease-reread-failed", {
        session: this.session.id,
        lease: kept.leaseId,
        code: (error as { code?: string }).code ?? "error",
      });
    }
  }
}
