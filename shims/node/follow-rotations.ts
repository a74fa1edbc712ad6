// Keeps process.env current: on a `rotate` event, re-resolves the named variables and updates them in place.
// Rule: events carry names only; values come from a fresh resolve with the caller's original environment.

import type { EventEmitter } from "node:events";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";
import { subscribeEvents, type Subscription } from "../../daemon/client/event-subscription.js";
import { fetchVariables } from "./fetch-variables.js";
import { say } from "./apply-variables.js";
import { socketPath } from "../../common/paths.js";

type Env = Record<string, string | undefined>;

/** the shim's emitter; `subscribed` stays true while the daemon holds the subscription */
export type ShimEvents = EventEmitter & { subscribed?: boolean };

/** `request` is the first resolve's: its environ is the caller's as it was before the shim filled it */
export function followRotations(env: Env, request: ResolveRequest, emitter: ShimEvents): Subscription {
  let queue: Promise<void> = Promise.resolve();
  return subscribeEvents(socketPath(env), {
    onOpen() {
      // the app may attach its listener after this fires: `events.subscribed` tells it afterwards
      emitter.subscribed = true;
      emitter.emit("subscribed");
    },
    onEvent({ event, data }) {
      if (event === "rotate") {
        const names = ((data as { names?: unknown }).names ?? []) as unknown[];
        const wanted = names.filter((name): name is string => typeof name === "string");
        if (wanted.length === 0) return;
        // one re-resolve at a time, in the order the daemon sent them
        queue = queue.then(() => refresh(env, request, wanted, emitter));
      } else if (event === "wipe") {
        emitter.emit("wipe", (data as { reason?: string }).reason ?? "unknown");
      }
    },
    onEnd() {
      emitter.subscribed = false;
    },
  });
}

async function refresh(env: Env, request: ResolveRequest, names: string[], emitter: EventEmitter): Promise<void> {
  const outcome = await fetchVariables({ ...env, DEVSECRETS_NO_AUTOSTART: "1" }, { ...request, names });
  if (!outcome.ok) {
    say(`could not refresh ${names.join(", ")} after a rotation: ${outcome.error.code}: ${outcome.error.message}`);
    return;
  }
  const changed = Object.keys(outcome.answer.variables);
  for (const name of changed) env[name] = outcome.answer.variables[name];
  emitter.emit("rotate", changed);
}
