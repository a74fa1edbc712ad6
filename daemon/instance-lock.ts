// The single-instance lock: a file created with O_EXCL beside the socket, holding the owner's pid.
// Rule: taken before bind; a lock whose owner is dead is broken atomically (rename), a live one never.

import { openSync, writeSync, closeSync, readFileSync, renameSync, unlinkSync } from "node:fs";

export type LockResult = { acquired: true; release: () => void } | { acquired: false; ownerPid: number | null };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is alive
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, "wx", 0o600);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

export function acquireInstanceLock(path: string): LockResult {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) {
      return {
        acquired: true,
        release: () => {
          if (readOwner(path) === process.pid) unlinkSync(path);
        },
      };
    }
    const owner = readOwner(path);
    // an empty lock is a daemon between open and write: treat it as alive
    if (owner === null || isAlive(owner)) return { acquired: false, ownerPid: owner };
    // rename is atomic: of several starters that saw the same dead owner, exactly one moves the file
    const aside = `${path}.stale.${process.pid}`;
    try {
      renameSync(path, aside);
      unlinkSync(aside);
    } catch {
      // another starter broke it first; try again
    }
  }
  return { acquired: false, ownerPid: readOwner(path) };
}
