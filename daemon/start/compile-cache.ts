// V8's code cache for the daemon's own code, in the user's private state folder: a start after the first compiles
// less of the ~330 KB core before its first answer (bench/cold-start).
// Rule: only in a folder that is a real directory of this uid with no group or other access; anything else (a first
// start, an unsafe folder, a Node without the API) means no cache, never an error. It holds compiled code, no value.

import { lstatSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "../../common/paths.js";

/** the cache folder when the state folder exists and is private, else null (the daemon then starts without one) */
export function compileCacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  const state = privateStateFolder(env);
  return state === null ? null : join(state, "v8-cache");
}

/** the state folder when it is a real directory of this uid with no group or other access, else null */
export function privateStateFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  const state = stateDir(env);
  try {
    const info = lstatSync(state);
    const me = typeof process.getuid === "function" ? process.getuid() : info.uid;
    if (!info.isDirectory() || info.uid !== me || (info.mode & 0o077) !== 0) return null;
  } catch {
    return null;
  }
  return state;
}

/** turns the cache on for every module compiled from now on; Node writes what it compiled when the daemon exits */
export function useCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  const folder = compileCacheFolder(env);
  // Node 22.1 and later (this package needs 22.14); @types/node 20 does not know it yet
  const { enableCompileCache } = process.getBuiltinModule("node:module") as {
    enableCompileCache?: (directory: string) => unknown;
  };
  if (folder === null || typeof enableCompileCache !== "function") return;
  try {
    enableCompileCache(folder);
  } catch {
    // a cache is an optimisation: the daemon starts the same without one
  }
}
