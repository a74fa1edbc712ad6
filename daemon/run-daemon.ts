// The daemon's life after its start guard: checks its folder, takes the instance lock, listens first, then loads the
// core and resumes the session while /v1/health already answers; wipes on the way out.
// Rule: main.ts runs it (bundled by scripts/build.mjs into dist/bundle/daemon/run-daemon.mjs with everything it
// imports, express in a chunk of its own); it ends the process only through the `exit` main.ts gives it.

import { dirname } from "node:path";
import { closeSync, unlinkSync, writeSync } from "node:fs";
import type { Server } from "node:http";
import { socketPath, lockPath, logFile } from "../common/paths.js";
import { ensurePrivateDir } from "../common/private-dir.js";
import { acquireInstanceLock } from "./instance-lock.js";
import { clearStaleSocket, listenOnSocket } from "./server.js";
import { createFileLogger } from "./log.js";
import { WipeRegistry } from "./wipe/wipe-registry.js";
import { PACKAGE_VERSION } from "./protocol/version.js";
import { readTestHooks } from "./test-hooks.js";
import { hardenProcess } from "../common/process-hygiene.js";
import { peerCheckUnavailable } from "./hardening/peer-credentials.js";
import { startingListener } from "./http/starting-listener.js";
import { installLastResort } from "./last-resort.js";
import { answerInternal } from "./http/request-scope.js";

/** how long requests other than health wait for the session's resume before they are served anyway */
const RESUME_WAIT_MS = 5_000;

/** --ready-fd=N: the descriptor the --daemonize parent reads "listening <pid>" from */
function readyFd(): number | null {
  const arg = process.argv.find((a) => a.startsWith("--ready-fd="));
  const fd = arg ? Number.parseInt(arg.slice("--ready-fd=".length), 10) : Number.NaN;
  return Number.isInteger(fd) && fd > 2 ? fd : null;
}

function sayReady(fd: number | null): void {
  if (fd === null) return;
  try {
    writeSync(fd, `listening ${process.pid}\n`);
    closeSync(fd);
  } catch {
    // the parent is gone: nobody waits for the word
  }
}

/** the daemon's life; `exit` ends the process (main.ts owns that) */
export async function runDaemon(exit: (code: number) => never): Promise<void> {
  // before any secret is in memory: no core file, no same-uid ptrace or /proc/<pid>/mem
  const hygiene = hardenProcess();
  const foreground = process.argv.includes("--foreground");
  const hooks = readTestHooks();
  const version = hooks.fakeVersion ?? PACKAGE_VERSION;
  const socket = socketPath();
  ensurePrivateDir(dirname(socket), "socket folder");
  const lock = acquireInstanceLock(lockPath());
  if (!lock.acquired) {
    // another daemon holds the lock: it is serving or about to; this starter's job is done
    if (foreground)
      process.stderr.write(`devsecrets: a daemon is already running (pid ${lock.ownerPid ?? "unknown"})\n`);
    exit(0);
  }
  const log = createFileLogger(logFile(), foreground);
  log.info("hardening", { applied: hygiene.applied, skipped: hygiene.skipped });
  const noPeerCheck = peerCheckUnavailable();
  if (noPeerCheck !== "")
    log.warn("peer-check-unavailable", { reason: noPeerCheck, relying: "socket folder 0700, socket 0600" });
  let server: Server | undefined;
  try {
    const stale = await clearStaleSocket(socket);
    if (stale === "stale-removed") log.info("stale-socket-removed", { socket });
    const wipe = new WipeRegistry();
    installLastResort({
      log,
      answer: answerInternal,
      wipe: () => wipe.wipe("fault"),
      exit,
    });
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
      exit(0);
    };
    // listen first: health answers while the core loads and the session resumes
    const starting = startingListener(version);
    server = await listenOnSocket(socket, starting.listener);
    server.on("peer-refused", (peer: { uid: number | null; pid: number | null }) =>
      log.warn("peer-refused", { uid: peer.uid, peerPid: peer.pid }),
    );
    process.on("SIGTERM", () => void stop("signal"));
    process.on("SIGINT", () => void stop("signal"));
    process.on("SIGHUP", () => void stop("signal"));
    // a detached daemon's stderr may be a closed pipe: never let a write there kill it
    process.stderr.on("error", () => {});
    sayReady(readyFd());
    if (foreground) process.stderr.write(`devsecrets: daemon listening on ${socket} (pid ${process.pid})\n`);

    const [{ createDaemonCore }, { lazyApp }] = await Promise.all([
      import("./daemon-core.js"),
      import("./http/lazy-app.js"),
    ]);
    const core = createDaemonCore({ socket, log, wipe });
    // the journal's undo runs in the background; only the session's resume is waited for, and not forever
    let resumeTimer: NodeJS.Timeout | undefined;
    const resumed = await Promise.race([
      core.recover().then(() => true),
      new Promise<false>((resolve) => {
        resumeTimer = setTimeout(() => resolve(false), RESUME_WAIT_MS);
      }),
    ]).finally(() => clearTimeout(resumeTimer));
    if (!resumed) log.warn("resume-slow", { waitedMs: RESUME_WAIT_MS });
    starting.serve(
      lazyApp(core, log, () => void stop("shutdown"), version, {
        heapSnapshot: hooks.heapSnapshot,
        faults: hooks.faults,
      }),
    );
    log.info("started", { socket, version });
  } catch (error) {
    lock.release();
    throw error;
  }
}
