// The pre-commit hook in a real repository: `git commit` of a staged leak is blocked, an existing hook still runs, uninstall restores it.
// Rule: git runs the hook exactly as it would for a user (no PATH to devsecrets needed).

import test from "ava";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { checksummedToken } from "../../daemon/sandbox/random.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

async function git(dir: string, ...args: string[]) {
  // PATH without devsecrets: the hook must name node and the CLI by absolute path
  return runProcess("git", args, { cwd: dir, env: { ...world.env, PATH: "/usr/local/bin:/usr/bin:/bin" } });
}

async function repo(): Promise<string> {
  const dir = world.project({ "README.md": "hello\n" });
  await git(dir, "init", "-q");
  await git(dir, "config", "user.email", "t@example.com");
  await git(dir, "config", "user.name", "t");
  return dir;
}

const USER_HOOK = '#!/bin/sh\necho "user hook ran" >> "$(git rev-parse --git-dir)/user-hook.log"\n';

test("the hook blocks a staged leak, lets a clean commit through, runs the user's hook first; uninstall restores it byte for byte", async (t) => {
  const dir = await repo();
  const hookPath = join(dir, ".git", "hooks", "pre-commit");
  writeFileSync(hookPath, USER_HOOK);
  chmodSync(hookPath, 0o750);

  const install = await cli(world, ["hook", "install"], { cwd: dir });
  t.is(install.code, 0, install.stderr);
  t.regex(install.stderr, /your previous hook runs first/);
  t.regex(install.stderr, /git commit --no-verify/);
  t.regex(readFileSync(hookPath, "utf8"), /git commit --no-verify/);

  const clean = await git(dir, "add", "README.md");
  t.is(clean.code, 0);
  const ok = await git(dir, "commit", "-qm", "clean");
  t.is(ok.code, 0, ok.stderr);

  const token = checksummedToken("ghp_");
  writeFileSync(join(dir, "deploy.sh"), `curl -H "Authorization: token ${token}" https://api.github.com\n`);
  await git(dir, "add", "deploy.sh");
  const blocked = await git(dir, "commit", "-qm", "leak");
  t.not(blocked.code, 0);
  t.regex(blocked.stdout + blocked.stderr, /deploy\.sh:1:\d+ {2}devsecrets\/github-token/);
  t.regex(blocked.stderr, /commit blocked.*git commit --no-verify/);
  t.false((blocked.stdout + blocked.stderr).includes(token));
  t.is(
    readFileSync(join(dir, ".git", "user-hook.log"), "utf8"),
    "user hook ran\nuser hook ran\n",
    "the user's hook ran before each commit",
  );
  const log = await git(dir, "log", "--oneline");
  t.is(log.stdout.trim().split("\n").length, 1, "the leak was not committed");

  const uninstall = await cli(world, ["hook", "uninstall"], { cwd: dir });
  t.is(uninstall.code, 0, uninstall.stderr);
  t.is(readFileSync(hookPath, "utf8"), USER_HOOK);
  t.is(statSync(hookPath).mode & 0o777, 0o750);
  t.false(existsSync(`${hookPath}.devsecrets-chained`));
});

test("core.hooksPath is respected; without an earlier hook, uninstall leaves no hook; install twice is harmless", async (t) => {
  const dir = await repo();
  mkdirSync(join(dir, "githooks"));
  await git(dir, "config", "core.hooksPath", "githooks");
  t.is((await cli(world, ["hook", "install"], { cwd: dir })).code, 0);
  const again = await cli(world, ["hook", "install", "--json"], { cwd: dir });
  t.like(JSON.parse(again.stdout), { chained: false, changed: false });
  t.true(existsSync(join(dir, "githooks", "pre-commit")));
  t.false(existsSync(join(dir, ".git", "hooks", "pre-commit")));
  writeFileSync(join(dir, "k.txt"), `token=${checksummedToken("ghp_")}\n`);
  await git(dir, "add", "k.txt");
  t.not((await git(dir, "commit", "-qm", "leak")).code, 0);
  t.is((await cli(world, ["hook", "uninstall"], { cwd: dir })).code, 0);
  t.false(existsSync(join(dir, "githooks", "pre-commit")));
  t.is((await git(dir, "commit", "-qm", "now allowed")).code, 0);
});

test("hook uninstall leaves a hook devsecrets did not write alone", async (t) => {
  const dir = await repo();
  const hookPath = join(dir, ".git", "hooks", "pre-commit");
  writeFileSync(hookPath, USER_HOOK, { mode: 0o755 });
  const r = await cli(world, ["hook", "uninstall"], { cwd: dir });
  t.is(r.code, 0);
  t.regex(r.stderr, /nothing changed/);
  t.is(readFileSync(hookPath, "utf8"), USER_HOOK);
});
