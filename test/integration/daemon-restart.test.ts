// Upgrades and restarts (issue 17): a client meets an older daemon, a newer one, or asks for `daemon restart`.
// Rule: real daemons of a private world, stopped by pid; the fake version comes from the test hooks only.

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, isAlive, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, startDaemon, waitForListening, withWorld } from "../helpers/daemon-process.js";
import { isLive, withSessionWorld } from "../helpers/session-world.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";

const HOOKS = { DEVSECRETS_TEST_HOOKS: "1" };

async function health(world: World): Promise<{ pid: number; version: string }> {
  const response = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" });
  return JSON.parse(response.body) as { pid: number; version: string };
}

function daemonLog(world: World): string {
  return readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
}

function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

test("an older daemon: `daemon status` (no autostart) restarts it, completes, and says so in one stderr line", async (t) => {
  await withWorld(async (world) => {
    // the landed client stopped the old daemon here and then answered DS_DAEMON_UNREACHABLE
    const old = startDaemon(world, { ...HOOKS, DEVSECRETS_TEST_FAKE_VERSION: "0.0.1" });
    await waitForListening(world.socket, "the old daemon");
    const result = await cli(world, ["daemon", "status", "--json"]);
    t.is(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout) as { pid: number; version: string };
    t.not(status.pid, old.pid);
    t.is(status.version, PACKAGE_VERSION);
    t.deepEqual(linesOf(result.stderr), [
      `devsecrets: restarted the daemon (0.0.1 -> ${PACKAGE_VERSION}); wiped nothing; no session was logged in`,
    ]);
    t.is((await old.exit).code, 0);
    t.false(isLive(old.pid));
    t.regex(daemonLog(world), /"event":"wipe","pid":\d+,"reason":"restart"/);
    t.deepEqual(daemonPidsOf(world), [status.pid]);
  });
});

test("an older daemon: the command a user typed is answered by the new daemon (env in a project)", async (t) => {
  await withWorld(async (world) => {
    const old = startDaemon(world, { ...HOOKS, DEVSECRETS_TEST_FAKE_VERSION: "0.0.1" });
    await waitForListening(world.socket, "the old daemon");
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    const result = await cli(world, ["env", "--format", "json"], { cwd: project });
    t.is(result.code, 0, result.stderr);
    t.regex((JSON.parse(result.stdout) as { TOKEN: string }).TOKEN, /^ghp_/);
    t.is(linesOf(result.stderr).length, 1, result.stderr);
    t.regex(result.stderr, /restarted the daemon \(0\.0\.1 -> /);
    t.not((await health(world)).pid, old.pid);
  });
});

test("a newer daemon is left running, and the client says how to replace it", async (t) => {
  await withWorld(async (world) => {
    const newer = startDaemon(world, { ...HOOKS, DEVSECRETS_TEST_FAKE_VERSION: "99.0.0" });
    await waitForListening(world.socket, "the newer daemon");
    const result = await cli(world, ["daemon", "status", "--json"]);
    t.is(result.code, 0, result.stderr);
    t.is((JSON.parse(result.stdout) as { pid: number }).pid, newer.pid);
    t.deepEqual(linesOf(result.stderr), [
      `devsecrets: the daemon runs version 99.0.0, newer than this client's ${PACKAGE_VERSION}; left running ` +
        "(`devsecrets daemon restart` would replace it with this version)",
    ]);
    t.true(isAlive(newer.pid));
    // and `daemon restart` does replace it
    const restart = await cli(world, ["daemon", "restart"]);
    t.is(restart.code, 0, restart.stderr);
    t.regex(
      restart.stderr,
      new RegExp(`restarted the daemon \\(99\\.0\\.0 -> ${PACKAGE_VERSION.replace(/\./g, "\\.")}\\)`),
    );
    t.is((await newer.exit).code, 0);
    t.is((await health(world)).version, PACKAGE_VERSION);
  });
});

test("`daemon restart` with no daemon starts one; with a memory session it says the session is lost", async (t) => {
  await withWorld(async (world) => {
    const first = await cli(world, ["daemon", "restart"]);
    t.is(first.code, 0, first.stderr);
    t.regex(
      first.stderr,
      /^devsecrets: started the daemon \([^)]+\); wiped nothing; no session was logged in \(pid \d+\)\n$/,
    );
    const login = await cli(world, ["login", "--store", "memory"]);
    t.is(login.code, 0, login.stderr);
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    t.is((await cli(world, ["env"], { cwd: project })).code, 0);
    const before = (await health(world)).pid;
    const restart = await cli(world, ["daemon", "restart"]);
    t.is(restart.code, 0, restart.stderr);
    t.regex(
      restart.stderr,
      /restarted the daemon \([^)]+\); wiped .*1 session.*; the memory session is lost: log in again/,
    );
    t.false(isLive(before), "the old daemon has exited");
    const status = await cli(world, ["status", "--json"]);
    t.is((JSON.parse(status.stdout) as { session: { kind: string } }).session.kind, "anonymous");
  });
});

