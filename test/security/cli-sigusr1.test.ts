// Attack: a stray SIGUSR1 (any process of the user may send one) at a long-lived devsecrets command (`events`, a
// prompt of `login`/`set`/`trust`) opened Node's inspector on 127.0.0.1:9229 in it, to every local user, who could run
// code as the victim there (issue 16, item 3; the daemon and run's parent were closed, the other commands were not).
// Rule: the installed entry takes SIGUSR1 from the inspector for every command; no TCP listener appears.

import test from "ava";
import { tcpListenersOf } from "../helpers/service-processes.js";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { disposeWorld } from "../helpers/daemon-process.js";
import { CLI, cli, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

test("SIGUSR1 at a long-lived CLI command (`devsecrets events`) opens no inspector and does not stop it", async (t) => {
  const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
  t.is((await cli(world, ["daemon", "start"], { cwd: project })).code, 0);
  const events = spawn(CLI, ["events", "--json"], { cwd: project, env: world.env, stdio: ["ignore", "pipe", "pipe"] });
  t.teardown(() => events.kill("SIGKILL"));
  let stderr = "";
  events.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const pid = events.pid as number;
  // the node process (bin/devsecrets execs node in place) has loaded the CLI once it holds a Unix socket to the daemon
  await waitFor(
    () => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("devsecrets.js");
      } catch {
        return false;
      }
    },
    20_000,
    "the CLI's node process",
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const before = tcpListenersOf([pid]);
  process.kill(pid, "SIGUSR1");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  t.deepEqual(tcpListenersOf([pid]), before, "the CLI opened a TCP listener after SIGUSR1");
  t.false(stderr.includes("Debugger listening"), stderr);
  t.is(events.exitCode, null, `events stopped on SIGUSR1: ${stderr}`);
});
