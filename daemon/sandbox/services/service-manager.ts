// The daemon's sandbox services (redis-server, ...): started on the first reference that needs one, once per daemon,
// journaled, fronted by a loopback proxy, stopped by the wipe and, after a crash, by the next start's recovery.
// Rule: the journal names the service and its folder BEFORE the spawn and its pid and start time right after, so no
// process or folder outlives the daemon unnoticed; the folder lives under <runtime>/services/<session>/<service>/.

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join, relative, resolve as resolvePath, sep } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import type { Journal, JournalEntry } from "../../leases/journal.js";
import type { SandboxServiceInfo } from "../../protocol/service-messages.js";
import type { Env, ServiceProgram } from "./find-binary.js";
import { processStartTime, type ServiceSpawn, spawned, spawnService, stopProcess } from "./service-process.js";
import { HttpServiceProxy } from "./http-proxy.js";
import { ServiceProxy } from "./tcp-proxy.js";

export const SERVICE_JOURNAL_KIND = "sandbox-service";
/** how long a service may take to answer its first probe (DESIGN "Sandbox services") */
export const READY_TIMEOUT_MS = 20_000;

/** what a kind is given: where the proxy listens and the service's credentials */
export interface ServiceEndpoint {
  host: string;
  port: number;
  /** service-specific values (password, username, dbname); secret ones are marked by the kind */
  values: Readonly<Record<string, string>>;
}

/** one kind of service: how to launch it in its folder and how to tell it is ready */
export interface ServiceLauncher {
  readonly service: string;
  /** the sandbox kind that starts it ("redis/server"), for listings */
  readonly kind: string;
  readonly program: ServiceProgram;
  /** prepares the folder (initdb, ...), returns the spawn, its private Unix socket and the values it enforces */
  prepare(dir: string, env: Env): Promise<{ spawn: ServiceSpawn; socket: string; values: Record<string, string> }>;
  /** one readiness probe on the private socket */
  ready(socket: string, values: Readonly<Record<string, string>>): Promise<boolean>;
  /** runs once it is ready, before the proxy opens (PostgreSQL: set the password, then require it) */
  afterReady?(
    socket: string,
    values: Readonly<Record<string, string>>,
    dir: string,
    child: ChildProcess,
    restarted: boolean,
  ): Promise<void>;
  /** the spawn for a restart, given the values now handed out (Redis: a rotated password); default: the first spawn */
  respawn?(spawn: ServiceSpawn, values: Readonly<Record<string, string>>): ServiceSpawn;
  /** given the spawned child before readiness is probed (moto's control channel) */
  attach?(child: ChildProcess): void;
  /** told when its process is stopped or has died */
  stopped?(): void;
  /** an HTTP service: fronted by the guarded HTTP proxy, these path prefixes refused (moto's /moto-api) */
  readonly httpBlocked?: readonly string[];
  /** how it is asked to stop (PostgreSQL's fast shutdown is SIGINT; SIGTERM waits for every client) */
  readonly stopSignal?: NodeJS.Signals;
}

interface Running {
  id: string;
  launcher: ServiceLauncher;
  dir: string;
  child: ChildProcess;
  pid: number;
  starttime: number;
  proxy: ServiceProxy | HttpServiceProxy;
  socket: string;
  endpoint: ServiceEndpoint;
  since: Date;
  /** times it was restarted after dying on its own (at most once) */
  restarts: number;
}

export interface ServiceManagerOptions {
  journal: Journal;
  /** the daemon's private runtime folder (the socket's) */
  runtimeDir: string;
  env: Env;
  readyTimeoutMs?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export class SandboxServices {
  readonly #starting = new Map<string, Promise<Running>>();
  readonly #running = new Map<string, Running>();
  readonly #launchers = new Map<string, ServiceLauncher>();

  constructor(private readonly options: ServiceManagerOptions) {}

  register(launcher: ServiceLauncher): void {
    this.#launchers.set(launcher.service, launcher);
  }

  get root(): string {
    return join(this.options.runtimeDir, "services");
  }

  /** the service's endpoint, starting it on the first call; concurrent callers share one start */
  async start(service: string, sessionId: string): Promise<ServiceEndpoint> {
    const launcher = this.#launchers.get(service);
    if (!launcher) throw new Error(`no sandbox service ${service}`);
    let starting = this.#starting.get(service);
    if (!starting) {
      starting = this.#launch(launcher, sessionId);
      this.#starting.set(service, starting);
      starting.catch(() => {
        if (this.#starting.get(service) === starting) this.#starting.delete(service);
      });
    }
    return (await starting).endpoint;
  }

  list(): SandboxServiceInfo[] {
    return [...this.#running.values()].map((running) => ({
      service: running.launcher.service,
      kind: running.launcher.kind,
      url: `tcp://${running.endpoint.host}:${running.endpoint.port}`,
      pid: running.pid,
      since: running.since.toISOString(),
      rssBytes: rssOf(running.pid),
      pausedUntil: running.proxy.pausedUntil,
    }));
  }

