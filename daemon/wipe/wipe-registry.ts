// The wipe: one idempotent routine made of registered parts (sandbox material, leases, roles, keychain item).
// Rule: parts run in the order of wipe-order.ts whatever the order they were registered in; every part runs even when
// another fails; the result says what was undone and what was not.

import { DevsecretsError } from "../../common/errors.js";
import { WIPE_ORDER, type WipePartName, wipeRank } from "./wipe-order.js";

export interface WipePartResult {
  /** how many items this part undid (tokens destroyed, leases revoked, roles dropped) */
  undone: number;
  /** items it could not undo, by id or kind; never values */
  failed?: string[];
}

export interface WipePart {
  readonly name: WipePartName;
  run(reason: WipeReason): Promise<WipePartResult>;
}

/** "fault": the last-resort handler ends a process it no longer trusts (daemon/last-resort.ts) */
export type WipeReason = "logout" | "expiry" | "idle" | "shutdown" | "signal" | "restart" | "recovery" | "fault";

export interface WipeReport {
  reason: WipeReason;
  parts: Record<string, number>;
  failed: Record<string, string[]>;
  ok: boolean;
  durationMs: number;
}

export class WipeRegistry {
  readonly #parts: WipePart[] = [];
  readonly #before: ((reason: WipeReason) => void)[] = [];
  readonly #afterwards: ((report: WipeReport) => void)[] = [];
  #running: Promise<WipeReport> | null = null;

  /** takes the part's place from WIPE_ORDER; a name not in the list, or one registered twice, is refused */
  register(part: WipePart): void {
    const rank = wipeRank(part.name);
    if (rank < 0) {
      throw new DevsecretsError(
        "DS_INTERNAL",
        `wipe part ${JSON.stringify(part.name)} is not in the wipe order (${WIPE_ORDER.join(", ")})`,
      );
    }
    if (this.#parts.some((other) => other.name === part.name)) {
      throw new DevsecretsError("DS_INTERNAL", `wipe part ${JSON.stringify(part.name)} is registered twice`);
    }
    const after = this.#parts.findIndex((other) => wipeRank(other.name) > rank);
    this.#parts.splice(after < 0 ? this.#parts.length : after, 0, part);
  }

  /** the registered parts' names, in the order they run */
  get order(): WipePartName[] {
    return this.#parts.map((part) => part.name);
  }

  /** called as a wipe starts, before any part runs (to note which session it ends) */
  onWiping(listener: (reason: WipeReason) => void): void {
    this.#before.push(listener);
  }

  /** called after every wipe with its report (to tell subscribers, to log counts) */
  onWiped(listener: (report: WipeReport) => void): void {
    this.#afterwards.push(listener);
  }

  /** concurrent calls share one run, so a signal during logout does not wipe twice */
  wipe(reason: WipeReason): Promise<WipeReport> {
    if (!this.#running) {
      this.#running = this.#runAll(reason).finally(() => {
        this.#running = null;
      });
    }
    return this.#running;
  }

  async #runAll(reason: WipeReason): Promise<WipeReport> {
    const started = performance.now();
    const report: WipeReport = { reason, parts: {}, failed: {}, ok: true, durationMs: 0 };
    for (const listener of this.#before) listener(reason);
    for (const part of this.#parts) {
      try {
        const result = await part.run(reason);
        report.parts[part.name] = result.undone;
        if (result.failed && result.failed.length > 0) {
          report.failed[part.name] = result.failed;
          report.ok = false;
        }
      } catch (error) {
        report.parts[part.name] = 0;
        report.failed[part.name] = [(error as { code?: string }).code ?? "error"];
        report.ok = false;
      }
    }
    report.durationMs = Math.round((performance.now() - started) * 100) / 100;
    for (const listener of this.#afterwards) listener(report);
    return report;
  }
}