test.serial("`daemon restart` with a keychain session: the next daemon resumes it (same id)", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const login = await sw.run(["login"]);
    t.is(login.code, 0, login.stderr);
    const before = await sw.status();
    t.is(before.session.store, "keychain");
    const restart = await sw.run(["daemon", "restart"]);
    t.is(restart.code, 0, restart.stderr);
    t.regex(restart.stderr, /; the keychain session resumes \(pid \d+\)\n$/);
    const after = await sw.status();
    t.not(after.pid, before.pid);
    t.is(after.session.kind, "login");
    t.is(after.session.id, before.session.id);
    t.regex(sw.daemonLog(), /"reason":"restart"/);
  });
});

/** a file session's passphrase, and a value kept in it (the world's project has DB=keychain://db-password) */
const PASSPHRASE = "correct horse battery staple";
const KEPT = "kept-in-the-file-store";

test.serial(
  "`daemon restart` with a file-store session: it resumes locked, a script gets DS_SESSION_LOCKED, one login with the passphrase continues the same session",
  async (t) => {
    await withSessionWorld(t, { keyring: "none" }, async (sw) => {
      const login = await sw.runWithPassphrase(["login", "--store", "file"], PASSPHRASE);
      t.is(login.code, 0, login.stderr);
      const set = await sw.run(["set", "db-password"], { input: `${KEPT}\n` });
      t.is(set.code, 0, set.stderr);
      const before = await sw.status();
      t.is(before.session.store, "file");

      const restart = await sw.run(["daemon", "restart"]);
      t.is(restart.code, 0, restart.stderr);
      // the landed line said the session was lost ("needs its passphrase: log in again"), and a login made a new one
      t.regex(
        restart.stderr,
        /; the file session resumes locked: `devsecrets login` asks its passphrase once and the same session continues \(pid \d+\)\n$/,
      );
      const human = await sw.run(["status"]);
      t.regex(human.stdout, new RegExp(`locked   the file session ${before.session.id} \\(\`devsecrets login\` asks`));
      // a script (no terminal, no descriptor): a coded refusal naming the command, never a sandbox stand-in
      const locked = await sw.run(["env", "--format", "json"]);
      t.is(locked.code, 1);
      t.regex(locked.stderr, /DS_SESSION_LOCKED/);
      t.regex(locked.stderr, /devsecrets login/);
      t.false(locked.stdout.includes(KEPT));
      // a wrong passphrase leaves it locked
      const wrong = await sw.runWithPassphrase(["login"], "not the passphrase");
      t.is(wrong.code, 1);
      t.regex(wrong.stderr, /DS_PASSPHRASE_WRONG/);
      t.regex((await sw.run(["env", "--format", "json"])).stderr, /DS_SESSION_LOCKED/);

      const unlock = await sw.runWithPassphrase(["login"], PASSPHRASE);
      t.is(unlock.code, 0, unlock.stderr);
      t.regex(unlock.stderr, /session unlocked: the same file session as before the restart/);
      const after = await sw.status();
      t.is(after.session.kind, "login");
      t.is(after.session.id, before.session.id, "the same session");
      t.is(after.session.expiresAt, before.session.expiresAt, "the same expiry");
      const served = await sw.run(["env", "--format", "json"]);
      t.is(served.code, 0, served.stderr);
      t.is((JSON.parse(served.stdout) as { DB: string }).DB, KEPT);
      // the passphrase and the value never reach the log
      t.false(sw.daemonLog().includes(PASSPHRASE));
      t.false(sw.daemonLog().includes(KEPT));
    });
  },
);

