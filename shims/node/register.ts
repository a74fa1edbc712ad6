// The ESM preload: `node --import devsecrets/register app.js` fills process.env before the app's first line.
// Rule: Node built-ins and socket-request only on start-up; the caller's environment wins unless DEVSECRETS_OVERRIDE=1.

import { EventEmitter } from "node:events";
import { fetchVariables, resolveRequest } from "./fetch-variables.js";
import { settle, shouldLoad } from "./preload.js";
import type { ShimEvents } from "./follow-rotations.js";

const SUBSCRIBE_AFTER_MS = 100;

/** `subscribed` (rotations will be followed), `rotate` (names whose values changed in process.env), `wipe` (the reason); `events.subscribed` says whether rotations are followed now */
export const events: ShimEvents = Object.assign(new EventEmitter(), { subscribed: false });

if (shouldLoad()) await load();

async function load(): Promise<void> {
  const env = process.env;
  const request = resolveRequest(env, process.cwd());
  if (!settle(env, await fetchVariables(env, request))) return;
  // the subscription is not needed before the app's first line, nor by an app that is done within
  // SUBSCRIBE_AFTER_MS: an unref'd timer loads it later, so a short-lived process never pays for it
  setTimeout(() => {
    import("./follow-rotations.js").then(({ followRotations }) => followRotations(env, request, events), () => {});
  }, SUBSCRIBE_AFTER_MS).unref();
}
