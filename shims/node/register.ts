// The ESM preload: `node --import devsecrets/register app.js` fills process.env before the app's first line.
// Rule: Node built-ins and socket-request only on start-up; the caller's environment wins unless DEVSECRETS_OVERRIDE=1.

import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import { realpathSync } from "node:fs";
import { fetchVariables, resolveRequest } from "./fetch-variables.js";
import { applyVariables, say, sayError } from "./apply-variables.js";
import type { ShimEvents } from "./follow-rotations.js";

const SUBSCRIBE_AFTER_MS = 100;

/** `subscribed` (rotations will be followed), `rotate` (names whose values changed in process.env), `wipe` (the reason); `events.subscribed` says whether rotations are followed now */
export const events: ShimEvents = Object.assign(new EventEmitter(), { subscribed: false });

// devsecrets' own CLI and daemon never load the project: NODE_OPTIONS reaches them too
const own = [new URL("../../../bin/devsecrets.js", import.meta.url), new URL("../../daemon/main.js", import.meta.url)].map((url) => fileURLToPath(url));

// a worker thread starts with a copy of the main thread's environment, already filled
if (!inWorkerThread() && !own.includes(realScript())) await load();

/**
 * Node replaces process.abort in a worker thread by a function named for it. Asked this way because loading
 * node:worker_threads to read isMainThread costs ~1-5 ms before the app's first line. Node 20 runs --import
 * preloads in the main thread only, so this guards later releases and an app that imports the preload in a worker;
 * should a release rename it, a worker merely fetches its own copy (test/integration/node-register.test.ts fails).
 */
function inWorkerThread(): boolean {
  return process.abort.name === "unavailableInWorker";
}

/** the app's script as a real path (a global install reaches bin/devsecrets.js through a symlink) */
function realScript(): string {
  try {
    return realpathSync(process.argv[1] ?? "");
  } catch {
    return "";
  }
}

async function load(): Promise<void> {
  const env = process.env;
  const request = resolveRequest(env, process.cwd());
  const outcome = await fetchVariables(env, request);
  if (outcome.ok) {
    applyVariables(env, outcome.answer);
    // the subscription is not needed before the app's first line, nor by an app that is done within
    // SUBSCRIBE_AFTER_MS: an unref'd timer loads it later, so a short-lived process never pays for it
    setTimeout(() => {
      import("./follow-rotations.js").then(({ followRotations }) => followRotations(env, request, events), () => {});
    }, SUBSCRIBE_AFTER_MS).unref();
  } else if (env.DEVSECRETS_OPTIONAL === "1") {
    sayError(outcome.error);
    say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)");
  } else {
    sayError(outcome.error);
    process.exit(1);
  }
}
