// How the daemon starts (issue 17, DESIGN "Starting the daemon"): the --daemonize double fork, and listening first.
// Rule: real daemons in private worlds, stopped by pid; a keychain that never answers is a silent socket on disk.

import test from "ava";
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { DaemonClient } from "../../daemon/client/client.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";
import { cli, DAEMON, NATIVE_RUN, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";
import { NATIVE_MIDDLE_ARG } from "../../daemon/client/autostart.js";
import { daemonPidsOf, startDaemon, withWorld } from "../helpers/daemon-process.js";

/** ppid and session id of a process, from /proc/<pid>/stat (fields 4 and 6) */
function parentage(pid: number): { ppid: number; sid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), sid: Number(fields[3]) };
}

/** pids of this process's children whose command line holds `text` */
function childrenWith(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentage(Number(entry)).ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

async function health(world: World): Promise<{ pid: number }> {
  const response = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health", timeoutMs: 10_000 });
  return JSON.parse(response.body) as { pid: number };
}

test("the autostarted daemon is nobody's child: its own session (setsid), not a child of the process that started it", async (t) => {
  await withWorld(async (world) => {
    // the landed client spawned the daemon itself: its parent was this test process (a zombie of it after a crash)
    const { pid } = await new DaemonClient({ env: world.env }).health();
    const { ppid, sid } = parentage(pid);
    t.not(ppid, process.pid, "the daemon's parent is not its starter");
    t.is(sid, pid, "the daemon leads a session of its own");
    // the middle process has ended and was reaped by its starter (this process)
    await waitFor(
      () =>
        childrenWith("daemonize").every((child) => {
          try {
            return !readFileSync(`/proc/${child}/environ`, "utf8").includes(world.root);
          } catch {
            return true; // it ended between the listing and this read (ESRCH)
          }
        }),
      5_000,
      "the --daemonize middle process to end",
    );
    t.deepEqual(daemonPidsOf(world), [pid]);
  });
});

test("`node main.js --daemonize` ends once the daemon listens; a second one leaves the one daemon; a failure is said", async (t) => {
  await withWorld(async (world) => {
    const run = (extra: Record<string, string> = {}) =>
      runProcess(process.execPath, [...DAEMON_START_FLAGS, DAEMON, "--daemonize"], {
        env: { ...world.env, ...extra },
        timeoutMs: 20_000,
      });
    const first = await run();
    t.is(first.code, 0, first.stderr);
    // no polling: it answers as soon as the middle process has ended
    const { pid } = await health(world);
    const second = await run();
    t.is(second.code, 0, second.stderr);
    t.deepEqual(daemonPidsOf(world), [pid]);
    // an unsafe socket folder: the daemon's refusal reaches the starter's stderr with a non-zero exit
    const unsafe = join(world.root, "unsafe");
    mkdirSync(unsafe, { mode: 0o755 });
    chmodSync(unsafe, 0o755);
    const refused = await run({ DEVSECRETS_SOCKET: join(unsafe, "daemon.sock") });
    t.is(refused.code, 1);
    t.regex(refused.stderr, /DS_SOCKET_UNSAFE/);
  });
});

test("the native launcher as the middle process: the daemon listens when it ends; a daemon's refusal reaches its stderr", async (t) => {
  await withWorld(async (world) => {
    const run = (extra: Record<string, string> = {}) =>
      runProcess(NATIVE_RUN, [NATIVE_MIDDLE_ARG, process.execPath, DAEMON], {
        env: { ...world.env, ...extra },
        timeoutMs: 20_000,
      });
    const first = await run();
    t.is(first.code, 0, first.stderr);
    const { pid } = await health(world);
    t.is(parentage(pid).sid, pid);
    t.true(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("--disable-sigusr1"));
    const unsafe = join(world.root, "unsafe");
    mkdirSync(unsafe, { mode: 0o755 });
    chmodSync(unsafe, 0o755);
    const refused = await run({ DEVSECRETS_SOCKET: join(unsafe, "daemon.sock") });
    t.is(refused.code, 1);
    t.regex(refused.stderr, /DS_SOCKET_UNSAFE/);
  });
});

test("it listens first: health answers at once while the session's resume waits on a keychain that never answers; other routes wait for it, at most ~5 s", async (t) => {
  await withWorld(async (world) => {
    // a journaled keychain session within its TTL, and a session bus that accepts and never says a word
    const bus = join(world.root, "silent-bus");
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(bus, resolve));
    try {
      const state = join(world.env.XDG_STATE_HOME as string, "devsecrets");
      mkdirSync(state, { recursive: true, mode: 0o700 });
      const id = randomUUID();
      const entry = {
        v: 2,
        id,
        kind: "session",
        session: id,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        data: { store: "keychain" },
      };
      writeFileSync(join(state, "journal.jsonl"), `${JSON.stringify({ op: "add", entry })}\n`, { mode: 0o600 });

      const started = Date.now();
      const daemon = startDaemon(world, { DBUS_SESSION_BUS_ADDRESS: `unix:path=${bus}` });
      await waitFor(
        async () => {
          try {
            await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health", timeoutMs: 200 });
            return true;
          } catch {
            return false;
          }
        },
        15_000,
        "health",
      );
      const healthAt = Date.now() - started;
      const status = await socketRequest({
        socket: world.socket,
        method: "GET",
        path: "/v1/status",
        timeoutMs: 20_000,
      });
      const statusAt = Date.now() - started;
      t.is(status.status, 200, status.body);
      // on the landed code the socket was bound only after the resume: health came no earlier than status
      t.true(statusAt - healthAt >= 2_500, `health at ${healthAt} ms, status at ${statusAt} ms`);
      // measured from health, not from the spawn: the daemon's own Node start (seconds on a loaded machine) is no part
      // of the promise; the wait itself is the core's load plus at most ~5 s, with headroom for a loaded machine
      t.true(
        statusAt - healthAt < 12_000,
        `status waited at most ~5 s for the resume (health at ${healthAt} ms, status at ${statusAt} ms)`,
      );
      t.true(daemonPidsOf(world).includes(daemon.pid));
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});

test("from the second start on, the daemon keeps V8's code cache in its private state folder (files 0600)", async (t) => {
  await withWorld(async (world) => {
    for (let start = 0; start < 2; start++) {
      const started = await cli(world, ["daemon", "start"]);
      t.is(started.code, 0, started.stderr);
      const stopped = await cli(world, ["daemon", "stop"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
      t.is(stopped.code, 0, stopped.stderr);
      await waitFor(() => daemonPidsOf(world).length === 0, 10_000, "the daemon to end");
    }
    const cache = join(world.env.XDG_STATE_HOME as string, "devsecrets", "v8-cache");
    const files = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    t.true(files.length > 0, "the cache has entries");
    for (const file of files) t.is(statSync(join(file.parentPath, file.name)).mode & 0o777, 0o600, file.name);
  });
});
