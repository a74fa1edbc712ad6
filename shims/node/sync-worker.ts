// The worker behind the CommonJS preload: resolves asynchronously while the main thread waits on Atomics.
// Rule: always posts an outcome and notifies, even on failure, so the main thread never waits for nothing.

import { workerData, type MessagePort } from "node:worker_threads";
import { fetchVariables, resolveRequest, type ShimOutcome } from "./fetch-variables.js";

interface SyncWorkerData {
  signal: Int32Array;
  port: MessagePort;
  cwd: string;
}

const { signal, port, cwd } = workerData as SyncWorkerData;
const env = process.env;
const request = resolveRequest(env, cwd);
let outcome: ShimOutcome;
try {
  outcome = await fetchVariables(env, request);
} catch (error) {
  outcome = {
    ok: false,
    error: { code: "DS_INTERNAL", message: `the shim failed (${(error as Error).message})`, hint: "report the issue" },
  };
}
port.postMessage({ outcome, request });
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
