// The single-instance lock: flock(LOCK_EX|LOCK_NB) on a file beside the socket, held open for the daemon's life.
// Rule: the kernel releases it when the holder dies (a zombie or a reused pid cannot fake it); the pid inside is
// information only; a clean stop unlinks the file. Without flock (no koffi/libc) an O_EXCL pid file is the fallback.

import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { loadLibc } from "../common/native-libc.js";

export type LockResult =
  | { acquired: true; release: () => void; mechanism: "flock" | "pid-file" }
  | { acquired: false; ownerPid: number | null };

const LOCK_EX = 2;
const LOCK_NB = 4;

type Flock = (fd: number, operation: number) => number;
let flockFunction: Flock | null | undefined;

function flock(): Flock | null {
  if (flockFunction !== undefined) return flockFunction;
  const { libc } = loadLibc();
  flockFunction = libc ? (libc.func("int flock(int fd, int operation)") as unknown as Flock) : null;
  return flockFunction;
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function acquireInstanceLock(path: string): LockResult {
  const lock = flock();
  return lock ? acquireWithFlock(path, lock) : acquireWithPidFile(path);
}

function acquireWithFlock(path: string, lock: Flock): LockResult {
  for (let attempt = 0; attempt < 3; attempt++) {
    const fd = openSync(path, "a+", 0o600);
    if (lock(fd, LOCK_EX | LOCK_NB) !== 0) {
      closeSync(fd);
      return { acquired: false, ownerPid: readOwner(path) };
    }
    // a holder that was stopping unlinked the file after we opened it: our lock is on a file nobody else sees
    if (!samePath(fd, path)) {
      closeSync(fd);
      continue;
    }
    ftruncateSync(fd, 0);
    writeSync(fd, `${process.pid}\n`);
    return {
      acquired: true,
      mechanism: "flock",
      release: () => {
        try {
          // unlinked while still held: the next starter either finds no file or re-checks the inode above
          unlinkSync(path);
          closeSync(fd);
        } catch {
          // already gone or closed: the kernel released the lock with the descriptor
        }
      },
    };
  }
  return { acquired: false, ownerPid: readOwner(path) };
}

function samePath(fd: number, path: string): boolean {
  try {
    const held = fstatSync(fd);
    const named = statSync(path);
    return held.ino === named.ino && held.dev === named.dev;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is alive
    return (error as NodeJS.ErrnoException).code === "EPERM";
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

/** the fallback where flock is out of reach: a pid file broken atomically when its owner is gone */
function acquireWithPidFile(path: string): LockResult {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) {
      return {
        acquired: true,
        mechanism: "pid-file",
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