test.serial(
  "an upgrade over a daemon holding a file session: the same session continues after one login",
  async (t) => {
    await withSessionWorld(t, { keyring: "none" }, async (sw) => {
      const old = startDaemon(sw.world, { ...sw.env, ...HOOKS, DEVSECRETS_TEST_FAKE_VERSION: "0.0.1" });
      await waitForListening(sw.world.socket, "the old daemon");
      // logged in on the old daemon directly: any CLI command would restart it first
      const login = await socketRequest({
        socket: sw.world.socket,
        method: "POST",
        path: "/v1/session",
        body: { store: "file", passphrase: PASSPHRASE },
      });
      t.is(login.status, 200, login.body);
      const before = JSON.parse(login.body) as { session: { id: string; expiresAt: string } };

      const status = await sw.run(["daemon", "status", "--json"]);
      t.is(status.code, 0, status.stderr);
      t.deepEqual(linesOf(status.stderr), [
        `devsecrets: restarted the daemon (0.0.1 -> ${PACKAGE_VERSION}); wiped 1 session; the file session resumes locked: \`devsecrets login\` asks its passphrase once and the same session continues`,
      ]);
      t.is((await old.exit).code, 0);
      const unlock = await sw.runWithPassphrase(["login"], PASSPHRASE);
      t.is(unlock.code, 0, unlock.stderr);
      const after = await sw.status();
      t.is(after.session.id, before.session.id);
      t.is(after.session.expiresAt, before.session.expiresAt);
    });
  },
);

test.serial(
  "a locked file session: vault:// refuses rather than answer a stand-in; logout ends it without the passphrase",
  async (t) => {
    await withSessionWorld(t, { keyring: "none" }, async (sw) => {
      const login = await sw.runWithPassphrase(["login", "--store", "file"], PASSPHRASE);
      t.is(login.code, 0, login.stderr);
      const before = await sw.status();
      const restart = await sw.run(["daemon", "restart"]);
      t.is(restart.code, 0, restart.stderr);
      const vaultProject = sw.world.project({ "devsecrets.env": "V=vault://secret/app#password\n" }, "vault-project");
      const refused = await sw.run(["env", "--format", "json"], { cwd: vaultProject });
      t.is(refused.code, 1, refused.stdout);
      t.regex(refused.stderr, /DS_SESSION_LOCKED/);
      // a new session would orphan the locked one: refused until it is unlocked or ended
      const other = await sw.run(["login", "--store", "memory"]);
      t.is(other.code, 1);
      t.regex(other.stderr, /DS_SESSION_LOCKED/);
      const logout = await sw.run(["logout"]);
      t.is(logout.code, 0, logout.stderr);
      t.regex((await sw.run(["env", "--format", "json"])).stderr, /DS_SESSION_NONE/);
      const again = await sw.runWithPassphrase(["login", "--store", "file"], PASSPHRASE);
      t.is(again.code, 0, again.stderr);
      t.regex(again.stderr, /logged in: /);
      t.not((await sw.status()).session.id, before.session.id, "a login after a logout is a new session");
    });
  },
);
