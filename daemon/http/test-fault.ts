// The test-only fault (DEVSECRETS_TEST_HOOKS=1 and DEVSECRETS_TEST_FAULTS=1): an error that escapes every catch.
// Rule: never registered in a production daemon; the message carries a canary that no log line may show.

import type { ServerResponse } from "node:http";

/** throws or rejects outside the route's catch; "after" answers first and fails later, in the request's scope */
export function testFault(body: unknown, res: ServerResponse): void {
  const kind = (body as { kind?: unknown } | null)?.kind;
  const canary = String((body as { canary?: unknown } | null)?.canary ?? "");
  // a message of several lines, one shaped like a frame: the log must keep none of them
  const message = `${canary}\n    at canaryFrame (/${canary}/frame.js:1:1)`;
  if (kind === "exception") {
    setImmediate(() => {
      throw new RangeError(message);
    });
  } else if (kind === "rejection") {
    void Promise.reject(new TypeError(message));
  } else {
    res.end("{}");
    setTimeout(() => {
      throw new SyntaxError(message);
    }, 10);
  }
}
