// The ESM preload: `node --import devsecrets/register app.js` fills process.env before the app's first line.
// Rule: Node built-ins and socket-request only on start-up; the caller's environment wins unless DEVSECRETS_OVERRIDE=1.

import { EventEmitter } from "node:events";
import { isMainThread } from "node:worker_threads";
import { fetchVariables, resolveRequest } from "./fetch-variables.js";
import { applyVariables, say, sayError } from "./apply-variables.js";
import { followRotations, type ShimEvents } from "./follow-rotations.js";

/** `subscribed` (rotations will be followed), `rotate` (names whose values changed in process.env), `wipe` (the reason); `events.subscribed` says whether rotations are followed now */
export const events: ShimEvents = Object.assign(new EventEmitter(), { subscribed: false });

// a worker thread starts with a copy of the main thread's environment, already filled
if (isMainThread) await load();

async function load(): Promise<void> {
  const env = process.env;
  const request = resolveRequest(env, process.cwd());
  const outcome = await fetchVariables(env, request);
  if (outcome.ok) {
    applyVariables(env, outcome.answer);
    followRotations(env, request, events);
  } else if (env.DEVSECRETS_OPTIONAL === "1") {
    sayError(outcome.error);
    say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)");
  } else {
    sayError(outcome.error);
    process.exit(1);
  }
}
