// Starts and inspects real daemon processes of a test world, by pid and by /proc, never by name.
// Rule: every process a test starts is stopped by the test.

import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { DAEMON, isAlive, makeWorld, waitFor, type World } from "./sandbox-env.js";

export interface StartedDaemon {
  pid: number;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * starts `node <start flags> dist/daemon/main.js` in the world's environment, attached, stderr captured; with
 * `flags: []` it starts as a user typing `node dist/daemon/main.js` would (the daemon then re-executes itself)
 */
export function startDaemon(
  world: World,
  extraEnv: Record<string, string> = {},
  args: string[] = [],
  flags: readonly string[] = DAEMON_START_FLAGS,
): StartedDaemon {
  const child = spawn(process.execPath, [...flags, DAEMON, ...args], {
    env: { ...world.env, ...extraEnv },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  return { pid: child.pid as number, exit };
}

/** pids of running daemons whose environment points at this world's runtime folder */
export function daemonPidsOf(world: World): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.includes(DAEMON)) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.includes(`XDG_RUNTIME_DIR=${world.env.XDG_RUNTIME_DIR}`)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export async function killAndWait(pid: number, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  await waitFor(() => !isAlive(pid), 10_000, `pid ${pid} to exit`);
}

/** stops every daemon of the world by pid (SIGKILL: a test's world has nothing to wipe) and removes it */
export async function disposeWorld(world: World): Promise<void> {
  for (const pid of daemonPidsOf(world)) await killAndWait(pid, "SIGKILL");
  await world.cleanup();
}

/** runs `fn` in a fresh private world, disposed of whatever happens */
export async function withWorld(fn: (world: World) => Promise<void>): Promise<void> {
  const world = makeWorld();
  try {
    await fn(world);
  } finally {
    await disposeWorld(world);
  }
}

/**
 * resolves once a daemon answers /v1/health on `socket`: the socket's file appears at bind, a moment before the daemon
 * listens, so a request sent when the file exists can still meet ECONNREFUSED
 */
export async function waitForListening(socket: string, what: string): Promise<void> {
  const answers = async () =>
    (await socketRequest({ socket, method: "GET", path: "/v1/health" }).catch(() => null))?.status === 200;
  await waitFor(answers, 20_000, what);
}
