// Sessions that end on their own: expiry and the idle lock run the wipe and tell subscribers; a crash is finished at the next start.
// Rule: real timers in a real daemon and keyring; serial, so short TTLs are not starved by the other tests of this file.

import test from "ava";
import { randomBytes } from "node:crypto";
import { killAndWait } from "../helpers/daemon-process.js";
import { withSessionWorld } from "../helpers/session-world.js";
import { subscribeEvents } from "../helpers/sse.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.serial("a SIGKILLed session past its TTL is wiped at the next start from the journal", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    // 6 s: the status below must still see the session live, also when a CLI start takes seconds on a loaded machine
    const login = await sw.run(["login", "--ttl", "6s"]);
    t.is(login.code, 0, login.stderr);
    const loggedInAt = Date.now();
    const before = await sw.status();
    t.is(before.session.kind, "login", "the session was still live when the daemon was killed");
    await killAndWait(before.pid, "SIGKILL");
    await sleep(Math.max(0, loggedInAt + 7_000 - Date.now()));
    // nothing has run since the kill: the item outlived its TTL
    t.regex(await sw.keychainItems(), /attribute\.username = session/);

    const after = await sw.status(); // autostart runs the recovery before it serves
    t.not(after.pid, before.pid);
    t.is(after.session.kind, "anonymous");
    t.is(after.session.id, null);
    t.false((await sw.keychainItems()).includes("username = session"));
    t.regex(sw.daemonLog(), /"event":"recovery".*"resumed":null,"removedSessions":1/);

    // the journal holds nothing more for that session: a second restart has nothing to recover
    await killAndWait(after.pid, "SIGKILL");
    await sw.status();
    t.is(sw.daemonLog().match(/"event":"recovery"/g)?.length, 1);
  });
});

test.serial(
  "login --ttl 2s expires on its own: wipe event (expiry), anonymous status, DS_SESSION_EXPIRED",
  async (t) => {
    await withSessionWorld(t, {}, async (sw) => {
      const value = `v-${randomBytes(8).toString("hex")}`;
      t.is((await sw.run(["daemon", "start"])).code, 0);
      // the value is set in a session without a TTL first: a `set` after `login --ttl 2s` raced the expiry on a loaded
      // machine (a Node CLI start can take longer than 2 s)
      t.is((await sw.run(["login"])).code, 0);
      const set = await sw.run(["set", "db-password"], { input: value });
      t.is(set.code, 0, set.stderr);
      t.is((await sw.run(["logout"])).code, 0);
      const events = await subscribeEvents(sw.world.socket);
      try {
        const login = await sw.run(["login", "--ttl", "2s"]);
        t.is(login.code, 0, login.stderr);

        const wipe = await events.nextData<{ reason: string; time: string }>("wipe", 10_000);
        t.deepEqual(wipe, { reason: "expiry", time: wipe.time });
        t.false(Number.isNaN(Date.parse(wipe.time)), "the event carries the daemon's time");

        const status = await sw.status();
        t.is(status.session.kind, "anonymous");
        t.is(status.session.id, null);
        t.false((await sw.keychainItems()).includes("username = session"), "expiry deletes the stored session");

        const get = await sw.run(["get", "DB"]);
        t.is(get.code, 1);
        t.regex(get.stderr, /error DS_SESSION_EXPIRED: .*expired/);
        t.regex(get.stderr, /hint: run `devsecrets login`/);
        t.false(get.stdout.includes(value));
        // the user's value is kept (it is theirs) and comes back with the next login
        t.regex(await sw.keychainItems(), /attribute\.username = [0-9a-f]{16}\/db-password/);
        t.is((await sw.run(["login"])).code, 0);
        t.is((await sw.run(["get", "DB"])).stdout, value);
      } finally {
        events.close();
      }
    });
  },
);

test.serial(
  "login --idle 2s locks with no requests in between (an open event subscription is not activity)",
  async (t) => {
    await withSessionWorld(t, {}, async (sw) => {
      t.is((await sw.run(["daemon", "start"])).code, 0);
      const events = await subscribeEvents(sw.world.socket);
      try {
        const started = Date.now();
        const login = await sw.run(["login", "--idle", "2s"]);
        const loggedIn = Date.now();
        t.is(login.code, 0, login.stderr);

        const wipe = await events.nextData<{ reason: string; time: string }>("wipe", 10_000);
        t.deepEqual(wipe, { reason: "idle", time: wipe.time });
        t.false(Number.isNaN(Date.parse(wipe.time)), "the event carries the daemon's time");
        // not before 2 s from the login's request (made after `started`), and within the sweep of 2 s after its answer
        // (the login command's own Node start, seconds on a loaded machine, is no part of the idle time)
        const took = Date.now() - started;
        const afterAnswer = Date.now() - loggedIn;
        t.true(
          took >= 2000 && afterAnswer < 6000,
          `the idle lock came ${took} ms after login was run, ${afterAnswer} ms after it answered`,
        );

        const status = await sw.status();
        t.is(status.session.kind, "anonymous");
        t.false((await sw.keychainItems()).includes("username = session"), "the idle lock deletes the stored session");
        const get = await sw.run(["get", "DB"]);
        t.is(get.code, 1);
        t.regex(get.stderr, /error DS_SESSION_EXPIRED: .*idle lock/);
      } finally {
        events.close();
      }
    });
  },
);

test.serial("requests that serve values keep an idle session alive", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    t.is((await sw.run(["daemon", "start"])).code, 0);
    const events = await subscribeEvents(sw.world.socket);
    try {
      t.is((await sw.run(["login", "--idle", "3s", "--store", "memory"])).code, 0);
      t.is((await sw.run(["set", "db-password"], { input: "kept" })).code, 0);
      const id = (await sw.status()).session.id;
      for (let i = 0; i < 4; i++) {
        await sleep(1200);
        const get = await sw.run(["get", "DB"]);
        t.is(get.code, 0, get.stderr);
        t.is(get.stdout, "kept");
      }
      t.is((await sw.status()).session.id, id, "still the same session after 4.8 s of use with a 3 s idle lock");
      t.deepEqual(
        events.events.filter((e) => e.event === "wipe"),
        [],
      );
    } finally {
      events.close();
    }
  });
});
