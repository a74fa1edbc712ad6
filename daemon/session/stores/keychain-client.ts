// Runs keychain calls in a helper child process with a time bound; a call that overruns kills the helper by pid.
// Rule: the daemon's thread never waits on D-Bus; a hung helper is killed, never left behind (close() and exit kill it).

import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import type { HelperRequest, HelperResponse } from "./keychain-helper-protocol.js";
import { keychainError, keychainTimeout } from "./keychain-errors.js";
import type { DevsecretsError } from "../../../common/errors.js";

// beside this module in dist/daemon/session/stores/, or from a CLI bundle in dist/bundle/cli/ (scripts/build.mjs)
const HELPER =
  ["./keychain-helper.js", "../../daemon/session/stores/keychain-helper.js"]
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((path) => existsSync(path)) ?? fileURLToPath(new URL("./keychain-helper.js", import.meta.url));

// helpers still alive when this process exits are killed (one listener for all clients)
const live = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

interface Pending {
  resolve(value: string | null | boolean): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  what: string;
  child: ChildProcess;
}

export interface KeychainClientOptions {
  /** environment of the helper; it must carry DBUS_SESSION_BUS_ADDRESS (default: this process's environment) */
  env?: NodeJS.ProcessEnv;
  /** bound on each call, spawning included (default 5000 ms) */
  timeoutMs?: number;
}

export class KeychainClient {
  readonly timeoutMs: number;
  readonly #env: NodeJS.ProcessEnv;
  #child: ChildProcess | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(options: KeychainClientOptions = {}) {
    this.#env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** the helper's pid while one runs (tests check that none is left) */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  call(op: HelperRequest["op"], account: string, what: string, password?: string): Promise<string | null | boolean> {
    const child = this.#ensureChild();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // the helper may be stuck in native code for good: kill it; the next call starts a fresh one
        this.#kill();
        reject(keychainTimeout(this.timeoutMs, what));
      }, this.timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, what, child });
      const request: HelperRequest = password === undefined ? { id, op, account } : { id, op, account, password };
      child.send(request, (error) => {
        if (error) this.#settle(id, keychainError(`helper unreachable: ${error.message}`, what));
      });
    });
  }

  /** kills the helper; idempotent */
  async close(): Promise<void> {
    this.#kill();
  }

  #ensureChild(): ChildProcess {
    if (this.#child !== null) return this.#child;
    const child = fork(HELPER, [], {
      env: this.#env,
      // like the daemon: SIGUSR1 must not open an inspector in a process that holds passwords
      execArgv: ["--disable-sigusr1"],
      serialization: "json",
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    child.on("message", (res: HelperResponse) => {
      if (res.ok) this.#settle(res.id, null, res.value);
      else {
        const pending = this.#pending.get(res.id);
        const error = keychainError(res.message, pending?.what ?? "keychain");
        // a failed store set-up is cached for the life of the process: start afresh next time
        if (error.code === "DS_KEYCHAIN_UNAVAILABLE") this.#kill();
        this.#settle(res.id, error);
      }
    });
    child.on("error", () => undefined);
    child.on("exit", () => {
      if (this.#child === child) this.#child = null;
      for (const [id, pending] of this.#pending) {
        if (pending.child === child)
          this.#settle(id, keychainError("Platform failure: keychain helper exited", pending.what));
      }
    });
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    track(child);
    this.#child = child;
    return child;
  }

  #settle(id: number, error: DevsecretsError | null, value: string | null | boolean = null): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(value);
  }

  #kill(): void {
    const child = this.#child;
    this.#child = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}
