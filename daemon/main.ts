// The daemon process: checks its folder, takes the instance lock, binds the socket, wipes on the way out.
// Rule: the only place in the daemon that exits the process.

// first: refuses a debugger and re-executes with the start flags before anything else runs
import "./start/start-guard.js";
import { dirname } from "node:path";
import { unlinkSync } from "node:fs";
import { socketPath, lockPath, logFile } from "../common/paths.js";
import { ensurePrivateDir } from "../common/private-dir.js";
import { acquireInstanceLock } from "./instance-lock.js";
import { clearStaleSocket, listenOnSocket } from "./server.js";
import { createFileLogger } from "./log.js";
import { WipeRegistry } from "./wipe/wipe-registry.js";
import { createDaemonCore } from "./daemon-core.js";
import { createApp } from "./http/app.js";
import { DevsecretsError } from "../common/errors.js";
import { PACKAGE_VERSION } from "./protocol/version.js";
import { readTestHooks } from "./test-hooks.js";
import { hardenProcess } from "./hardening/process-hygiene.js";
import { peerCheckUnavailable } from "./hardening/peer-credentials.js";

async function main(): Promise<void> {
  // before any secret is in memory: no core file, no same-uid ptrace or /proc/<pid>/mem
  const hygiene = hardenProcess();
  const foreground = process.argv.includes("--foreground");
  const hooks = readTestHooks();
  const socket = socketPath();
  ensurePrivateDir(dirname(socket), "socket folder");
  const lock = acquireInstanceLock(lockPath());
  if (!lock.acquired) {
    // another daemon holds the lock: it is serving or about to; this starter's job is done
    if (foreground)
      process.stderr.write(`devsecrets: a daemon is already running (pid ${lock.ownerPid ?? "unknown"})\n`);
    process.exit(0);
  }
  const log = createFileLogger(logFile(), foreground);
  log.info("hardening", { applied: hygiene.applied, skipped: hygiene.skipped });
  const noPeerCheck = peerCheckUnavailable();
  if (noPeerCheck !== "")
    log.warn("peer-check-unavailable", { reason: noPeerCheck, relying: "socket folder 0700, socket 0600" });
  let server: import("node:http").Server | undefined;
  try {
    const stale = await clearStaleSocket(socket);
    if (stale === "stale-removed") log.info("stale-socket-removed", { socket });
    const wipe = new WipeRegistry();
    const core = createDaemonCore({ socket, log, wipe });
    let stopping = false;
    const stop = async (reason: "signal" | "shutdown") => {
      if (stopping) return;
      stopping = true;
      if (reason === "signal") {
        await wipe.wipe("signal");
      }
      server?.close();
      server?.closeAllConnections();
      try {
        unlinkSync(socket);
      } catch {
        /* already gone */
      }
      lock.release();
      log.info("stopped", { reason });
      process.exit(0);
    };
    await core.recover();
    server = await listenOnSocket(
      socket,
      createApp(core, log, () => void stop("shutdown"), hooks.fakeVersion, { heapSnapshot: hooks.heapSnapshot }),
    );
    server.on("peer-refused", (peer: { uid: number | null; pid: number | null }) =>
      log.warn("peer-refused", { uid: peer.uid, peerPid: peer.pid }),
    );
    process.on("SIGTERM", () => void stop("signal"));
    process.on("SIGINT", () => void stop("signal"));
    process.on("SIGHUP", () => void stop("signal"));
    // a detached daemon's stderr may be a closed pipe: never let a write there kill it
    process.stderr.on("error", () => {});
    log.info("started", { socket, version: hooks.fakeVersion ?? PACKAGE_VERSION });
    if (foreground) process.stderr.write(`devsecrets: daemon listening on ${socket} (pid ${process.pid})\n`);
  } catch (error) {
    lock.release();
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof DevsecretsError) {
    process.stderr.write(`devsecrets: ${error.code} ${error.message}\ndevsecrets: hint: ${error.hint}\n`);
  } else {
    process.stderr.write(`devsecrets: the daemon failed to start (${(error as Error)?.name ?? "error"})\n`);
  }
  process.exit(1);
});
