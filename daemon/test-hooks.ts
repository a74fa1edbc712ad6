// Hooks that only a test harness may switch on (DEVSECRETS_TEST_HOOKS=1): a fake version, short timers.
// Rule: without the switch every hook is off, and a hook variable set without it stops the daemon at start.

export interface TestHooks {
  /** the version the daemon claims, to test that a newer client restarts an older daemon */
  fakeVersion?: string;
  /** POST /v1/test/heap-snapshot writes a V8 heap snapshot under the state folder (the leak canary test) */
  heapSnapshot: boolean;
  /** POST /v1/test/fault throws or rejects outside every handler's catch (the last-resort test) */
  faults: boolean;
}

import { readBoolean, readString } from "../common/environment.js";
import { sayIgnored } from "../common/environment-dialect.js";

const HOOK_VARIABLES = [
  "DEVSECRETS_TEST_FAKE_VERSION",
  "DEVSECRETS_TEST_HEAP_SNAPSHOT",
  "DEVSECRETS_TEST_FAULTS",
] as const;

export function readTestHooks(env: NodeJS.ProcessEnv = process.env): TestHooks {
  const enabled = readBoolean(env, "DEVSECRETS_TEST_HOOKS", sayIgnored);
  const requested = HOOK_VARIABLES.filter((name) => readString(env, name) !== undefined);
  if (!enabled) {
    if (requested.length > 0)
      throw new Error(`test hooks requested (${requested.join(", ")}) without DEVSECRETS_TEST_HOOKS=1`);
    return { heapSnapshot: false, faults: false };
  }
  return {
    ...(env.DEVSECRETS_TEST_FAKE_VERSION ? { fakeVersion: env.DEVSECRETS_TEST_FAKE_VERSION } : {}),
    heapSnapshot: readBoolean(env, "DEVSECRETS_TEST_HEAP_SNAPSHOT", sayIgnored),
    faults: readBoolean(env, "DEVSECRETS_TEST_FAULTS", sayIgnored),
  };
}
