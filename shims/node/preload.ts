// What both Node preloads (register.ts for --import, register-commonjs.ts for -r) decide around their one resolve:
// whether this process loads the project at all, and what an outcome does to it.
// Rule: built-ins only; says names and codes on stderr, never values; exits only when the app must not start.

import { fileURLToPath } from "node:url";
import { realpathSync } from "node:fs";
import { sep } from "node:path";
import { applyVariables, say, sayError } from "./apply-variables.js";
import { clientFlag } from "../../daemon/client/client-environment.js";
import type { ShimOutcome } from "./shim-outcome.js";
import type { ShimEvents } from "./follow-rotations.js";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";

type Env = Record<string, string | undefined>;

/** the names of devsecrets' own CLI and daemon scripts (bin/devsecrets.js, dist/daemon/main.js) */
const OWN_SCRIPTS = [`${sep}devsecrets.js`, `${sep}main.js`];

/**
 * false for devsecrets' own CLI and daemon (NODE_OPTIONS reaches them too) and for a worker thread (it starts with a
 * copy of the main thread's environment, already filled)
 */
export function shouldLoad(): boolean {
  if (inWorkerThread()) return false;
  const script = realScript();
  // named as neither: an app (import.meta, ~0.3 ms before the app's first line, only for a script that could be ours)
  if (!OWN_SCRIPTS.some((own) => script.endsWith(own))) return true;
  // both bundles sit in dist/shims/node/, as tsc's output does
  const own = [
    new URL("../../../bin/devsecrets.js", import.meta.url),
    new URL("../../daemon/main.js", import.meta.url),
  ].map((url) => fileURLToPath(url));
  return !own.includes(script);
}

/**
 * Node replaces process.abort in a worker thread by a function named for it. Asked this way because loading
 * node:worker_threads to read isMainThread costs ~1-5 ms before the app's first line. Node 20 runs --import
 * preloads in the main thread only (and -r ones in workers too); should a release rename it, a worker merely
 * fetches its own copy (test/integration/node-register.test.ts fails).
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

/**
 * Applies a successful outcome to env (true); a failure is said on stderr and ends the process, unless
 * DEVSECRETS_OPTIONAL (true in the dialect) lets the app start without the project's variables (false).
 */
export function settle(env: Env, outcome: ShimOutcome): boolean {
  if (outcome.ok) {
    applyVariables(env, outcome.answer);
    return true;
  }
  sayError(outcome.error);
  if (!clientFlag(env, "DEVSECRETS_OPTIONAL")) process.exit(1);
  say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)");
  return false;
}

const SUBSCRIBE_AFTER_MS = 100;

/**
 * Follows rotations from SUBSCRIBE_AFTER_MS on. The subscription is not needed before the app's first line, nor by an
 * app that is done by then: an unref'd timer loads it later, so a short-lived process never pays for it (node:net,
 * a second connection: ~3 ms, most of it before the process could exit).
 */
export function followRotationsLater(env: Env, request: ResolveRequest, events: ShimEvents): void {
  setTimeout(() => {
    import("./follow-rotations.js").then(
      ({ followRotations }) => followRotations(env, request, events),
      () => {},
    );
  }, SUBSCRIBE_AFTER_MS).unref();
}
