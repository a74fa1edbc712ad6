// Upgrades and restarts (issue 17): a client meets an older daemon, a newer one, or asks for `daemon restart`.
// Rule: real daemons of a private world, stopped by pid; the fake version comes from the test hooks only.

import test from "ava";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, isAlive, waitFor, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, startDaemon, withWorld } from "../helpers/daemon-process.js";
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
    await waitFor(() => existsSync(world.socket), 20_000, "the old daemon");
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
    await waitFor(() => existsSync(world.socket), 20_000, "the old daemon");
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
    await waitFor(() => existsSync(world.socket), 20_000, "the newer daemon");
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

test.serial(
  "`daemon restart` with a file-store session says it needs the passphrase again, which is what the next daemon does",
  async (t) => {
    await withSessionWorld(t, { keyring: "none" }, async (sw) => {
      const login = await sw.runWithPassphrase(["login", "--store", "file"], "correct horse battery staple");
      t.is(login.code, 0, login.stderr);
      const restart = await sw.run(["daemon", "restart"]);
      t.is(restart.code, 0, restart.stderr);
      // a line that promised a resume here would be false: the next daemon cannot open the file without the passphrase
      t.regex(restart.stderr, /; the file session needs its passphrase: log in again \(pid \d+\)\n$/);
      t.is((await sw.status()).session.kind, "anonymous");
    });
  },
);
