import test from "ava";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal } from "../../../daemon/leases/journal.js";
import { RETRY_DELAYS_MS, RetryLoop, Revokers } from "../../../daemon/leases/revokers.js";

test("a torn last line (a crash mid-write) is skipped, and the next record after it is not swallowed by it", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-journal-"));
  try {
    const path = join(dir, "journal.jsonl");
    new Journal(path).record({ id: "role-a", kind: "postgres-role", session: "s" });
    appendFileSync(path, '{"op":"add","entry":{"id":"role-b","kind":"postgr');
    const next = new Journal(path);
    t.deepEqual(
      next.pending().map((e) => e.id),
      ["role-a"],
    );
    next.resolved("role-a");
    t.deepEqual(next.pending(), [], "the done record after the torn line counts");
    next.record({ id: "role-c", kind: "postgres-role", session: "s" });
    t.deepEqual(
      next.pending().map((e) => e.id),
      ["role-c"],
    );
    next.compact();
    t.is(readFileSync(path, "utf8").split("\n").filter(Boolean).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function withJournal(body: (journal: Journal, path: string) => Promise<void> | void) {
  const dir = mkdtempSync(join(tmpdir(), "ds-journal-"));
  return Promise.resolve(body(new Journal(join(dir, "journal.jsonl")), join(dir, "journal.jsonl"))).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
}

test("journal v2: updates merge into the entry; 0.1.0 lines (no v) are still read", async (t) => {
  await withJournal((journal, path) => {
    appendFileSync(
      path,
      `${JSON.stringify({ op: "add", entry: { id: "old", kind: "postgres-role", session: "s" } })}\n`,
    );
    journal.record({ v: 2, id: "svc", kind: "service", session: "s", service: "redis", dir: "/x" });
    journal.update("svc", { pid: 42, starttime: 1234, id: "other", kind: "evil" } as never);
    const pending = journal.pending();
    t.deepEqual(
      pending.map((e) => e.id),
      ["old", "svc"],
    );
    t.like(pending[1], { id: "svc", kind: "service", pid: 42, starttime: 1234, dir: "/x" });
    journal.record({ id: "new", kind: "postgres-role", session: "s" });
    t.is(journal.pending().find((e) => e.id === "new")?.v, 2, "every entry this version writes is v2");
    journal.compact();
    t.like(new Journal(path).pending()[1], { pid: 42 }, "compaction keeps what updates taught");
  });
});

test("a revoker that keeps failing is retried with back-off, then abandoned and kept, never dropped", async (t) => {
  await withJournal(async (journal) => {
    let now = Date.parse("2026-12-06T00:00:00Z");
    const abandoned: string[] = [];
    const revokers = new Revokers(journal, { now: () => now, onAbandoned: (e) => abandoned.push(e.id) });
    let calls = 0;
    revokers.register("postgres-role", async () => {
      calls++;
      throw new Error("connection refused");
    });
    journal.record({ v: 2, id: "ds_role", kind: "postgres-role", session: "s" });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const report = await revokers.revokeDue();
      t.deepEqual(report.failed, ["postgres-role:ds_role"]);
      const due = revokers.nextDueAt();
      if (due !== null) {
        waits.push(due - now);
        t.deepEqual((await revokers.revokeDue()).failed, [], "not due yet: not tried");
        now = due;
      }
    }
    t.deepEqual(waits, [...RETRY_DELAYS_MS], "1 s, 30 s, 5 min, 1 h between tries");
    t.is(calls, 5);
    t.deepEqual(abandoned, ["ds_role"]);
    t.is(revokers.nextDueAt(), null, "an abandoned entry is not retried");
    t.like(revokers.outstanding()[0], { id: "ds_role", attempts: 5, abandoned: true }, "still listed for status");
    await revokers.revoke();
    t.is(calls, 5, "not even by a wipe");
  });
});

test("an entry whose credential expired anyway is dropped without calling its revoker", async (t) => {
  await withJournal(async (journal) => {
    const revokers = new Revokers(journal);
    let called = false;
    revokers.register("vault-lease", async () => {
      called = true;
    });
    journal.record({ v: 2, id: "lease/1", kind: "vault-lease", session: "s", expiresAt: "2020-01-01T00:00:00Z" });
    const report = await revokers.revoke();
    t.is(report.expired, 1);
    t.false(called);
    t.deepEqual(journal.pending(), []);
  });
});

test("a kind that outlives its expiry (a database past VALID UNTIL) is still revoked after it, with the bounded retries", async (t) => {
  await withJournal(async (journal) => {
    let now = Date.parse("2026-12-06T00:00:00Z");
    const revokers = new Revokers(journal, { now: () => now });
    let calls = 0;
    let up = false;
    revokers.register(
      "postgres-database",
      async () => {
        calls++;
        if (!up) throw new Error("connection refused");
      },
      { outlivesExpiry: true },
    );
    journal.record({ v: 2, id: "ds_db", kind: "postgres-database", session: "s", expiresAt: "2020-01-01T00:00:00Z" });
    const first = await revokers.revokeDue();
    t.deepEqual(first, { undone: 0, expired: 0, failed: ["postgres-database:ds_db"] }, "tried, not dropped as expired");
    t.like(journal.pending()[0], { id: "ds_db", attempts: 1 });
    now = revokers.nextDueAt() as number;
    up = true;
    t.deepEqual(await revokers.revokeDue(), { undone: 1, expired: 0, failed: [] });
    t.is(calls, 2);
    t.deepEqual(journal.pending(), []);
  });
});

test("a revoker that never answers is cut off after the attempt timeout and booked as a failure", async (t) => {
  await withJournal(async (journal) => {
    const revokers = new Revokers(journal, { attemptTimeoutMs: 50 });
    revokers.register("postgres-role", () => new Promise(() => {}));
    journal.record({ v: 2, id: "ds_hang", kind: "postgres-role", session: "s" });
    const started = Date.now();
    const report = await revokers.revoke();
    t.true(Date.now() - started < 2_000);
    t.deepEqual(report.failed, ["postgres-role:ds_hang"]);
    t.like(journal.pending()[0], { attempts: 1 });
  });
});

test("the retry loop runs in the background and never holds the process open", async (t) => {
  await withJournal(async (journal) => {
    const revokers = new Revokers(journal);
    let tries = 0;
    revokers.register("postgres-role", async () => {
      tries++;
      if (tries < 2) throw new Error("not yet");
    });
    journal.record({ v: 2, id: "ds_later", kind: "postgres-role", session: "s" });
    const reports: number[] = [];
    const loop = new RetryLoop(revokers, (r) => reports.push(r.undone));
    await loop.start();
    t.is(tries, 1);
    // the second try comes by itself 1 s later
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    loop.stop();
    t.is(tries, 2);
    t.deepEqual(journal.pending(), []);
    t.deepEqual(reports, [0, 1]);
  });
});

test("a new daemon's start tries at once what the last one booked for later (its back-off), and a success ends it", async (t) => {
  await withJournal(async (journal) => {
    const revokers = new Revokers(journal);
    let tries = 0;
    revokers.register("postgres-role", async () => {
      tries++;
    });
    // booked by the previous daemon: 2 failed tries, the next one due in 5 minutes
    journal.record({ v: 2, id: "ds_booked", kind: "postgres-role", session: "s" });
    journal.update("ds_booked", { attempts: 2, nextAt: new Date(Date.now() + 300_000).toISOString() });
    const loop = new RetryLoop(revokers, () => {});
    // the landed loop tried only what was due: the role waited 5 minutes although its server was back
    await loop.start();
    loop.stop();
    t.is(tries, 1);
    t.deepEqual(journal.pending(), []);
  });
});

test("a failed early try (a start, a wipe) of an entry not yet due counts nothing and keeps its back-off", async (t) => {
  await withJournal(async (journal) => {
    let now = Date.parse("2026-12-06T00:00:00Z");
    const revokers = new Revokers(journal, { now: () => now });
    let tries = 0;
    revokers.register("postgres-role", async () => {
      tries++;
      throw new Error("connection refused");
    });
    const nextAt = new Date(now + 300_000).toISOString();
    journal.record({ v: 2, id: "ds_booked", kind: "postgres-role", session: "s" });
    journal.update("ds_booked", { attempts: 2, firstFailedAt: new Date(now - 31_000).toISOString(), nextAt });
    // ten restarts within the 5 minutes: each start tries once; on the landed code each try counted, and the fifth
    // start abandoned the entry long before its back-off ran out
    for (let restart = 0; restart < 10; restart++) {
      t.deepEqual((await revokers.revoke()).failed, ["postgres-role:ds_booked"]);
      now += 1_000;
    }
    t.is(tries, 10);
    t.like(journal.pending()[0], { attempts: 2, nextAt });
    t.falsy(journal.pending()[0]?.abandoned);
    // once due, a failure counts again and books the next wait
    now = Date.parse(nextAt);
    await revokers.revoke();
    t.like(journal.pending()[0], { attempts: 3, nextAt: new Date(now + RETRY_DELAYS_MS[2]).toISOString() });
  });
});

test("compacting a journal with nothing in it writes nothing (no file, no fsync on a start's path)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-journal-"));
  try {
    const path = join(dir, "journal.jsonl");
    new Journal(path).compact();
    t.false(existsSync(path), "the landed code wrote an empty file through a temp file and an fsync");
    const journal = new Journal(path);
    journal.record({ v: 2, id: "ds_one", kind: "postgres-role", session: "s" });
    journal.resolved("ds_one");
    journal.compact();
    t.is(readFileSync(path, "utf8"), "", "a journal with lines is still compacted");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
