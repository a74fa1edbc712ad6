// Both Node preloads on every supported Node (22, 24, 26): an app's output and nothing else, even where a deprecation
// throws. On Node 24 a build made on 20 read fs.F_OK (DEP0176) in every --import app and in -r apps that lived ~100 ms.
// Rule: a real daemon (the runner's Node) in a private world; the app runs on each version's own binary, long enough for
// the preload's later bundles (rotation subscription) to load; --pending-deprecation also sends the client through
// node:net (no pipe handle), so both transports' bundles are read.

import test from "ava";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { NODE_VERSIONS, requireNode } from "../helpers/node-versions.js";
import { REGISTER_CJS, REGISTER_ESM, requireBuild, startDaemon, stopAndClean } from "../fixtures/shims/real-daemon.js";

const APPS = join(REPO_ROOT, "test", "fixtures", "shims", "apps");

let world: World;
let pid: number | undefined;
let project: string;

test.before(async () => {
  requireBuild(REGISTER_ESM, REGISTER_CJS);
  world = makeWorld();
  pid = await startDaemon(world);
  project = world.project({ "devsecrets.env": "APP_NAME=hello\nTOKEN=sandbox://github/pat\n" }, "app");
  mkdirSync(join(project, "node_modules"));
  symlinkSync(REPO_ROOT, join(project, "node_modules", "devsecrets"));
});

test.after.always(() => stopAndClean(world, pid));

const PRELOADS = [
  ["--import", ["--import", "devsecrets/register", join(APPS, "lives-on.mjs")]],
  ["-r", ["-r", "devsecrets/register", join(APPS, "lives-on.cjs")]],
] as const;
const FLAG_SETS = [
  ["--throw-deprecation", ["--throw-deprecation"]],
  ["--throw-deprecation --pending-deprecation", ["--throw-deprecation", "--pending-deprecation"]],
] as const;

for (const version of NODE_VERSIONS) {
  for (const [preload, args] of PRELOADS) {
    for (const [label, flags] of FLAG_SETS) {
      test(`Node ${version}, ${preload} devsecrets/register, ${label}: the app's output and nothing else`, async (t) => {
        const node = requireNode(version);
        const result = await runProcess(node, [...flags, ...args], {
          cwd: project,
          env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
          timeoutMs: 30_000,
        });
        t.is(result.stderr, "");
        t.is(result.code, 0);
        t.is(result.stdout, "app: APP_NAME=hello\n");
      });
    }
  }
}
