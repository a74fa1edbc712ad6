// The project-id cache across daemon starts (issue 17, cold start): a second start answers a git project without a
// `git config` process, and never with a stale id. Real git, real daemons; the daemon's git is a wrapper first on its
// PATH that logs each call and runs the real git.

import test from "ava";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";

const REAL_PATH = process.env.PATH ?? "/usr/bin:/bin";

interface GitWorld {
  world: World;
  log: string;
  cacheFile: string;
}

function gitWorld(): GitWorld {
  const world = makeWorld();
  const bin = join(world.root, "bin");
  const log = join(world.root, "git-calls.log");
  mkdirSync(bin);
  const realGit = REAL_PATH.split(":")
    .map((dir) => join(dir, "git"))
    .find((path) => existsSync(path));
  if (realGit === undefined) throw new Error("these tests need git on PATH");
  writeFileSync(join(bin, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(bin, "git"), 0o755);
  world.env.PATH = `${bin}:${REAL_PATH}`;
  return { world, log, cacheFile: join(world.env.XDG_STATE_HOME as string, "devsecrets", "project-ids.json") };
}

async function git(w: GitWorld, cwd: string, ...args: string[]): Promise<void> {
  const result = await runProcess("git", args, { cwd, env: { ...w.world.env, PATH: REAL_PATH } });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
}

function idOf(basis: string): string {
  return createHash("sha256").update(basis, "utf8").digest("hex").slice(0, 16);
}

async function projectIdShown(w: GitWorld, cwd: string): Promise<string> {
  const shown = await cli(w.world, ["trust", "--json"], { cwd });
  if (shown.code !== 0) throw new Error(`trust --json failed: ${shown.stderr}`);
  return JSON.parse(shown.stdout).projectId;
}

async function resolveOnce(w: GitWorld, cwd: string): Promise<void> {
  const env = await cli(w.world, ["env", "--format", "json"], { cwd });
  if (env.code !== 0) throw new Error(`env failed: ${env.stderr}`);
}

/** waits until the cache file holds `root` (the daemon writes it after its answer), then stops the daemon */
async function stopWhenKept(w: GitWorld, root: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!existsSync(w.cacheFile) || !readFileSync(w.cacheFile, "utf8").includes(JSON.stringify(root))) {
    if (Date.now() > deadline) throw new Error(`the cache never kept ${root}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop(w);
}

async function stop(w: GitWorld): Promise<void> {
  const stopped = await cli(w.world, ["daemon", "stop"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
  if (stopped.code !== 0) throw new Error(`daemon stop failed: ${stopped.stderr}`);
}

function originCalls(w: GitWorld): number {
  if (!existsSync(w.log)) return 0;
  return readFileSync(w.log, "utf8")
    .split("\n")
    .filter((line) => line.includes("remote.origin.url")).length;
}

test("a second daemon start resolves a git project without spawning git; the id is the origin's", async (t) => {
  const w = gitWorld();
  t.teardown(() => disposeWorld(w.world));
  const project = realpathSync(w.world.project({ "devsecrets.env": "A=plain\n" }, "app"));
  await git(w, project, "init", "-q");
  await git(w, project, "remote", "add", "origin", "git@github.com:acme/app.git");
  await resolveOnce(w, project);
  t.true(originCalls(w) >= 1, "the first start asks git");
  await stopWhenKept(w, project);
  const info = statSync(w.cacheFile);
  t.is(info.mode & 0o777, 0o600);
  rmSync(w.log);
  await resolveOnce(w, project);
  t.is(originCalls(w), 0, "the second start's resolve asked git nothing");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/app"));
});

test("git remote set-url between two starts gives the new id, never the kept one", async (t) => {
  const w = gitWorld();
  t.teardown(() => disposeWorld(w.world));
  const project = realpathSync(w.world.project({ "devsecrets.env": "A=plain\n" }, "app"));
  await git(w, project, "init", "-q");
  await git(w, project, "remote", "add", "origin", "https://github.com/acme/old.git");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/old"));
  await stopWhenKept(w, project);
  await git(w, project, "remote", "set-url", "origin", "https://github.com/acme/new.git");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/new"));
  await stopWhenKept(w, project);
  // the same length of URL, written within the same second: the config's text decides, not its size or mtime
  await git(w, project, "remote", "set-url", "origin", "https://github.com/acme/neu.git");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/neu"));
});

test("a project moved into a repository (git init in a parent) gets the repository's id", async (t) => {
  const w = gitWorld();
  t.teardown(() => disposeWorld(w.world));
  const outer = join(w.world.root, "outer");
  mkdirSync(outer);
  const project = realpathSync(w.world.project({ "devsecrets.env": "A=plain\n" }, join("outer", "inner")));
  t.is(await projectIdShown(w, project), idOf(project));
  await stopWhenKept(w, project);
  await git(w, outer, "init", "-q");
  await git(w, outer, "remote", "add", "origin", "ssh://git@github.com/acme/mono");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/mono"));
});

test("a garbage or unreadable cache file is ignored and the id still comes from git", async (t) => {
  const w = gitWorld();
  t.teardown(() => disposeWorld(w.world));
  const project = realpathSync(w.world.project({ "devsecrets.env": "A=plain\n" }, "app"));
  await git(w, project, "init", "-q");
  await git(w, project, "remote", "add", "origin", "https://github.com/acme/app.git");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/app"));
  await stopWhenKept(w, project);
  // a kept entry with a wrong id but garbage around it: not JSON, so nothing is served from it
  const fake = readFileSync(w.cacheFile, "utf8").replace(/"id":"[0-9a-f]{16}"/, '"id":"0000000000000000"');
  writeFileSync(w.cacheFile, `${fake}\u0000garbage{`, { mode: 0o600 });
  rmSync(w.log, { force: true });
  await resolveOnce(w, project);
  t.true(originCalls(w) >= 1, "git was asked");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/app"));
  await stopWhenKept(w, project);
  // unreadable: a folder where the file should be
  rmSync(w.cacheFile);
  mkdirSync(w.cacheFile);
  rmSync(w.log, { force: true });
  await resolveOnce(w, project);
  t.true(originCalls(w) >= 1, "git was asked");
  t.is(await projectIdShown(w, project), idOf("github.com/acme/app"));
  await stop(w);
});
