// Attack: SIGUSR1 (which any process of the user may send) opens Node's inspector in the daemon (issue 16, item 3).
// Rule: the daemon runs with --disable-sigusr1 however it was started, and refuses to run with a debugger flag.

import test from "ava";
import { tcpListenersOf } from "../helpers/service-processes.js";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { disposeWorld, startDaemon } from "../helpers/daemon-process.js";
import { cli, DAEMON, makeWorld, runProcess, waitFor } from "../helpers/sandbox-env.js";

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("SIGUSR1 opens no inspector: no new listener, the daemon goes on serving", async (t) => {
  const world = makeWorld();
  try {
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    t.is((await cli(world, ["env"], { cwd: project })).code, 0);
    const status = JSON.parse((await cli(world, ["daemon", "status", "--json"])).stdout) as { pid: number };
    const before = tcpListenersOf([status.pid]);
    process.kill(status.pid, "SIGUSR1");
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.deepEqual(tcpListenersOf([status.pid]), before, "the daemon opened a TCP listener after SIGUSR1");
    t.false(await portAnswers(9229), "something answers on the inspector's port");
    const again = await cli(world, ["env"], { cwd: project });
    t.is(again.code, 0, "the signal did not stop the daemon");
    t.regex(readFileSync(`/proc/${status.pid}/cmdline`, "utf8"), /--disable-sigusr1/);
  } finally {
    await disposeWorld(world);
  }
});

test("started by hand without its flags, the daemon re-executes itself with them", async (t) => {
  const world = makeWorld();
  try {
    const daemon = startDaemon(world, {}, ["--foreground"], []);
    await waitFor(
      async () => (await cli(world, ["daemon", "status"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } })).code === 0,
      15_000,
      "the daemon to answer",
    );
    const status = JSON.parse((await cli(world, ["daemon", "status", "--json"])).stdout) as { pid: number };
    const argv = readFileSync(`/proc/${status.pid}/cmdline`, "utf8").split("\0");
    t.true(argv.includes("--disable-sigusr1"), argv.join(" "));
    t.true(argv.includes(DAEMON));
    await cli(world, ["daemon", "stop"]);
    await daemon.exit;
  } finally {
    await disposeWorld(world);
  }
});

// (--inspect-brk and --inspect-wait stop Node before any of our code runs; starters never pass NODE_OPTIONS)
for (const nodeOptions of ["--inspect=127.0.0.1:0", "--heapsnapshot-signal=SIGUSR2"]) {
  test(`NODE_OPTIONS=${nodeOptions} makes the daemon refuse to start`, async (t) => {
    const world = makeWorld();
    try {
      const result = await runProcess(process.execPath, [DAEMON, "--foreground"], {
        env: { ...world.env, NODE_OPTIONS: nodeOptions },
        timeoutMs: 20_000,
      });
      t.is(result.code, 1);
      t.regex(result.stderr, /DS_DAEMON_START_FAILED refusing to start with --(inspect|heapsnapshot)/);
      t.is((await cli(world, ["daemon", "status"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } })).code, 1);
    } finally {
      await disposeWorld(world);
    }
  });
}
