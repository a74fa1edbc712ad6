// The persistent project-id cache's refusals (issue 17's cold start): what the fingerprint cannot vouch for always
// asks git. Rule: real git through a wrapper first on PATH that counts its calls; a private state folder of the test's.

import test from "ava";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ID_CACHE_FILE, persistentProjectIds } from "../../../daemon/resolve/project-id-cache.js";

const REAL_PATH = process.env.PATH ?? "/usr/bin:/bin";
const root = realpathSync(mkdtempSync(join(tmpdir(), "ds-pidcache-")));
const log = join(root, "git-calls.log");
const env = { ...process.env, XDG_STATE_HOME: join(root, "state"), HOME: join(root, "home") };
mkdirSync(join(root, "state", "devsecrets"), { recursive: true, mode: 0o700 });
chmodSync(join(root, "state", "devsecrets"), 0o700);
mkdirSync(join(root, "home"));
mkdirSync(join(root, "bin"));
const realGit = REAL_PATH.split(":")
  .map((dir) => join(dir, "git"))
  .find((path) => existsSync(path));
writeFileSync(join(root, "bin", "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
chmodSync(join(root, "bin", "git"), 0o755);
// the daemon's git reads process.env (its minimal environment); this worker is the test's own process
process.env.PATH = `${join(root, "bin")}:${REAL_PATH}`;
process.env.HOME = env.HOME;
delete process.env.XDG_CONFIG_HOME;

test.after.always(() => rmSync(root, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): void {
  execFileSync(realGit as string, args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" }, stdio: "ignore" });
}

function calls(): number {
  return existsSync(log)
    ? readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.includes("remote.origin")).length
    : 0;
}

function idOf(basis: string): string {
  return createHash("sha256").update(basis, "utf8").digest("hex").slice(0, 16);
}

async function twoStarts(project: string): Promise<{ ids: string[]; calls: number }> {
  const before = calls();
  // two daemon lives: each makes its own compute function
  const first = await persistentProjectIds(env)(project);
  await new Promise((r) => setTimeout(r, 100));
  const second = await persistentProjectIds(env)(project);
  return { ids: [first, second], calls: calls() - before };
}

test.serial("a plain repository is kept: the second life asks git nothing", async (t) => {
  const project = join(root, "plain");
  mkdirSync(project);
  git(project, "init", "-q");
  git(project, "remote", "add", "origin", "https://github.com/acme/plain.git");
  const { ids, calls: n } = await twoStarts(project);
  t.deepEqual(ids, [idOf("github.com/acme/plain"), idOf("github.com/acme/plain")]);
  t.is(n, 1);
  const kept = JSON.parse(readFileSync(join(root, "state", "devsecrets", PROJECT_ID_CACHE_FILE), "utf8"));
  t.is(kept.roots[project].id, idOf("github.com/acme/plain"));
});

test.serial("a repository config with [include] is never kept", async (t) => {
  const project = join(root, "include");
  mkdirSync(project);
  git(project, "init", "-q");
  writeFileSync(join(root, "included"), '[remote "origin"]\n\turl = https://github.com/acme/inc.git\n');
  git(project, "config", "include.path", join(root, "included"));
  const { ids, calls: n } = await twoStarts(project);
  t.deepEqual(ids, [idOf("github.com/acme/inc"), idOf("github.com/acme/inc")]);
  t.is(n, 2, "git answered both lives");
});

test.serial("a .git file (a linked worktree) is never kept", async (t) => {
  const main = join(root, "main-repo");
  mkdirSync(main);
  git(main, "init", "-q");
  git(main, "remote", "add", "origin", "https://github.com/acme/wt.git");
  git(main, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x");
  const linked = join(root, "linked");
  git(main, "worktree", "add", "-q", linked);
  const { ids, calls: n } = await twoStarts(linked);
  t.deepEqual(ids, [idOf("github.com/acme/wt"), idOf("github.com/acme/wt")]);
  t.is(n, 2, "git answered both lives");
});

test.serial("a global config that includes another file is never kept", async (t) => {
  const project = join(root, "global-include");
  mkdirSync(project);
  writeFileSync(join(root, "home", ".gitconfig"), `[include]\n\tpath = ${join(root, "nowhere")}\n`);
  t.teardown(() => rmSync(join(root, "home", ".gitconfig")));
  const { ids, calls: n } = await twoStarts(project);
  t.deepEqual(ids, [idOf(project), idOf(project)]);
  t.is(n, 2);
});

test.serial("a state folder that is not private keeps nothing", async (t) => {
  const project = join(root, "open-state");
  mkdirSync(project);
  const openEnv = { ...env, XDG_STATE_HOME: join(root, "open") };
  mkdirSync(join(root, "open", "devsecrets"), { recursive: true });
  chmodSync(join(root, "open", "devsecrets"), 0o755);
  const before = calls();
  await persistentProjectIds(openEnv)(project);
  await new Promise((r) => setTimeout(r, 100));
  t.is(await persistentProjectIds(openEnv)(project), idOf(project));
  t.is(calls() - before, 2);
  t.false(existsSync(join(root, "open", "devsecrets", PROJECT_ID_CACHE_FILE)));
});
