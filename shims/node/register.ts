// The ESM preload: `node --import devsecrets/register app.js` fills process.env before the app's first line.
// Rule: Node built-ins and libuv's pipe handle only on start-up; the caller's environment wins unless DEVSECRETS_OVERRIDE
// is true (1|true|yes|on); a DEVSECRETS_* value outside the dialect is said on one line and ignored.

import { EventEmitter } from "node:events";
import { resolveRequest } from "../../daemon/client/resolve-request.js";
import { fetchVariables } from "./fetch-variables.js";
import { followRotationsLater, settle, shouldLoad } from "./preload.js";
import type { ShimEvents } from "./follow-rotations.js";

/** `subscribed` (rotations will be followed), `rotate` (names whose values changed in process.env), `wipe` (the reason); `events.subscribed` says whether rotations are followed now */
export const events: ShimEvents = Object.assign(new EventEmitter(), { subscribed: false });

if (shouldLoad()) await load();

async function load(): Promise<void> {
  const env = process.env;
  const request = resolveRequest(env, process.cwd());
  if (settle(env, await fetchVariables(env, request))) followRotationsLater(env, request, events);
}