  /** the running service's private socket and values (a rotation changes a password in place), or null */
  runningValues(service: string): { socket: string; values: Readonly<Record<string, string>> } | null {
    const running = this.#running.get(service);
    return running ? { socket: running.socket, values: running.endpoint.values } : null;
  }

  setValues(service: string, values: Readonly<Record<string, string>>): void {
    const running = this.#running.get(service);
    if (running) running.endpoint = { ...running.endpoint, values };
  }

  /** the outage drill: the proxy of the service named (or of its kind) refuses and resets connections for `ms` */
  pause(name: string, ms: number): { service: string; pausedUntil: string } {
    const running = [...this.#running.values()].find(
      (candidate) => candidate.launcher.service === name || candidate.launcher.kind === name,
    );
    if (!running) {
      const known = [...this.#launchers.values()].map((launcher) => `${launcher.service} (${launcher.kind})`);
      throw new DevsecretsError(
        "DS_SANDBOX_SERVICE_NOT_RUNNING",
        `no sandbox service ${JSON.stringify(name.slice(0, 40))} is running`,
        {
          hint: `\`devsecrets sandbox services\` lists the running ones; a service starts on the first resolve that needs it (${known.join(", ")})`,
        },
      );
    }
    running.proxy.pause(ms);
    return { service: running.launcher.service, pausedUntil: running.proxy.pausedUntil as string };
  }

  /** the wipe: stops every service this daemon runs, removes their folders, resolves their journal entries */
  async stopAll(): Promise<number> {
    await Promise.allSettled([...this.#starting.values()]);
    const all = [...this.#running.values()];
    await Promise.all(all.map((running) => this.#stop(running)));
    for (const running of all) this.options.journal.resolved(running.id);
    return all.length;
  }

  /**
   * the revoker of a journaled service: a running one of this daemon is stopped; one left by a dead daemon is killed
   * by pid and start time (never by pid alone) and its folder removed
   */
  async revoke(entry: JournalEntry): Promise<void> {
    const mine = [...this.#running.values()].find((running) => running.id === entry.id);
    if (mine) return this.#stop(mine);
    if (entry.pid !== undefined && entry.starttime !== undefined) await stopProcess(entry.pid, entry.starttime, 1_000);
    if (entry.dir) this.#removeDir(entry.dir);
  }

  async #launch(launcher: ServiceLauncher, sessionId: string): Promise<Running> {
    const dir = join(this.root, safeName(sessionId), launcher.service);
    const id = `service-${launcher.service}-${randomBytes(6).toString("hex")}`;
    // journaled before anything exists, so a crash from here on is undone by the next start
    this.options.journal.record({ id, kind: SERVICE_JOURNAL_KIND, session: sessionId, service: launcher.service, dir });
    let child: ChildProcess | null = null;
    let proxy: ServiceProxy | HttpServiceProxy | null = null;
    try {
      mkdirSync(this.root, { recursive: true, mode: 0o700 });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const prepared = await launcher.prepare(dir, this.options.env);
      child = spawnService(prepared.spawn);
      const pid = await spawned(child, launcher.service);
      const starttime = processStartTime(pid) ?? 0;
      this.options.journal.update(id, { pid, starttime });
      launcher.attach?.(child);
      const exited = new Promise<string>((resolve) =>
        (child as ChildProcess).once("exit", (code, signal) => resolve(signal ?? `exit ${code}`)),
      );
      await this.#awaitReady(launcher, prepared.socket, prepared.values, exited);
      await launcher.afterReady?.(prepared.socket, prepared.values, dir, child, false);
      proxy = launcher.httpBlocked
        ? new HttpServiceProxy({ target: prepared.socket, blocked: launcher.httpBlocked })
        : new ServiceProxy({ target: prepared.socket });
      const port = await proxy.listen();
      const running: Running = {
        id,
        launcher,
        dir,
        child,
        pid,
        starttime,
        proxy,
        socket: prepared.socket,
        endpoint: { host: "127.0.0.1", port, values: prepared.values },
        since: new Date(),
        restarts: 0,
      };
      this.#running.set(launcher.service, running);
      this.#watch(running, exited, prepared.spawn);
      this.options.log?.("service-started", { service: launcher.service, pid });
      return running;
    } catch (error) {
      launcher.stopped?.();
      await proxy?.close();
      if (child?.pid !== undefined) {
        const starttime = processStartTime(child.pid);
        if (starttime !== null) await stopProcess(child.pid, starttime, 1_000, launcher.stopSignal);
      }
      this.#removeDir(dir);
      this.options.journal.resolved(id);
      throw error;
    }
  }

  /**
   * a service that dies on its own is restarted once in place (same folder, socket, port and values, so the values
   * already handed out keep working); a second death is reported in the log and the service leaves the listing
   */
  #watch(running: Running, exited: Promise<string>, spawn: ServiceSpawn): void {
    const { launcher } = running;
    void exited.then(async (how) => {
      if (this.#running.get(launcher.service) !== running) return;
      this.options.log?.("service-exited", { service: launcher.service, how, restarts: running.restarts });
      if (running.restarts === 0) {
        running.restarts = 1;
        launcher.stopped?.();
        try {
          const child = spawnService(launcher.respawn?.(spawn, running.endpoint.values) ?? spawn);
          const pid = await spawned(child, launcher.service);
          running.child = child;
          running.pid = pid;
          running.starttime = processStartTime(pid) ?? 0;
          this.options.journal.update(running.id, { pid, starttime: running.starttime });
          launcher.attach?.(child);
          const again = new Promise<string>((resolve) =>
            child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`)),
          );
          await this.#awaitReady(launcher, running.socket, running.endpoint.values, again);
          await launcher.afterReady?.(running.socket, running.endpoint.values, running.dir, child, true);
          this.options.log?.("service-restarted", { service: launcher.service, pid });
          this.#watch(running, again, spawn);
          return;
        } catch {
          // reported below like a second death
        }
      }
      this.options.log?.("service-failed", { service: launcher.service, how });
      void this.#stop(running).then(() => this.options.journal.resolved(running.id));
    });
  }

  async #awaitReady(
    launcher: ServiceLauncher,
    socket: string,
    values: Readonly<Record<string, string>>,
    exited: Promise<string>,
  ): Promise<void> {
    const timeout = this.options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    let died: string | null = null;
    void exited.then((how) => {
      died = how;
    });
    while (Date.now() < deadline) {
      if (died !== null) {
        throw new DevsecretsError(
          "DS_SANDBOX_SERVICE_START",
          `the sandbox ${launcher.service} service ended before it was ready (${died})`,
          { hint: `run ${launcher.program.program} by hand to see why; \`devsecrets doctor\` names the binary found` },
        );
      }
      if (await launcher.ready(socket, values).catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new DevsecretsError(
      "DS_SANDBOX_SERVICE_START",
      `the sandbox ${launcher.service} service was not ready within ${Math.round(timeout / 1000)} s`,
      { hint: "the machine may be overloaded; try again, or run the service's program by hand to see why" },
    );
  }

  async #stop(running: Running): Promise<void> {
    if (this.#running.get(running.launcher.service) === running) this.#running.delete(running.launcher.service);
    this.#starting.delete(running.launcher.service);
    running.launcher.stopped?.();
    await running.proxy.close().catch(() => {});
    await stopProcess(running.pid, running.starttime, 3_000, running.launcher.stopSignal);
    this.#removeDir(running.dir);
  }

  /** removes a service folder, and its session folder once empty; never anything outside <runtime>/services */
  #removeDir(dir: string): void {
    const inside = relative(this.root, resolvePath(dir));
    if (inside === "" || inside.startsWith("..") || inside.startsWith(sep)) return;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    try {
      rmdirSync(dirname(dir));
    } catch {
      // other services of the session still live there
    }
  }
}

/** a session id as one path segment */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "session";
}

function rssOf(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
