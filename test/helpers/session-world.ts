// A test world with a real gnome-keyring (or deliberately none) for the session tests: CLI runs, status, leak scans.
// Rule: the daemon, its keychain helpers and the keyring are stopped by pid in the end, and the test fails if one is left.

import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync, lstatSync } from "node:fs";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { CLI, cli, makeWorld, waitFor, type RunResult, type World } from "./sandbox-env.js";
import { daemonPidsOf, killAndWait } from "./daemon-process.js";
import { startKeyring, type Keyring } from "./keyring.js";

export interface SessionStatus {
  pid: number;
  logFile: string;
  session: { kind: "anonymous" | "login"; id: string | null; store: string; expiresAt: string | null };
}

export interface SessionWorld {
  world: World;
  keyring: Keyring | null;
  /** what the CLI gets on top of world.env: the keyring's bus address (only that: HOME and XDG_* stay the world's) */
  env: Record<string, string>;
  /** a project whose devsecrets.env has DB=keychain://db-password */
  project: string;
  run(args: string[], options?: { input?: string; env?: Record<string, string>; cwd?: string }): Promise<RunResult>;
  /** the CLI with `passphrase` written to its fd 3 and DEVSECRETS_PASSPHRASE_FD=3 */
  runWithPassphrase(args: string[], passphrase: string, options?: { input?: string }): Promise<RunResult>;
  status(): Promise<SessionStatus>;
  daemonLog(): string;
  /** `secret-tool search --all service devsecrets`: attributes and secrets as one text */
  keychainItems(): Promise<string>;
  /** `secret-tool lookup service devsecrets username ACCOUNT`: the item's secret */
  secretLookup(account: string): Promise<string>;
}

export interface SessionWorldOptions {
  /** start a keyring (default), a locked one, or none */
  keyring?: "unlocked" | "locked" | "none";
  /** with keyring "none": the bus address the CLI sees (undefined: not set at all) */
  dbus?: string;
}

/** pids of keychain helper processes started by a daemon of this world */
export function helperPidsOf(world: World): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("keychain-helper.js")) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.includes(`XDG_RUNTIME_DIR=${world.env.XDG_RUNTIME_DIR}`)) pids.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

export async function withSessionWorld(
  t: ExecutionContext,
  options: SessionWorldOptions,
  body: (sw: SessionWorld) => Promise<void>,
): Promise<void> {
  const world = makeWorld();
  let keyring: Keyring | null = null;
  let failure: unknown = null;
  try {
    const mode = options.keyring ?? "unlocked";
    if (mode !== "none") keyring = await startKeyring({ locked: mode === "locked" });
    const env: Record<string, string> = keyring
      ? { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS as string }
      : options.dbus !== undefined
        ? { DBUS_SESSION_BUS_ADDRESS: options.dbus }
        : {};
    const project = world.project({ "devsecrets.env": "DB=keychain://db-password\n" });
    const kr = keyring;
    const sw: SessionWorld = {
      world,
      keyring,
      env,
      project,
      run: (args, o = {}) =>
        cli(world, args, {
          cwd: o.cwd ?? project,
          env: { ...env, ...o.env },
          ...(o.input !== undefined ? { input: o.input } : {}),
        }),
      runWithPassphrase: (args, passphrase, o = {}) => runWithFd3(world, env, project, args, passphrase, o.input),
      async status() {
        const r = await cli(world, ["status", "--json"], { cwd: project, env });
        if (r.code !== 0) throw new Error(`status failed (${r.code}): ${r.stderr}`);
        return JSON.parse(r.stdout) as SessionStatus;
      },
      daemonLog: () => readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8"),
      async keychainItems() {
        if (!kr) throw new Error("no keyring in this world");
        const r = await secretTool(kr, ["search", "--all", "service", "devsecrets"]);
        return `${r.stdout}\n${r.stderr}`;
      },
      secretLookup: async (account) =>
        (await secretTool(kr!, ["lookup", "service", "devsecrets", "username", account])).stdout,
    };
    await body(sw);
  } catch (error) {
    failure = error;
  }
  const left = await stopEverything(world, keyring);
  await world.cleanup();
  if (failure) throw failure;
  if (left.length > 0) t.fail(`left running after the test: ${left.join(", ")}`);
}

/** stops the world's daemon and helpers, then the keyring, by pid; returns what would not stop */
async function stopEverything(world: World, keyring: Keyring | null): Promise<string[]> {
  const left: string[] = [];
  for (const pid of daemonPidsOf(world)) {
    try {
      await killAndWait(pid, "SIGTERM");
    } catch {
      await killAndWait(pid, "SIGKILL").catch(() => left.push(`daemon ${pid}`));
    }
  }
  // a helper exits when its daemon's IPC channel closes
  try {
    await waitFor(() => helperPidsOf(world).length === 0, 5_000, "keychain helpers to exit");
  } catch {
    for (const pid of helperPidsOf(world)) {
      left.push(`keychain helper ${pid}`);
      await killAndWait(pid, "SIGKILL").catch(() => undefined);
    }
  }
  if (daemonPidsOf(world).length > 0) left.push(`daemons ${daemonPidsOf(world).join(" ")}`);
  if (keyring) {
    await keyring.stop();
    for (const pid of keyring.pids) if (isLive(pid)) left.push(`keyring process ${pid}`);
  }
  return left;
}

/**
 * secret-tool on the keyring's bus with stdin closed: keyring.secretTool writes to the stdin of a child that may
 * already have exited, which under load ends the test worker with an uncaught EPIPE
 */
function secretTool(
  keyring: Keyring,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile("secret-tool", args, { env: keyring.env, timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error
        ? typeof (error as { code?: unknown }).code === "number"
          ? (error as { code: number }).code
          : null
        : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.on("error", () => {});
    child.stdin?.end();
  });
}

/** a live process, zombies counted as gone (read from /proc, no child process) */
export function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function runWithFd3(
  world: World,
  env: Record<string, string>,
  cwd: string,
  args: string[],
  passphrase: string,
  input?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, {
      cwd,
      env: { ...world.env, ...env, DEVSECRETS_PASSPHRASE_FD: "3" },
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    const fd3 = child.stdio[3] as NodeJS.WritableStream & { on(e: "error", l: () => void): void };
    fd3.on("error", () => {});
    fd3.end(`${passphrase}\n`);
    child.stdin?.on("error", () => {});
    child.stdin?.end(input ?? "");
  });
}

/** the ways a value's bytes could sit in a file: plain, hex (both cases) and base64 at each of the three alignments */
export function encodingsOf(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms = [value, bytes.toString("hex"), bytes.toString("hex").toUpperCase()];
  for (let k = 0; k < 3; k++) {
    for (const alphabet of ["base64", "base64url"] as const) {
      const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString(alphabet);
      // only the characters that come from the value's bits alone
      const start = Math.ceil((8 * k) / 6);
      const end = Math.floor((8 * (k + bytes.length)) / 6);
      forms.push(encoded.slice(start, end));
    }
  }
  return [...new Set(forms)];
}

/** every regular file under `root` whose bytes contain one of the value's encodings: [path, form] */
export function filesHolding(root: string, value: string): { files: number; hits: string[] } {
  const forms = encodingsOf(value).map((f) => Buffer.from(f, "latin1"));
  const hits: string[] = [];
  let files = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      if (info.isDirectory()) walk(path);
      else if (info.isFile()) {
        files++;
        const data = readFileSync(path);
        for (const form of forms) if (data.includes(form)) hits.push(`${path} (${form.toString("latin1")})`);
      }
    }
  };
  walk(root);
  return { files, hits };
}
