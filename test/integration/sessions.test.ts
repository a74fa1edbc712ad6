// Sessions in the OS keychain, end to end: the CLI as a user runs it, the real daemon, a real gnome-keyring on a private bus.
// Rule: every test stops its daemon, keychain helpers and keyring by pid and fails if one is left; values never reach a file.
// Serial: nine keyrings at once starve the helpers' bounded calls on a small machine.

import test from "ava";
import { randomBytes } from "node:crypto";
import { DaemonClient } from "../../daemon/client/client.js";
import { killAndWait } from "../helpers/daemon-process.js";
import { isAlive, waitFor } from "../helpers/sandbox-env.js";
import { filesHolding, withSessionWorld, type SessionWorld } from "../helpers/session-world.js";

const PRINT_DB = [process.execPath, "-e", "process.stdout.write(String(process.env.DB))"];

async function login(sw: SessionWorld, ...args: string[]): Promise<void> {
  const r = await sw.run(["login", ...args]);
  if (r.code !== 0) throw new Error(`login ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
}

async function setValue(sw: SessionWorld, value: string): Promise<void> {
  const r = await sw.run(["set", "db-password"], { input: `${value}\n` });
  if (r.code !== 0) throw new Error(`set failed (${r.code}): ${r.stderr}`);
}

async function resolvedDb(sw: SessionWorld): Promise<string> {
  const r = await sw.run(["env", "--format", "json"]);
  if (r.code !== 0) throw new Error(`env failed (${r.code}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { DB: string }).DB;
}

test.serial(
  "login puts the session item (service devsecrets, username session) in the keychain; logout removes it",
  async (t) => {
    await withSessionWorld(t, {}, async (sw) => {
      t.false((await sw.keychainItems()).includes("attribute.username = session"));
      const r = await sw.run(["login"]);
      t.is(r.code, 0, r.stderr);
      t.regex(r.stderr, /logged in: env dev, keychain store/);
      const status = await sw.status();
      t.is(status.session.kind, "login");
      t.is(status.session.store, "keychain");

      const items = await sw.keychainItems();
      t.regex(items, /attribute\.service = devsecrets/);
      t.regex(items, /attribute\.username = session/);
      const stored = { stdout: await sw.secretLookup("session") };
      t.is(
        (JSON.parse(stored.stdout) as { id: string }).id as string | null,
        status.session.id,
        "the item is this session's record",
      );
      t.false(items.includes("username = probe"), "the store probe leaves no item behind");

      const out = await sw.run(["logout"]);
      t.is(out.code, 0, out.stderr);
      t.regex(out.stderr, /logged out; wiped/);
      t.false((await sw.keychainItems()).includes("username = session"));
      t.is((await sw.status()).session.kind, "anonymous");
    });
  },
);

test.serial(
  "a keychain:// value reaches the child of `run`, and no file of the world (HOME, XDG, TMPDIR, daemon log) holds its bytes",
  async (t) => {
    await withSessionWorld(t, {}, async (sw) => {
      const value = `pw-${randomBytes(12).toString("hex")}`;
      await login(sw);
      const set = await sw.run(["set", "db-password"], { input: `${value}\n` });
      t.is(set.code, 0, set.stderr);
      t.regex(set.stderr, /stored: keychain:\/\/db-password \(used by DB\)/);
      t.false(set.stdout.includes(value) || set.stderr.includes(value), "set never prints the value");

      const run = await sw.run(["run", "--no-mask", "--", ...PRINT_DB]);
      t.is(run.code, 0, run.stderr);
      t.is(run.stdout, value);
      t.false(run.stderr.includes(value));
      // the item itself is in the keychain, under the project's account
      t.regex(await sw.keychainItems(), /attribute\.username = [0-9a-f]{16}\/db-password/);

      const stop = await sw.run(["daemon", "stop"]);
      t.is(stop.code, 0, stop.stderr);
      const scan = filesHolding(sw.world.root, value);
      t.true(scan.files >= 3, `the walk read the world's files (${scan.files})`);
      t.true(sw.daemonLog().length > 0, "the daemon log was written and scanned");
      t.deepEqual(scan.hits, []);
    });
  },
);

for (const signal of ["SIGTERM", "SIGKILL", "daemon stop"] as const) {
  test.serial(
    `after ${signal}, the next start resumes the same keychain session and keychain:// still resolves`,
    async (t) => {
      await withSessionWorld(t, {}, async (sw) => {
        const value = `v-${randomBytes(8).toString("hex")}`;
        await login(sw);
        await setValue(sw, value);
        const before = await sw.status();
        t.is(before.session.store, "keychain");

        if (signal === "daemon stop") {
          t.is((await sw.run(["daemon", "stop"])).code, 0);
          await waitFor(() => !isAlive(before.pid), 10_000, "the stopped daemon to exit");
        } else await killAndWait(before.pid, signal);
        const after = await sw.status(); // autostarts a new daemon
        t.not(after.pid, before.pid);
        t.is(after.session.kind, "login");
        t.is(after.session.id, before.session.id);
        t.is(after.session.store, "keychain");
        t.is(after.session.expiresAt, before.session.expiresAt);
        t.is(await resolvedDb(sw), value);
        t.regex(sw.daemonLog(), new RegExp(`"event":"session-resumed".*"session":"${before.session.id}"`));
        t.regex(await sw.keychainItems(), /attribute\.username = session/);
      });
    },
  );
}

test.serial("login while logged in keeps the session (same id) and moves expiresAt later", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const first = await sw.run(["login", "--ttl", "1h", "--json"]);
    t.is(first.code, 0, first.stderr);
    const a = JSON.parse(first.stdout) as { extended: boolean; session: { id: string; expiresAt: string } };
    t.false(a.extended);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await sw.run(["login"]);
    t.is(again.code, 0, again.stderr);
    t.regex(again.stderr, /session kept and extended: expires in (8h|7h59m)/);
    const status = await sw.status();
    t.is(status.session.id, a.session.id);
    t.true(Date.parse(status.session.expiresAt!) > Date.parse(a.session.expiresAt) + 6 * 3600_000);
    // the keychain record follows, so a restart resumes with the new expiry
    const stored = { stdout: await sw.secretLookup("session") };
    t.is((JSON.parse(stored.stdout) as { expiresAt: string }).expiresAt as string | null, status.session.expiresAt);
  });
});

