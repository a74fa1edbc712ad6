// Stray signals at `devsecrets run`'s Node parent (issue 16, item 3): it holds the child's values while the child
// runs, and a SIGUSR1 from any process of the user opened Node's inspector on 127.0.0.1:9229 in it, to every local
// user. Rule: the parent takes SIGUSR1 from the inspector, and is not dumpable once it holds the answer. Run as
// nobody, so that a non-dumpable process is told by its /proc files, which the kernel hands to root.

import test from "ava";
import { tcpListenersOf } from "../helpers/service-processes.js";
import { readFileSync, readdirSync } from "node:fs";
import { spawn } from "node:child_process";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { NOBODY, chownTree, procOwner } from "../helpers/other-user.js";
import { NODE_CLI, isAlive, makeWorld, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(async () => {
  // the daemon runs as nobody: asked to stop, and killed by its pid should it not
  const asNobody = (args: string[]) =>
    runProcess(nodeForAnyUser(), [NODE_CLI, ...args], {
      env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
      uid: NOBODY,
      gid: NOBODY,
    });
  const status = await asNobody(["daemon", "status", "--json"]);
  const pid = status.code === 0 ? (JSON.parse(status.stdout) as { pid?: number }).pid : undefined;
  await asNobody(["daemon", "stop"]);
  if (pid && isAlive(pid)) process.kill(pid, "SIGKILL");
  await world.cleanup();
});

/** the child of `parent` whose command is `comm` (the autostarted daemon is a child too, for a moment) */
function childOf(parent: number, comm: string): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent && readFileSync(`/proc/${entry}/comm`, "utf8").trim() === comm) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

test("SIGUSR1 at run's Node parent opens no inspector, and the parent is not dumpable while the child runs", async (t) => {
  const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
  chownTree(world.root, NOBODY);
  const parent = spawn(nodeForAnyUser(), [NODE_CLI, "run", "--", "sleep", "6"], {
    cwd: project,
    env: world.env,
    uid: NOBODY,
    gid: NOBODY,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  parent.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => parent.once("exit", (code) => resolve(code)));
  const pid = parent.pid as number;
  await waitFor(() => childOf(pid, "sleep") !== null, 20_000, "run's child");
  t.is(procOwner(pid), 0, "run's parent is dumpable while it holds the values");
  const before = tcpListenersOf([pid]);
  process.kill(pid, "SIGUSR1");
  await new Promise((resolve) => setTimeout(resolve, 700));
  t.deepEqual(tcpListenersOf([pid]), before, "run's parent opened a TCP listener after SIGUSR1");
  t.false(stderr.includes("Debugger listening"), stderr);
  // the masked path (a sandbox value, output to pipes) forwards INT, TERM, HUP and QUIT only: the child slept on
  t.is(await exited, 0, stderr);
});
