// What every Node caller checks before a byte goes to the daemon (DESIGN "Client checks"): the socket's folder is a real
// folder of the caller's, closed to everyone else; DaemonClient also has the kernel say who listens (listener-check.ts).
// Rule: on any doubt DS_SOCKET_UNSAFE naming the path, nothing sent, no other path tried; built-ins only, no classes
// (the preloads' bundles share none: the failure is told by its code), the same words as the Go and Python shims.

import { lstatSync } from "node:fs";
import { dirname } from "node:path";

/** what every client says with DS_SOCKET_UNSAFE (shims/go/socket_check.go, shims/python/devsecrets/_socket_check.py) */
export const SOCKET_UNSAFE_HINT =
  'use a folder only you can open: export DEVSECRETS_SOCKET="$HOME/.devsecrets/daemon.sock" ' +
  "(devsecrets creates it 0700), and remove the unsafe folder if you did not make it";

export interface SocketUnsafe extends Error {
  code: "DS_SOCKET_UNSAFE";
  hint: string;
}

export function socketUnsafe(message: string): SocketUnsafe {
  return Object.assign(new Error(message), {
    name: "SocketUnsafeError",
    code: "DS_SOCKET_UNSAFE" as const,
    hint: SOCKET_UNSAFE_HINT,
  });
}

/** a DS_SOCKET_UNSAFE refusal, told by its code (each bundle has its own copy of this module) */
export function isSocketUnsafe(error: unknown): error is SocketUnsafe {
  return error instanceof Error && (error as { code?: unknown }).code === "DS_SOCKET_UNSAFE";
}

const OWN_UID = typeof process.getuid === "function" ? process.getuid() : null;

/**
 * lstats the socket's folder: a real directory (not a symlink), owned by the caller's uid, `mode & 077 == 0`. A folder
 * that does not exist passes: nobody can listen there, and the connect says unreachable (autostart then makes it 0700).
 */
export function checkSocketFolder(socket: string, ownUid: number | null = OWN_UID): void {
  if (ownUid === null) return; // no uids on this platform (Windows): nothing to compare
  const dir = dirname(socket);
  let info: ReturnType<typeof lstatSync>;
  try {
    info = lstatSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    // node --permission without the folder in --allow-fs-read: DS_PERMISSION names the flag (permission-denied.ts)
    if (code === "ERR_ACCESS_DENIED") throw error;
    throw socketUnsafe(`the socket folder ${dir} cannot be checked (${code ?? "error"})`);
  }
  const mode = info.mode & 0o7777;
  if (!info.isDirectory() || info.uid !== ownUid || (mode & 0o077) !== 0) {
    throw socketUnsafe(
      `the socket folder ${dir} is not safe (owner ${info.uid}, mode ${mode.toString(8).padStart(4, "0")})`,
    );
  }
}
