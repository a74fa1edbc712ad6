// Both Node preloads under Node's permission model (node --permission) on 22, 24 and 26: with the documented --allow-*
// flags the app gets its values; without one, DS_PERMISSION naming the flag and the documented set, never a stack.
// Before: -r died with Node's ERR_ACCESS_DENIED stack (no --allow-worker) on every version; --import answered
// DS_INTERNAL "report the issue" without --allow-child-process (starting the daemon) and, on 26, without --allow-net.
// Rule: a real daemon (the runner's Node) in a private world, a second world with none for the daemon's start; Node's
// own SecurityWarning/ExperimentalWarning about the user's flags are turned off (--disable-warning), so stderr is ours.

import test from "ava";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { NODE_VERSIONS, requireNode } from "../helpers/node-versions.js";
import { REGISTER_CJS, REGISTER_ESM, requireBuild, startDaemon, stopAndClean } from "../fixtures/shims/real-daemon.js";

const APPS = join(REPO_ROOT, "test", "fixtures", "shims", "apps");
const QUIET = ["--disable-warning=SecurityWarning", "--disable-warning=ExperimentalWarning"];

let world: World;
let idle: World;
let pid: number | undefined;
let project: string;
let idleProject: string;

function projectIn(w: World): string {
  const dir = w.project({ "devsecrets.env": "APP_NAME=hello\n" }, "app");
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "devsecrets"));
  return dir;
}

test.before(async () => {
  requireBuild(REGISTER_ESM, REGISTER_CJS);
  world = makeWorld();
  pid = await startDaemon(world);
  project = projectIn(world);
  // nobody listens here and autostart is on: the preload must start a process
  idle = makeWorld();
  idleProject = projectIn(idle);
});

test.after.always(async () => {
  await stopAndClean(world, pid);
  await idle?.cleanup();
});

const PRELOADS = {
  "--import": ["--import", "devsecrets/register", join(APPS, "lives-on.mjs")],
  "-r": ["-r", "devsecrets/register", join(APPS, "lives-on.cjs")],
} as const;

/** --allow-net exists from Node 25 on; asked of the binary itself */
async function hasAllowNet(node: string): Promise<boolean> {
  const probe = await runProcess(node, ["-p", 'process.allowedNodeEnvironmentFlags.has("--allow-net")']);
  return probe.stdout.trim() === "true";
}

function assertRefused(
  t: import("ava").ExecutionContext,
  result: { code: number | null; stderr: string; stdout: string },
  flag: string,
): void {
  const lines = result.stderr.split("\n").filter(Boolean);
  t.is(lines.length, 2, result.stderr);
  t.regex(
    lines[0] ?? "",
    new RegExp(
      `^devsecrets: error DS_PERMISSION: node --permission refused .*: add ${flag}; devsecrets needs --allow-fs-read .*--allow-worker .*--allow-child-process`,
    ),
  );
  t.regex(lines[1] ?? "", /^devsecrets: hint: /);
  t.notRegex(result.stderr, /\n\s+at |ERR_ACCESS_DENIED|DS_INTERNAL/);
  t.is(result.code, 1);
  t.is(result.stdout, "");
}

for (const version of NODE_VERSIONS) {
  for (const [preload, args] of Object.entries(PRELOADS)) {
    test(`Node ${version}, ${preload}, --permission with the documented --allow-* flags: the app gets its values`, async (t) => {
      const node = requireNode(version);
      const net = (await hasAllowNet(node)) ? ["--allow-net"] : [];
      const flags = ["--permission", "--allow-fs-read=*", "--allow-child-process", "--allow-worker", ...net];
      const result = await runProcess(node, [...QUIET, ...flags, ...args], {
        cwd: project,
        env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
        timeoutMs: 30_000,
      });
      t.is(result.stderr, "");
      t.is(result.stdout, "app: APP_NAME=hello\n");
      t.is(result.code, 0);
    });
  }

  test(`Node ${version}, -r, --permission without --allow-worker: DS_PERMISSION naming it, no stack`, async (t) => {
    const node = requireNode(version);
    const net = (await hasAllowNet(node)) ? ["--allow-net"] : [];
    const result = await runProcess(node, [...QUIET, "--permission", "--allow-fs-read=*", ...net, ...PRELOADS["-r"]], {
      cwd: project,
      env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
      timeoutMs: 30_000,
    });
    assertRefused(t, result, "--allow-worker");
  });

  test(`Node ${version}, --import, --permission without --allow-child-process and no daemon: DS_PERMISSION naming it`, async (t) => {
    const node = requireNode(version);
    const net = (await hasAllowNet(node)) ? ["--allow-net"] : [];
    const result = await runProcess(
      node,
      [...QUIET, "--permission", "--allow-fs-read=*", ...net, ...PRELOADS["--import"]],
      {
        cwd: idleProject,
        env: idle.env,
        timeoutMs: 30_000,
      },
    );
    assertRefused(t, result, "--allow-child-process");
  });
}

test("Node 26, --import, --permission without --allow-net: DS_PERMISSION naming it", async (t) => {
  const node = requireNode("26.10.0");
  const result = await runProcess(node, [...QUIET, "--permission", "--allow-fs-read=*", ...PRELOADS["--import"]], {
    cwd: project,
    env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
    timeoutMs: 30_000,
  });
  assertRefused(t, result, "--allow-net");
});

test("DEVSECRETS_OPTIONAL=1: a refused -r says DS_PERMISSION and the app starts without the values", async (t) => {
  const node = requireNode("24.21.0");
  const result = await runProcess(node, [...QUIET, "--permission", "--allow-fs-read=*", ...PRELOADS["-r"]], {
    cwd: project,
    env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1", DEVSECRETS_OPTIONAL: "1" },
    timeoutMs: 30_000,
  });
  t.regex(result.stderr, /^devsecrets: error DS_PERMISSION: .*add --allow-worker/);
  t.regex(result.stderr, /continuing without the project's variables/);
  t.is(result.stdout, "app: APP_NAME=undefined\n");
  t.is(result.code, 0);
});

test("the CLI under NODE_OPTIONS=--permission: DS_PERMISSION naming --allow-child-process, not DS_INTERNAL", async (t) => {
  const result = await runProcess(join(REPO_ROOT, "bin", "devsecrets"), ["status"], {
    cwd: idleProject,
    env: { ...idle.env, NODE_OPTIONS: `${QUIET.join(" ")} --permission --allow-fs-read=*` },
    timeoutMs: 30_000,
  });
  t.regex(result.stderr, /^devsecrets: error DS_PERMISSION: node --permission refused .*: add --allow-child-process; /);
  t.notRegex(result.stderr, /\n\s+at |DS_INTERNAL/);
  t.is(result.code, 1);
});
