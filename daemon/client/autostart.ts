// Starts the daemon (through its --daemonize entry) when nobody answers on the socket, and waits for it with a bound.
// Rule: the daemon gets an allow-listed environment (never the shell's secrets); of racing starters exactly one daemon wins the lock.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DevsecretsError } from "../../common/errors.js";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";
import { daemonEnvironment } from "../../common/daemon-environment.js";
import { readInteger } from "../../common/environment.js";
import type { OnInvalid } from "../../common/environment-dialect.js";

export { daemonEnvironment };

/**
 * tsc's dist/daemon/main.js, found from where this code runs: dist/daemon/client/autostart.js (tsc) or
 * a bundle in dist/bundle/cli/ (scripts/build.mjs), where import.meta.url is the bundle's
 */
export function daemonEntry(): string {
  const candidates = ["../main.js", "../../daemon/main.js"].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? candidates[0]!;
}

export interface StartedDaemon {
  /** resolves with the exit code when the spawned process exits before `detach` */
  exited: Promise<{ code: number | null; stderr: string }>;
  detach(): void;
}

export function spawnDaemon(env: NodeJS.ProcessEnv): StartedDaemon {
  // the daemon's own --daemonize entry: a middle process that starts the daemon in its own session (setsid) and ends
  // once it listens, so the daemon is never a child of this process (never its zombie, never killed with its group)
  const child = spawn(process.execPath, [...DAEMON_START_FLAGS, daemonEntry(), "--daemonize"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: daemonEnvironment(env),
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on("error", (error) =>
      reject(
        new DevsecretsError("DS_DAEMON_START_FAILED", `could not start the daemon: ${error.message}`, { cause: error }),
      ),
    );
    child.on("exit", (code) => resolve({ code, stderr }));
  });
  return {
    exited,
    detach: () => {
      child.stderr?.destroy();
      child.unref();
    },
  };
}

/** DEVSECRETS_START_TIMEOUT_MS when it is a positive whole number, else 10 s */
export function startTimeoutMs(env: NodeJS.ProcessEnv, onInvalid?: OnInvalid): number {
  const fromEnv = readInteger(env, "DEVSECRETS_START_TIMEOUT_MS", onInvalid);
  return fromEnv !== undefined && fromEnv > 0 ? fromEnv : 10_000;
}
