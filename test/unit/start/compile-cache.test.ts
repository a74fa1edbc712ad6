// The daemon's V8 code cache goes only into a private state folder (daemon/start/compile-cache.ts).
// Rule: real folders with real modes; anything not private means no cache.

import test from "ava";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileCacheFolder } from "../../../daemon/start/compile-cache.js";

function withState(fn: (base: string, state: string) => void): void {
  const base = mkdtempSync(join(tmpdir(), "ds-cc-"));
  try {
    fn(base, join(base, "devsecrets"));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

test("a private state folder holds the cache; a missing, open or linked one gives none", (t) => {
  withState((base, state) => {
    const env = { XDG_STATE_HOME: base };
    t.is(compileCacheFolder(env), null, "no state folder yet (a first start)");
    mkdirSync(state, { mode: 0o700 });
    t.is(compileCacheFolder(env), join(state, "v8-cache"));
    chmodSync(state, 0o755);
    t.is(compileCacheFolder(env), null, "open to group and other");
    rmSync(state, { recursive: true });
    const elsewhere = join(base, "elsewhere");
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, state);
    t.is(compileCacheFolder(env), null, "a symlink");
  });
});
