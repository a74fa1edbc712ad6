// The session that serves values: anonymous (the embedded default) or logged in; holds what it handed out.
// Rule: the same reference gives the same value until the session is destroyed; failures are never cached.

import { randomUUID } from "node:crypto";
import { MemorySandboxSession } from "../sandbox/sandbox-session.js";
import type { MintLedger, MintRecorder, ServiceStarter } from "../sandbox/sandbox-kind.js";
import { ServedValues } from "../guard/served-values.js";

export type SessionKind = "anonymous" | "login";

export interface SessionCounts {
  valuesServed: number;
  sandboxTokens: number;
  leases: number;
}

export class ServingSession {
  readonly id: string;
  readonly sandbox: MemorySandboxSession;
  /** fingerprints of what this session served, for `devsecrets scan`; never the values */
  readonly served: ServedValues;
  readonly counts: SessionCounts;
  /** set as the session becomes current (mint-ledger.ts): journals revocable items, carries expiry and settings */
  ledger: ((projectRoot: string | null) => MintLedger) | null = null;
  /** set as the session becomes current: the machine's registry of minted fakes, which outlives the session */
  registry: MintRecorder | null = null;
  /** set as the session becomes current: the daemon's sandbox services */
  services: ServiceStarter | null = null;
  #memo = new Map<string, Promise<unknown>>();
  #destroyed = false;
  #adoptedBy: string | null = null;

  /** `adopted`: a session whose values and material this one takes over (it is then left empty, never destroyed) */
  constructor(
    readonly kind: SessionKind = "anonymous",
    id: string = randomUUID(),
    adopted?: ServingSession,
  ) {
    this.id = id;
    if (adopted && !adopted.#destroyed) {
      this.sandbox = adopted.sandbox;
      this.served = adopted.served;
      this.counts = adopted.counts;
      this.#memo = adopted.#memo;
      adopted.#memo = new Map();
      adopted.#adoptedBy = id;
    } else {
      this.sandbox = new MemorySandboxSession();
      this.served = new ServedValues();
      this.counts = { valuesServed: 0, sandboxTokens: 0, leases: 0 };
    }
  }

  /** the session that took this one's material over, if one did: its destroy() then has nothing to destroy */
  get adoptedBy(): string | null {
    return this.#adoptedBy;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** one value per identity for the whole session; concurrent callers share one creation */
  memo<T>(identity: string, create: () => Promise<T>): Promise<T> {
    const existing = this.#memo.get(identity);
    if (existing) return existing as Promise<T>;
    const created = create();
    this.#memo.set(identity, created);
    created.catch(() => {
      if (this.#memo.get(identity) === created) this.#memo.delete(identity);
    });
    return created;
  }

  /** the mint remembered under `identity`, if any (a rotation retires the old value in its service) */
  recall(identity: string): Promise<unknown> | undefined {
    return this.#memo.get(identity);
  }

  forget(identity: string): void {
    this.#memo.delete(identity);
  }

  /** forgets every value and destroys sandbox material; returns how many items were undone */
  async destroy(): Promise<number> {
    this.#destroyed = true;
    // its material lives on in the session that adopted it, and is destroyed with that one
    if (this.#adoptedBy !== null) return 0;
    const values = this.#memo.size;
    this.#memo = new Map();
    this.served.wipe();
    const material = await this.sandbox.destroy();
    return values + material;
  }
}

/** holds the current session; the wipe replaces it with a fresh anonymous one */
export class SessionHolder {
  #current: ServingSession;

  /** `prepare` equips every session that becomes current (its ledger) */
  constructor(private readonly prepare: (session: ServingSession) => void = () => {}) {
    this.#current = new ServingSession("anonymous");
    prepare(this.#current);
  }

  get current(): ServingSession {
    return this.#current;
  }

  replace(next: ServingSession): ServingSession {
    const previous = this.#current;
    this.prepare(next);
    this.#current = next;
    return previous;
  }

  /** the wipe's "sandbox" part: a fresh anonymous session becomes current, the old one's material is destroyed */
  async wipe(): Promise<{ undone: number }> {
    const previous = this.replace(new ServingSession("anonymous"));
    return { undone: await previous.destroy() };
  }
}
