// A sandbox service's process: spawned so that it dies with the daemon, known by pid AND start time, stopped by both.
// Rule: PR_SET_PDEATHSIG (through util-linux's setpriv) kills it when the daemon dies, even by SIGKILL; a pid alone is
// never signalled (it may have been reused): its /proc start time must match what the journal recorded.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { DevsecretsError } from "../../../common/errors.js";

/** what an unprivileged service run under root keeps: reading and searching the root-owned folders above its own */
const KEPT_CAPABILITIES = ["--inh-caps", "+dac_read_search", "--ambient-caps", "+dac_read_search"];

export interface ServiceSpawn {
  /** absolute path of the program */
  command: string;
  args: readonly string[];
  cwd: string;
  /** written to the program's stdin, then stdin is closed (redis-server reads its configuration there) */
  stdin?: string;
  /** run as this account (setpriv --reuid/--regid --init-groups): PostgreSQL refuses to run as root */
  user?: string;
  env?: NodeJS.ProcessEnv;
  /** keep stdin and stdout open as a line-based control channel (moto's key registration) */
  control?: boolean;
}

const SETPRIV = "/usr/bin/setpriv";

/** spawns the program with PR_SET_PDEATHSIG=SIGKILL, detached from the daemon's terminal and output */
export function spawnService(spec: ServiceSpawn): ChildProcess {
  const prefix = ["--pdeathsig", "SIGKILL"];
  if (spec.user) prefix.push("--reuid", spec.user, "--regid", spec.user, "--init-groups", ...KEPT_CAPABILITIES);
  const child = spawn(SETPRIV, [...prefix, "--", spec.command, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? { PATH: "/usr/bin:/bin" },
    stdio: spec.control
      ? ["pipe", "pipe", "ignore"]
      : [spec.stdin === undefined ? "ignore" : "pipe", "ignore", "ignore"],
  });
  if (spec.control) {
    child.stdin?.on("error", () => {});
    return child;
  }
  if (spec.stdin !== undefined && child.stdin) {
    child.stdin.on("error", () => {});
    child.stdin.end(spec.stdin);
  }
  return child;
}

/** resolves when the child has an pid, rejects when it could not be spawned at all */
export function spawned(child: ChildProcess, service: string): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("spawn", () => resolve(child.pid as number));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new DevsecretsError(
          "DS_SANDBOX_SERVICE_START",
          `the sandbox ${service} service could not be spawned (${error.code ?? "error"})`,
        ),
      ),
    );
  });
}

/** field 22 of /proc/<pid>/stat (clock ticks after boot), or null when no such process runs */
export function processStartTime(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  // the command name (field 2) may hold spaces and parentheses: count from the last ")"
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const value = Number(fields[19]);
  return Number.isFinite(value) ? value : null;
}

/** whether `pid` still is the process that started at `starttime` (and has not exited into a zombie) */
export function sameProcess(pid: number, starttime: number): boolean {
  if (processStartTime(pid) !== starttime) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "latin1"));
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone; never signals a reused pid */
export async function stopProcess(
  pid: number,
  starttime: number,
  graceMs = 3_000,
  first: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  if (!sameProcess(pid, starttime)) return;
  signal(pid, first);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!sameProcess(pid, starttime)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (sameProcess(pid, starttime)) signal(pid, "SIGKILL");
  const killDeadline = Date.now() + 2_000;
  while (sameProcess(pid, starttime) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 25));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/** runs a preparing program (initdb) the same way, to its end; rejects with its last stderr line (no secret is in it) */
export function runOnce(spec: ServiceSpawn, service: string, timeoutMs = 60_000): Promise<void> {
  const prefix = ["--pdeathsig", "SIGKILL"];
  if (spec.user) prefix.push("--reuid", spec.user, "--regid", spec.user, "--init-groups", ...KEPT_CAPABILITIES);
  return new Promise((resolve, reject) => {
    const child = spawn(SETPRIV, [...prefix, "--", spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? { PATH: "/usr/bin:/bin" },
      stdio: ["ignore", "ignore", "pipe"],
      timeout: timeoutMs,
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2_000);
    });
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new DevsecretsError("DS_SANDBOX_SERVICE_START", `${service}: could not run ${spec.command} (${error.code})`),
      ),
    );
    child.once("close", (code, signalName) => {
      if (code === 0) return resolve();
      const last = stderr.trim().split("\n").at(-1) ?? "";
      reject(
        new DevsecretsError(
          "DS_SANDBOX_SERVICE_START",
          `${service}: ${spec.command} failed (${signalName ?? `exit ${code}`}): ${last.slice(0, 300)}`,
        ),
      );
    });
  });
}
