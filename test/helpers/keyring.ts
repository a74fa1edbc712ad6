// Starts a private D-Bus session bus and gnome-keyring (Secret Service) for one test, in a temporary HOME.
// Rule: stops only what it started, by pid, and fails loudly naming the Debian package when a binary is missing.

import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile, access, constants } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, delimiter } from "node:path";
import { once } from "node:events";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Keyring {
  /** DBUS_SESSION_BUS_ADDRESS, HOME, XDG_* and PATH for a process that should use this keyring */
  env: Record<string, string>;
  /** pids of the bus and the keyring daemon, so a test can check they are gone after stop() */
  pids: number[];
  secretTool(args: string[], input?: string): Promise<RunResult>;
  /** locks the login collection (org.freedesktop.Secret.Service.Lock) */
  lock(): Promise<void>;
  stop(): Promise<void>;
}

const BINARIES: Record<string, string> = {
  "dbus-daemon": "dbus-daemon (or dbus)",
  "gnome-keyring-daemon": "gnome-keyring",
  "secret-tool": "libsecret-tools",
  gdbus: "libglib2.0-bin",
};

const LOGIN = "/org/freedesktop/secrets/collection/login";
/** the login keyring's password (gnome-keyring-daemon --unlock reads it from stdin): a test can unlock again with it */
export const KEYRING_PASSWORD = "devsecrets-test-keyring";
const PASSWORD = KEYRING_PASSWORD;

/** a bus that activates nothing: only services we start can own names (no stray keyring spawned by the bus) */
function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

export async function requireBinary(name: string): Promise<string> {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next PATH entry
    }
  }
  throw new Error(
    `${name} is not installed: apt-get install -y ${BINARIES[name] ?? name} (the keychain tests need a real Secret Service)`,
  );
}

export function run(file: string, args: string[], env: Record<string, string>, input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error
        ? typeof (error as { code?: unknown }).code === "number"
          ? (error as { code: number }).code
          : null
        : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    // a child that exits before reading its stdin must not kill the test worker with EPIPE
    child.stdin?.on("error", () => {});
    child.stdin?.end(input ?? "");
  });
}

/** resolves with the first line the child prints on stdout that matches, rejects when it exits or the time is up */
function firstLine(child: ChildProcess, match: RegExp, what: string, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    let stderr = "";
    const timer = setTimeout(() => done(new Error(`${what} did not start within ${ms} ms: ${stderr.trim()}`)), ms);
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n")) {
        if (match.test(line)) return done(null, line.trim());
      }
    };
    const onErr = (chunk: Buffer): void => void (stderr += chunk.toString());
    const onExit = (code: number | null): void =>
      done(new Error(`${what} exited (${code}) before it was ready: ${stderr.trim()}`));
    function done(error: Error | null, line = ""): void {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onErr);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(line);
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onErr);
    child.on("exit", onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(child.pid, "SIGKILL");
  }, 3000);
  await exited;
  clearTimeout(timer);
}

export async function startKeyring(opts: { locked?: boolean } = {}): Promise<Keyring> {
  const dbusDaemon = await requireBinary("dbus-daemon");
  const gnomeKeyring = await requireBinary("gnome-keyring-daemon");
  const secretTool = await requireBinary("secret-tool");
  const gdbus = await requireBinary("gdbus");

  const root = await mkdtemp(join(tmpdir(), "ds-kr-"));
  const home = join(root, "home");
  const runtime = join(root, "run");
  await mkdir(home, { recursive: true, mode: 0o700 });
  await mkdir(runtime, { recursive: true, mode: 0o700 });
  const socket = join(root, "bus");
  await writeFile(join(root, "bus.conf"), busConfig(socket));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    XDG_CACHE_HOME: join(home, ".cache"),
  };
  const started: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of [...started].reverse()) await stopChild(child);
    await rm(root, { recursive: true, force: true });
  };

  try {
    const bus = spawn(dbusDaemon, ["--config-file", join(root, "bus.conf"), "--nofork", "--print-address=1"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(bus);
    const address = await firstLine(bus, /^unix:/, "dbus-daemon");
    env.DBUS_SESSION_BUS_ADDRESS = address;

    const keyring = spawn(
      gnomeKeyring,
      ["--foreground", "--unlock", "--components=secrets", "--control-directory", join(runtime, "keyring")],
      { env, stdio: ["pipe", "pipe", "pipe"] },
    );
    started.push(keyring);
    // with --unlock it reads the login password from stdin and creates (or unlocks) the login collection
    keyring.stdin.on("error", () => {});
    keyring.stdin.end(PASSWORD);
    await firstLine(keyring, /^GNOME_KEYRING_CONTROL=/, "gnome-keyring-daemon");
    await waitForLogin(gdbus, env);
  } catch (error) {
    await stop();
    throw error;
  }

  const handle: Keyring = {
    env,
    pids: started.map((c) => c.pid).filter((p): p is number => p !== undefined),
    secretTool: (args, input) => run(secretTool, args, env, input),
    async lock() {
      const r = await run(
        gdbus,
        [
          "call",
          "--session",
          "--dest",
          "org.freedesktop.secrets",
          "--object-path",
          "/org/freedesktop/secrets",
          "--method",
          "org.freedesktop.Secret.Service.Lock",
          `['${LOGIN}']`,
        ],
        env,
      );
      if (r.code !== 0) throw new Error(`could not lock the test keyring: ${r.stderr.trim()}`);
      if ((await collectionLocked(gdbus, env)) !== true) throw new Error("the test keyring did not lock");
    },
    stop,
  };
  if (opts.locked) await handle.lock();
  return handle;
}

async function collectionLocked(gdbus: string, env: Record<string, string>): Promise<boolean | null> {
  const r = await run(
    gdbus,
    [
      "call",
      "--session",
      "--dest",
      "org.freedesktop.secrets",
      "--object-path",
      LOGIN,
      "--method",
      "org.freedesktop.DBus.Properties.Get",
      "org.freedesktop.Secret.Collection",
      "Locked",
    ],
    env,
  );
  if (r.code !== 0) return null;
  return r.stdout.includes("true") ? true : r.stdout.includes("false") ? false : null;
}

async function waitForLogin(gdbus: string, env: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await collectionLocked(gdbus, env)) === false) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("gnome-keyring started but its login collection never became unlocked");
}

/** whether a pid is still a live process (zombies count as gone) */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const r = await run("ps", ["-o", "stat=", "-p", String(pid)], { PATH: process.env.PATH ?? "/usr/bin:/bin" });
  return r.code === 0 && !r.stdout.trim().startsWith("Z");
}
