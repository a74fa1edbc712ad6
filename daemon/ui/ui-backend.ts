// What the dashboard's listener may ask of the daemon: a snapshot, the event bus, and the page's actions.
// Rule: the listener knows the daemon only through this interface (the composition root builds it), so the page's
// answers hold what the snapshot holds and nothing else.

import type { EventBus } from "../events.js";
import type { RotateResponse } from "../protocol/ui-messages.js";
import type { UiSnapshot, UiTrustListing } from "../protocol/ui-snapshot.js";

/** project trust as the page uses it: the same listing `devsecrets trust` shows, then its digest posted back */
export interface TrustActions {
  listing(root: string): Promise<UiTrustListing>;
  trust(root: string, digest: string): Promise<void>;
  revoke(root: string): Promise<void>;
}

export interface UiBackend {
  snapshot(): Promise<Omit<UiSnapshot, "csrf">>;
  readonly events: EventBus;
  /** dashboard actions count as activity (the idle lock); the snapshot and the stream do not */
  touch(): void;
  logout(): Promise<unknown>;
  extend(ttlSeconds?: number): Promise<unknown>;
  rotate(root: string, names?: string[]): Promise<RotateResponse>;
  trust: TrustActions;
}
