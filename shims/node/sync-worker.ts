// The worker behind the CommonJS preload: resolves asynchronously while the main thread waits on Atomics.
// Rule: always posts an outcome and notifies, even on failure, so the main thread never waits for nothing; the
// request is the main thread's own, so nothing of the environment is read (or said) twice.

import { workerData, type MessagePort } from "node:worker_threads";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";
import { fetchVariables } from "./fetch-variables.js";
import { internal, type ShimOutcome } from "./shim-outcome.js";

interface SyncWorkerData {
  signal: Int32Array;
  port: MessagePort;
  request: ResolveRequest;
}

const { signal, port, request } = workerData as SyncWorkerData;
let outcome: ShimOutcome;
try {
  outcome = await fetchVariables(process.env, request);
} catch (error) {
  outcome = { ok: false, error: internal(error) };
}
port.postMessage({ outcome });
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
