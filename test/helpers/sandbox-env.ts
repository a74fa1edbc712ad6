// A private world for one test: its own HOME, XDG dirs and TMPDIR, so a daemon started in it is alone.
// Rule: everything it makes is under one temp folder, removed by cleanup(); processes are stopped by pid.

import { mkdtempSync, mkdirSync, rmSync, chmodSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn, type SpawnOptions } from "node:child_process";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** the installed command (bin/devsecrets, POSIX sh): `run` goes to the native launcher when it was built, the rest to Node */
export const CLI = join(REPO_ROOT, "bin", "devsecrets");
/** the Node CLI itself, bypassing the native launcher */
export const NODE_CLI = join(REPO_ROOT, "bin", "devsecrets.js");
/** the native `run` launcher, built by npm run build where Go is installed */
export const NATIVE_RUN = join(REPO_ROOT, "dist", "native", "devsecrets-run");
export const DAEMON = join(REPO_ROOT, "dist", "daemon", "main.js");

export interface World {
  root: string;
  env: Record<string, string>;
  socket: string;
  /** writes files into a new project folder and returns its path */
  project(files: Record<string, string>, name?: string): string;
  cleanup(): Promise<void>;
}

export interface WorldOptions {
  /**
   * DEVSECRETS_TRUST_ALL=1 in the world's environment, so its daemons trust every project (default true: suites that
   * are not about trust keep their keychain:// and vault:// answers); tests of trust pass false
   */
  trustAll?: boolean;
}

export function makeWorld(options: WorldOptions = {}): World {
  const root = mkdtempSync(join(tmpdir(), "ds-test-"));
  const dirs = {
    HOME: "home",
    XDG_RUNTIME_DIR: "run",
    XDG_STATE_HOME: "state",
    XDG_CONFIG_HOME: "config",
    TMPDIR: "tmp",
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    DEVSECRETS_START_TIMEOUT_MS: "15000",
    ...(options.trustAll === false ? {} : { DEVSECRETS_TRUST_ALL: "1" }),
  };
  for (const [name, dir] of Object.entries(dirs)) {
    const path = join(root, dir);
    mkdirSync(path, { recursive: true });
    chmodSync(path, 0o700);
    env[name] = path;
  }
  const socket = join(env.XDG_RUNTIME_DIR as string, "devsecrets", "daemon.sock");
  let projects = 0;
  return {
    root,
    env,
    socket,
    project(files, name = `project-${++projects}`) {
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    },
    async cleanup() {
      await stopDaemonIn(env);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runProcess(
  command: string,
  args: string[],
  options: SpawnOptions & { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    // a child that exits before reading its stdin is not an error of the test
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
  });
}

/** runs the devsecrets CLI as a user would, in the world's environment */
export function cli(
  world: World,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<RunResult> {
  return runProcess(CLI, args, {
    cwd: options.cwd ?? world.root,
    env: { ...world.env, ...options.env },
    input: options.input,
  });
}

/** stops the daemon of a world by its pid (from /v1/health), waiting until it is gone */
export async function stopDaemonIn(env: Record<string, string>): Promise<void> {
  const result = await runProcess(CLI, ["daemon", "stop", "--json"], {
    env: { ...env, DEVSECRETS_NO_AUTOSTART: "1" },
    timeoutMs: 10_000,
  });
  void result;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** a child of `run` that answers SIGINT with exit 7, after printing "ready" */
export const SIGINT_CHILD =
  "process.on('SIGINT', () => { console.log('child got SIGINT'); process.exit(7) }); console.log('ready'); setInterval(() => {}, 1000)";

/**
 * starts `command args` (a `run` of SIGINT_CHILD), sends it SIGINT once the child says "ready", and resolves with its
 * exit code and stdout; SIGKILL after 30 s. Once: a second SIGINT after the child's exit would meet run's default handler.
 */
export function interruptWhenReady(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number | null; out: string }> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env });
  let out = "";
  let sent = false;
  child.stdout!.setEncoding("utf8").on("data", (c: string) => {
    out += c;
    if (!sent && out.includes("ready")) {
      sent = true;
      child.kill("SIGINT");
    }
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}
