// `node <daemon entry> --daemonize`: the middle process of a double fork. It starts the daemon in a session of its own
// (setsid) with the allow-listed environment and the start flags, waits until the daemon listens or fails, and ends.
// Rule: whoever started it reaps only this short-lived process; the daemon is re-parented to init and is never the
// zombie of a starter (a CLI, a shim, the launcher, or the app the launcher became). It never holds a secret.

import { spawn } from "node:child_process";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";
import { daemonEnvironment } from "../../common/daemon-environment.js";

/** the argument that tells the daemon which descriptor to report readiness on */
export const READY_FD_ARG = "--ready-fd=3";
/** what the daemon writes there once it listens (its pid follows) */
export const READY_WORD = "listening";

/** the stderr a failed start passes on, at most this much */
const STDERR_LIMIT = 4096;

/**
 * Starts `entry` detached and resolves with this process's exit code: 0 once the daemon listens, or when it yielded
 * to a daemon that already holds the lock (its exit code 0: the starter then finds that one answering); otherwise
 * the daemon's own code, its stderr passed on to ours so the starter can say why.
 */
export function daemonize(entry: string, passOn: readonly string[]): Promise<number> {
  const flags = [...DAEMON_START_FLAGS, ...process.execArgv.filter((flag) => !DAEMON_START_FLAGS.includes(flag))];
  const child = spawn(process.execPath, [...flags, entry, READY_FD_ARG, ...passOn], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: daemonEnvironment(process.env),
  });
  return new Promise((resolve) => {
    let stderr = "";
    let said = "";
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      child.stderr?.destroy();
      child.stdio[3]?.destroy();
      child.unref();
      resolve(code);
    };
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk;
    });
    const ready = child.stdio[3] as import("node:stream").Readable | null;
    ready?.setEncoding("utf8");
    ready?.on("data", (chunk: string) => {
      said += chunk;
      if (said.startsWith(READY_WORD)) finish(0);
    });
    ready?.on("error", () => {});
    child.once("error", (error) => {
      process.stderr.write(`devsecrets: DS_DAEMON_START_FAILED could not start the daemon (${error.message})\n`);
      finish(1);
    });
    child.once("exit", (code, signal) => {
      if (done) return;
      process.stderr.write(stderr.slice(0, STDERR_LIMIT));
      finish(code ?? (signal ? 128 + 15 : 1));
    });
  });
}
