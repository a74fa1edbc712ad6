// Creates and checks the daemon's private folders (socket folder, state folder).
// Rule: refuse a folder that is a symlink, owned by someone else, or open to group/other; never loosen it.

import { mkdirSync, lstatSync, chmodSync } from "node:fs";
import { DevsecretsError } from "./errors.js";

export function ensurePrivateDir(dir: string, what: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir, what);
}

export function checkPrivateDir(dir: string, what: string): void {
  const info = lstatSync(dir);
  if (info.isSymbolicLink()) {
    throw new DevsecretsError("DS_SOCKET_UNSAFE", `${what} ${dir} is a symlink`, {
      hint: `remove the link and let devsecrets create the folder, or set DEVSECRETS_SOCKET to a path in a private folder`,
    });
  }
  if (!info.isDirectory()) {
    throw new DevsecretsError("DS_SOCKET_UNSAFE", `${what} ${dir} is not a folder`);
  }
  const me = typeof process.getuid === "function" ? process.getuid() : info.uid;
  if (info.uid !== me) {
    throw new DevsecretsError(
      "DS_SOCKET_UNSAFE",
      `${what} ${dir} is owned by uid ${info.uid}, not by you (uid ${me})`,
      {
        hint: `another user may be trying to intercept your secrets; remove ${dir} or set DEVSECRETS_SOCKET to a private folder`,
      },
    );
  }
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new DevsecretsError(
      "DS_SOCKET_UNSAFE",
      `${what} ${dir} has mode ${mode.toString(8).padStart(4, "0")}, open to group or other`,
      {
        hint: `run \`chmod 700 ${dir}\` and start again`,
      },
    );
  }
}

/** narrows a folder devsecrets itself just created (mkdir honours the umask, which may be looser) */
export function tightenDir(dir: string): void {
  chmodSync(dir, 0o700);
}
