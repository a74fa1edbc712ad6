// Starts the daemon (through its --daemonize entry) when nobody answers on the socket, and waits for it with a bound.
// Rule: the daemon gets an allow-listed environment (never the shell's secrets); of racing starters exactly one daemon wins the lock.

import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_VERSION } from "../protocol/version.js";
import { DevsecretsError } from "../../common/errors.js";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";
import { daemonEnvironment } from "../../common/daemon-environment.js";
import { readInteger } from "../../common/environment.js";
import type { OnInvalid } from "../../common/environment-dialect.js";

export { daemonEnvironment };

/** the launcher's argument for the middle role (shims/go/cmd/devsecrets-run/autostart.go's middleArg) */
export const NATIVE_MIDDLE_ARG = "--devsecrets-daemonize";

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

/**
 * the native launcher of this package (shims/go/cmd/devsecrets-run), which can be the middle process in ~1 ms where a
 * Node one takes a Node start: a checkout's dist/native/, or the platform package of exactly this version (nested or
 * hoisted, as bin/devsecrets looks); null when there is none
 */
export function nativeMiddle(): string | null {
  const platformPackage = `@devsecrets/run-${process.platform}-${process.arch}/bin/devsecrets-run`;
  const candidates = [
    "../../native/devsecrets-run",
    `../../../node_modules/${platformPackage}`,
    `../../../../${platformPackage}`,
  ].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    if (candidate.endsWith(join("native", "devsecrets-run"))) return candidate;
    try {
      // a launcher left by a half upgrade (another version) is passed over, as bin/devsecrets does
      const version = execFileSync(candidate, ["--version"], { encoding: "utf8", timeout: 2_000 }).trim();
      if (version === PACKAGE_VERSION) return candidate;
    } catch {
      // another machine's binary, or a broken one
    }
  }
  return null;
}

export function spawnDaemon(env: NodeJS.ProcessEnv): StartedDaemon {
  // the daemon's own --daemonize protocol: a middle process starts the daemon in its own session (setsid) and ends once
  // it listens, so the daemon is never a child of this process (never its zombie, never killed with its group); the
  // native launcher plays that part when the package has one, else `node <daemon entry> --daemonize`
  const middle = nativeMiddle();
  const [command, args] = middle
    ? [middle, [NATIVE_MIDDLE_ARG, process.execPath, daemonEntry()]]
    : [process.execPath, [...DAEMON_START_FLAGS, daemonEntry(), "--daemonize"]];
  const child = spawn(command, args, {
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
