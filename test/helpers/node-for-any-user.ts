// The running Node binary at a path every uid can execute, for tests that start processes as another user.
// Rule: CI keeps Node under root's 0700 home (~/.cache/devsecrets-ci), so such tests hard-link it out, never copy 100 MB twice.

import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

function everyoneMayTraverse(path: string): boolean {
  // a binary is reachable by another uid when each folder above it grants search to "other"
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
  }
  return true;
}

let cached: string | undefined;

/** process.execPath when another uid can run it, else a hard link (or copy) of it in a 0755 folder under tmpdir() */
export function nodeForAnyUser(): string {
  if (cached) return cached;
  if (everyoneMayTraverse(process.execPath)) {
    cached = process.execPath;
    return cached;
  }
  const dir = join(tmpdir(), `devsecrets-test-node-${process.version}`);
  const target = join(dir, "node");
  if (!existsSync(target)) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    const partial = `${target}.${process.pid}`;
    try {
      linkSync(process.execPath, partial);
    } catch {
      copyFileSync(process.execPath, partial);
      chmodSync(partial, 0o755);
    }
    // rename: two test workers racing here both end with a whole binary at `target`
    renameSync(partial, target);
  }
  cached = target;
  return cached;
}
