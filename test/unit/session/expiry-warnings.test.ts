// `expiring` once per deadline: 5 minutes before the session's end, 1 minute before the idle lock (issue 20).

import test from "ava";
import { EventBus } from "../../../daemon/events.js";
import type { DaemonEvent } from "../../../daemon/protocol/events.js";
import type { SessionInfo } from "../../../daemon/protocol/messages.js";
import { ExpiryWarnings } from "../../../daemon/session/expiry-warnings.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

function session(endsIn: number, idleIn: number): SessionInfo {
  return {
    id: "s",
    env: "dev",
    store: "memory",
    createdAt: at(-60),
    expiresAt: at(endsIn),
    idleSeconds: 3600,
    idleAt: at(idleIn),
  };
}

function watch(info: () => SessionInfo | null) {
  const bus = new EventBus();
  const seen: DaemonEvent[] = [];
  bus.subscribe((event) => seen.push(event));
  return { warnings: new ExpiryWarnings(info, bus), seen };
}

test("the session's end is told once within 5 minutes, not before", (t) => {
  let current = session(301, 3600);
  const { warnings, seen } = watch(() => current);
  warnings.check(NOW);
  t.deepEqual(seen, []);
  current = session(299, 3600);
  warnings.check(NOW);
  warnings.check(NOW + 5_000);
  t.deepEqual(seen, [{ type: "expiring", what: "session", at: at(299), inSeconds: 299 }]);
});

test("the idle lock is told within a minute, again for each new deadline a use sets", (t) => {
  let current = session(7200, 59);
  const { warnings, seen } = watch(() => current);
  warnings.check(NOW);
  current = session(7200, 50); // used again: a new idle deadline
  warnings.check(NOW);
  warnings.check(NOW);
  t.deepEqual(
    seen.map((e) => (e.type === "expiring" ? [e.what, e.inSeconds] : null)),
    [
      ["idle", 59],
      ["idle", 50],
    ],
  );
});

test("no session, no warning; an idle lock after the end is not told", (t) => {
  const none = watch(() => null);
  none.warnings.check(NOW);
  t.deepEqual(none.seen, []);
  const late = watch(() => session(600, 30 + 600));
  late.warnings.check(NOW);
  t.deepEqual(late.seen, []);
});
