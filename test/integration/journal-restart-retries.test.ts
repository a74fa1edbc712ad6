// Daemon restarts must not use up the five tries of a journaled undo whose server is down (issue 17).
// Rule: a real server on loopback that accepts and stays silent, real `daemon restart`s; only due tries count.

import test from "ava";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { silentServer } from "../helpers/loopback-port.js";
import { join } from "node:path";
import type { JournalEntry } from "../../daemon/leases/journal.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, waitFor } from "../helpers/sandbox-env.js";

/** the journal's entries as its lines leave them (add, update, done) */
function journalEntries(path: string): Map<string, JournalEntry> {
  const entries = new Map<string, JournalEntry>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const op = JSON.parse(line) as
      | { op: "add"; entry: JournalEntry }
      | { op: "done"; id: string }
      | { op: "update"; id: string; fields: Partial<JournalEntry> };
    if (op.op === "add") entries.set(op.entry.id, op.entry);
    else if (op.op === "done") entries.delete(op.id);
    else {
      const entry = entries.get(op.id);
      if (entry) entries.set(op.id, { ...entry, ...op.fields });
    }
  }
  return entries;
}

/** how many finished rounds of tries the daemon log reports (each start makes one, after the 5 s attempt timeout) */
function triedRounds(log: string): number {
  if (!existsSync(log)) return 0;
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line.includes('"event":"revocation-retried"')).length;
}

test("two daemon restarts while the server is down: entries not yet due keep their count and back-off", async (t) => {
  const world = makeWorld();
  // accepts every connection and never says a word, as a firewalled or hung PostgreSQL would
  const silent = await silentServer();
  const { port } = silent;
  try {
    const state = join(world.env.XDG_STATE_HOME as string, "devsecrets");
    mkdirSync(state, { recursive: true, mode: 0o700 });
    const journal = join(state, "journal.jsonl");
    const log = join(state, "daemon.log");
    const now = Date.now();
    const data = { adminUrl: `postgres://admin@127.0.0.1:${port}/postgres`, db: "postgres" };
    // booked by an earlier daemon: 2 failed tries, the next one due in an hour
    const waiting = {
      v: 2,
      id: "ds_waiting",
      kind: "postgres-role",
      session: "dead-session",
      data,
      attempts: 2,
      firstFailedAt: new Date(now - 60_000).toISOString(),
      nextAt: new Date(now + 3_600_000).toISOString(),
    };
    // due now: its try counts
    const due = { ...waiting, id: "ds_due", attempts: 1, nextAt: new Date(now - 1_000).toISOString() };
    writeFileSync(
      journal,
      `${JSON.stringify({ op: "add", entry: waiting })}\n${JSON.stringify({ op: "add", entry: due })}\n`,
      {
        mode: 0o600,
      },
    );

    const started = await cli(world, ["daemon", "start"]);
    t.is(started.code, 0, started.stderr);
    await waitFor(async () => triedRounds(log) >= 1, 20_000, "the start's round of tries");
    for (let restart = 1; restart <= 2; restart++) {
      const restarted = await cli(world, ["daemon", "restart"]);
      t.is(restarted.code, 0, restarted.stderr);
      await waitFor(async () => triedRounds(log) >= restart + 1, 20_000, `the round of tries after restart ${restart}`);
    }
    const stopped = await cli(world, ["daemon", "stop"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
    t.is(stopped.code, 0, stopped.stderr);

    const entries = journalEntries(journal);
    // on the landed code each of the three starts counted a try: ds_waiting reached 5 and was abandoned
    t.like(entries.get("ds_waiting"), { attempts: 2, nextAt: waiting.nextAt, firstFailedAt: waiting.firstFailedAt });
    t.falsy(entries.get("ds_waiting")?.abandoned);
    // the due entry's first try counted once (then 30 s of back-off, which the restarts did not shorten)
    const after = entries.get("ds_due");
    t.like(after, { attempts: 2, firstFailedAt: due.firstFailedAt });
    t.falsy(after?.abandoned);
    t.true(Date.parse(after?.nextAt ?? "") > now + 20_000, `next try at ${after?.nextAt}`);
  } finally {
    silent.close();
    await disposeWorld(world);
  }
});
