// Attack: another project's keychain:// values (issue 16, item 5). A repository that claims the victim's git origin,
// or a folder with a devsecrets.env inside the victim's worktree (node_modules/evil/), shares the victim's project id.
// Rule: keychain values resolve only in a project the user trusted (trust is keyed by the root's real path, not the
// id); `ls` answers no "set" for them; `init` and `set` replace an existing value only with --force.

import test from "ava";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";

const ORIGIN = "https://github.com/victim/app.git";
const VALUE = "victim-value-7f3a9c";

let world: World;
let victim: string;

async function git(cwd: string, ...args: string[]): Promise<void> {
  const result = await runProcess("git", args, { cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: "1" } });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
}

test.before(async () => {
  world = makeWorld({ trustAll: false });
  victim = world.project({ "devsecrets.env": "DB_PASSWORD=keychain://db-password\n" }, "victim");
  await git(victim, "init", "-q");
  await git(victim, "remote", "add", "origin", ORIGIN);
  const login = await cli(world, ["login", "--store", "memory"], { cwd: victim });
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  const trust = await cli(world, ["trust", "--yes"], { cwd: victim });
  if (trust.code !== 0) throw new Error(`trust failed: ${trust.stderr}`);
  const set = await cli(world, ["set", "db-password"], { cwd: victim, input: VALUE });
  if (set.code !== 0) throw new Error(`set failed: ${set.stderr}`);
});
test.after.always(() => disposeWorld(world));

test.serial("the victim's own trusted project reads its value", async (t) => {
  const get = await cli(world, ["get", "DB_PASSWORD"], { cwd: victim });
  t.is(get.stdout, VALUE, get.stderr);
});

async function hostileAttempts(t: import("ava").ExecutionContext, hostile: string): Promise<void> {
  const get = await cli(world, ["get", "DB_PASSWORD"], { cwd: hostile });
  t.is(get.code, 1);
  t.false(get.stdout.includes(VALUE));
  t.regex(
    get.stderr,
    /DS_PROJECT_UNTRUSTED: devsecrets\.env:1: keychain:\/\/db-password: the project at .* is not trusted/,
  );
  const env = await cli(world, ["env", "--format", "json"], { cwd: hostile });
  t.is(env.code, 1);
  t.false(env.stdout.includes(VALUE));
  const ls = await cli(world, ["ls", "--json"], { cwd: hostile });
  const listing = JSON.parse(ls.stdout);
  t.is(listing.trusted, false);
  t.is(listing.variables[0].set, null, "ls is no oracle: an untrusted project learns nothing of the keychain");
  // what `devsecrets trust` shows the user before they decide: the id is shared and already holds the item
  const shown = JSON.parse((await cli(world, ["trust", "--json"], { cwd: hostile })).stdout);
  t.like(shown, { trusted: false, keychainItems: 1 });
}

test.serial("a repository that claims the victim's git origin reads nothing of the victim's keychain", async (t) => {
  const hostile = world.project({ "devsecrets.env": "DB_PASSWORD=keychain://db-password\n" }, "clone-of-stranger");
  await git(hostile, "init", "-q");
  await git(hostile, "remote", "add", "origin", "git@github.com:victim/app.git");
  await hostileAttempts(t, hostile);
  const shown = JSON.parse((await cli(world, ["trust", "--json"], { cwd: hostile })).stdout);
  t.is(shown.origin, "github.com/victim/app", "the claimed origin is shown");
});

test.serial("a devsecrets.env in node_modules/evil inside the victim's worktree reads nothing either", async (t) => {
  const evil = join(victim, "node_modules", "evil");
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(evil, "devsecrets.env"), "DB_PASSWORD=keychain://db-password\n");
  await hostileAttempts(t, evil);
});

test.serial("init --from .env inside the victim's worktree does not overwrite the victim's value", async (t) => {
  const evil = join(victim, "node_modules", "evil-init");
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(evil, ".env"), "DB_PASSWORD=attacker-chosen-value\n");
  const init = await cli(world, ["init"], { cwd: evil });
  t.is(init.code, 1);
  t.regex(init.stderr, /DS_KEYCHAIN_EXISTS: keychain:\/\/db-password already holds another value/);
  t.regex(init.stderr, /--force/);
  const get = await cli(world, ["get", "DB_PASSWORD"], { cwd: victim });
  t.is(get.stdout, VALUE, "the victim's value is unchanged");
});

test.serial("set replaces a different value only with --force; the same value again is no replacement", async (t) => {
  const same = await cli(world, ["set", "db-password"], { cwd: victim, input: VALUE });
  t.is(same.code, 0, same.stderr);
  t.regex(same.stderr, /unchanged/);
  const refused = await cli(world, ["set", "db-password"], { cwd: victim, input: "rotated" });
  t.is(refused.code, 1);
  t.regex(refused.stderr, /DS_KEYCHAIN_EXISTS/);
  t.is((await cli(world, ["get", "DB_PASSWORD"], { cwd: victim })).stdout, VALUE);
  const forced = await cli(world, ["set", "db-password", "--force"], { cwd: victim, input: "rotated" });
  t.is(forced.code, 0, forced.stderr);
  t.is((await cli(world, ["get", "DB_PASSWORD"], { cwd: victim })).stdout, "rotated");
});
