// Where the daemon's socket, lock, log and state live, from the environment alone.
// Rule: one function per location so the client, the daemon and doctor agree.

import { join, dirname } from "node:path";
import { readText } from "./environment-dialect.js";

/**
 * node:os when a path needs it, not at load: the Node preload bundles this module, and an app whose socket path comes
 * from XDG_RUNTIME_DIR or DEVSECRETS_SOCKET should not pay ~0.3 ms for node:os before its first line
 */
function os(): typeof import("node:os") {
  return process.getBuiltinModule("node:os");
}

type Env = Readonly<Record<string, string | undefined>>;

function uid(): number {
  return typeof process.getuid === "function" ? process.getuid() : 0;
}

/** $DEVSECRETS_SOCKET, else $XDG_RUNTIME_DIR/devsecrets/daemon.sock, else /tmp/devsecrets-<uid>/daemon.sock */
export function socketPath(env: Env = process.env): string {
  const socket = readText(env, "DEVSECRETS_SOCKET");
  if (socket) return socket;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, "devsecrets", "daemon.sock");
  return join(os().tmpdir(), `devsecrets-${uid()}`, "daemon.sock");
}

export function socketDir(env: Env = process.env): string {
  return dirname(socketPath(env));
}

/** the single-instance lock sits beside the socket, in the same private folder */
export function lockPath(env: Env = process.env): string {
  return `${socketPath(env)}.lock`;
}

/** $XDG_STATE_HOME/devsecrets, else ~/.local/state/devsecrets */
export function stateDir(env: Env = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || os().homedir(), ".local", "state");
  return join(base, "devsecrets");
}

export function logFile(env: Env = process.env): string {
  return join(stateDir(env), "daemon.log");
}

/** $XDG_CONFIG_HOME/devsecrets, else ~/.config/devsecrets */
export function configDir(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || os().homedir(), ".config");
  return join(base, "devsecrets");
}
