// The test-only heap snapshot (DEVSECRETS_TEST_HOOKS=1 and DEVSECRETS_TEST_HEAP_SNAPSHOT=1): what stays in V8's heap after a wipe.
// Rule: never registered in a production daemon; the file is written 0600 under the state folder and its path answered.

import { writeHeapSnapshot } from "node:v8";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "../../common/paths.js";

export function writeTestHeapSnapshot(): string {
  const dir = stateDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // a full collection first when the daemon runs with --expose-gc (a snapshot collects too, but not weak caches)
  (globalThis as { gc?: () => void }).gc?.();
  const path = writeHeapSnapshot(join(dir, `test-heap-${process.pid}-${Date.now()}.heapsnapshot`));
  chmodSync(path, 0o600);
  return path;
}
