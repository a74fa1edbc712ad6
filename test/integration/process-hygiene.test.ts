import test from "ava";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { DAEMON, isAlive, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";
import { killAndWait } from "../helpers/daemon-process.js";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { chownTree, NOBODY, nobodyCanRead, procOwner } from "../helpers/other-user.js";

/** a process of uid `nobody`: the daemon in --foreground, or a plain node for comparison; resolves its pid once it is up */
function startAsNobody(world: World, args: string[], ready: RegExp): Promise<{ pid: number; stderr: () => string }> {
  const child = spawn(nodeForAnyUser(), args, {
    env: world.env,
    uid: NOBODY,
    gid: NOBODY,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return waitFor(() => ready.test(stderr) || child.exitCode !== null, 20_000, "the process to start").then(() => {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
    return { pid: child.pid as number, stderr: () => stderr };
  });
}

test("the daemon runs with no core file and not dumpable: its /proc is closed to its own uid", async (t) => {
  const world = makeWorld();
  chownTree(world.root, NOBODY);
  const pids: number[] = [];
  try {
    const daemon = await startAsNobody(world, [DAEMON, "--foreground"], /daemon listening/);
    pids.push(daemon.pid);
    // a plain node of the same uid, for comparison: what the daemon would look like without the hardening
    const plain = await startAsNobody(
      world,
      ["-e", "process.stderr.write('up\\n'); setInterval(() => {}, 1000)"],
      /up/,
    );
    pids.push(plain.pid);

    t.regex(readFileSync(`/proc/${daemon.pid}/limits`, "utf8"), /^Max core file size\s+0\s+0\s+bytes/m);
    t.regex(readFileSync(`/proc/${daemon.pid}/status`, "utf8"), new RegExp(`^Uid:\\s+${NOBODY}\\s`, "m"));
    // the kernel hands /proc/<pid> of a non-dumpable process to root: the visible mark of PR_SET_DUMPABLE 0
    t.is(procOwner(daemon.pid), 0);
    t.is(procOwner(plain.pid), NOBODY);
    // and so another process of the same uid can read neither its environment nor (the same check) its memory
    t.is(await nobodyCanRead(daemon.pid), "EACCES");
    t.is(await nobodyCanRead(plain.pid), "read");
  } finally {
    for (const pid of pids) if (isAlive(pid)) await killAndWait(pid, "SIGKILL");
    chownTree(world.root, process.getuid!());
    await world.cleanup();
  }
});