test.serial("run says once on stderr that the session ends within 10 minutes", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const value = `v-${randomBytes(8).toString("hex")}`;
    await login(sw, "--ttl", "5m");
    await setValue(sw, value);
    const run = await sw.run(["run", "--no-mask", "--", ...PRINT_DB]);
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, value);
    const lines = run.stderr.split("\n").filter((l) => l.includes("the session ends in"));
    t.is(lines.length, 1, run.stderr);
    t.regex(lines[0]!, /^devsecrets: the session ends in [45]m\d*s?; run `devsecrets login` to extend it$/);

    // a session with hours left says nothing
    await login(sw, "--ttl", "2h");
    const quiet = await sw.run(["run", "--no-mask", "--", ...PRINT_DB]);
    t.is(quiet.code, 0, quiet.stderr);
    t.false(quiet.stderr.includes("the session ends in"), quiet.stderr);
  });
});

test.serial(
  "doctor prints the daemon's keychain view (GET /v1/doctor), not a probe in the CLI's own environment",
  async (t) => {
    await withSessionWorld(t, {}, async (sw) => {
      // the daemon starts with the keyring's bus; the CLI below runs where no Secret Service answers
      t.is((await sw.status()).session.kind, "anonymous");
      const client = new DaemonClient({
        socket: sw.world.socket,
        env: sw.world.env,
        autostart: false,
        timeoutMs: 20_000,
      });
      t.deepEqual((await client.doctor()).keychain, {
        probe: "ok",
        autoStore: "keychain",
        bus: sw.env.DBUS_SESSION_BUS_ADDRESS ?? null,
        timeoutMs: 4000,
      });
      const r = await sw.run(["doctor", "--json"], { env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent" } });
      const check = (JSON.parse(r.stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks.find(
        (c) => c.name === "keychain",
      );
      t.is(check?.ok, true, r.stdout);
      t.regex(check?.detail ?? "", /^Secret Service answers and is unlocked; login --store auto uses the keychain$/);
    });
  },
);

test.serial("doctor reports the keychain: reachable, and that login --store auto would use it", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const r = await sw.run(["doctor"]);
    t.is(r.code, 0, r.stdout + r.stderr);
    t.regex(r.stdout, /^ok\s+keychain\s+.*Secret Service answers.*login --store auto uses the keychain/m);
    // the other checks are still there
    for (const name of ["node", "socket folder", "socket", "daemon", "log"])
      t.regex(r.stdout, new RegExp(`^ok\\s+${name}\\s`, "m"));
    t.false((await sw.keychainItems()).includes("username = probe"));
    const json = await sw.run(["doctor", "--json"]);
    const check = (JSON.parse(json.stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks.find(
      (c) => c.name === "keychain",
    );
    t.is(check?.ok, true);
  });
});
