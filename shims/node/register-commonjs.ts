// The CommonJS preload: `node -r devsecrets/register app.js` fills process.env before the app's first line.
// Rule: one synchronous exchange on libuv's pipe handle (fetchVariablesSync); where that cannot be (no handle on this
// Node, no daemon to answer yet) a worker resolves, autostart included, while this thread waits on Atomics.
// Bundled by scripts/build.mjs into dist/shims/node/register.cjs (CommonJS), the file package.json's "require" names.

import { EventEmitter } from "node:events";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";
import { resolveRequest } from "../../daemon/client/resolve-request.js";
import { fetchVariablesSync } from "./fetch-variables.js";
import { internal, type ShimOutcome } from "./shim-outcome.js";
import { ERROR_CODES } from "../../daemon/protocol/error-codes.js";
import { followRotationsLater, settle, shouldLoad } from "./preload.js";
import type { ShimEvents } from "./follow-rotations.js";

const WAIT_MS = 120_000;

/** `subscribed` (rotations will be followed), `rotate` (names whose values changed in process.env), `wipe` (the reason); `events.subscribed` says whether rotations are followed now */
export const events: ShimEvents = Object.assign(new EventEmitter(), { subscribed: false });

if (shouldLoad()) load();

function load(): void {
  const env = process.env;
  // made once, here: a worker that resolves instead gets it, so a DEVSECRETS_* value it ignores is said once
  const request = resolveRequest(env, process.cwd());
  const outcome = fetchVariablesSync(env, request) ?? resolveInWorker(request);
  if (settle(env, outcome)) followRotationsLater(env, request, events);
}

function resolveInWorker(request: ResolveRequest): ShimOutcome {
  // loaded here, not at the top: an app whose daemon answers never pays for node:worker_threads (~1-5 ms)
  const { Worker, MessageChannel, receiveMessageOnPort } = process.getBuiltinModule("node:worker_threads");
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // eval'd so that a worker module that fails to load still wakes us with an error instead of a silent wait
  const boot = `
    const { workerData } = require("node:worker_threads");
    import(workerData.url).catch((error) => {
      workerData.port.postMessage({ outcome: { ok: false, error: { code: "DS_INTERNAL", message: "the shim's worker did not load (" + error.message + ")", hint: "run npm run build, or reinstall devsecrets" } } });
      Atomics.store(workerData.signal, 0, 1);
      Atomics.notify(workerData.signal, 0);
    });`;
  let worker: InstanceType<typeof Worker>;
  try {
    worker = new Worker(boot, {
      eval: true,
      execArgv: [],
      workerData: { url: new URL("./sync-worker.js", import.meta.url).href, signal, port: port2, request },
      transferList: [port2],
    });
  } catch (error) {
    // node --permission without --allow-worker: DS_PERMISSION naming the flags, not Node's stack
    port1.close();
    return { ok: false, error: internal(error) };
  }
  worker.unref();
  const waited = Atomics.wait(signal, 0, 0, WAIT_MS);
  const message = receiveMessageOnPort(port1);
  port1.close();
  void worker.terminate();
  if (waited === "timed-out" || !message) {
    return {
      ok: false,
      error: {
        code: "DS_DAEMON_UNREACHABLE",
        message: `the daemon did not answer within ${WAIT_MS} ms`,
        hint: ERROR_CODES.DS_DAEMON_UNREACHABLE.hint,
      },
    };
  }
  return (message.message as { outcome: ShimOutcome }).outcome;
}
