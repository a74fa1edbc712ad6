// `devsecrets completion` (issue 18): the bash script sourced in a real bash completes commands, flags, choices, the
// project's variable names (read locally) and the running daemon's sandbox kinds, and never starts a daemon.

import test from "ava";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { CLI, cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

/** sources `devsecrets completion bash` in a bash without rc files and completes the line `words` (last one partial) */
async function complete(words: string[], cwd: string, env: Record<string, string> = world.env): Promise<string[]> {
  const script = `
eval "$(devsecrets completion bash)"
complete -p devsecrets >/dev/null || exit 9
COMP_WORDS=(devsecrets "$@")
COMP_CWORD=$#
_devsecrets_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await runProcess("bash", ["--norc", "--noprofile", "-c", script, "bash", ...words], {
    cwd,
    env: { ...env, PATH: `${dirname(CLI)}:${env.PATH}` },
  });
  if (result.code !== 0) throw new Error(`bash exited ${result.code}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean);
}

const PROJECT = {
  "devsecrets.env": "API_KEY=sandbox://stripe/secret-key\nDATABASE_URL=postgres://localhost/app\nPORT=3000\n",
  "devsecrets.staging.env": "STAGING_ONLY=1\n",
};

test("commands and flags, narrowed by what is typed", async (t) => {
  const project = world.project(PROJECT);
  const top = await complete([""], project);
  for (const command of ["login", "run", "get", "sandbox", "completion", "version", "--verbose", "--help"])
    t.true(top.includes(command), command);
  t.deepEqual(await complete(["lo"], project), ["login", "logout"]);
  t.deepEqual(await complete(["run", "--ov"], project), ["--override"]);
  t.deepEqual(await complete(["sandbox", ""], project).then((c) => c.filter((w) => !w.startsWith("-"))), [
    "mint",
    "kinds",
    "jwks",
    "services",
    "rotate",
  ]);
});

test("an option's choices, the project's overlays and its variable names", async (t) => {
  const project = world.project(PROJECT);
  t.deepEqual((await complete(["env", "--format", ""], project)).sort(), ["dotenv", "fish", "json", "sh"]);
  t.deepEqual(await complete(["ls", "--env", ""], project), ["staging"]);
  t.deepEqual(
    (await complete(["get", ""], project)).filter((w) => !w.startsWith("-")),
    ["API_KEY", "DATABASE_URL", "PORT", "STAGING_ONLY"],
  );
  t.deepEqual(await complete(["get", "DA"], project), ["DATABASE_URL"]);
  t.deepEqual(await complete(["shim", "path", ""], project).then((c) => c.filter((w) => !w.startsWith("-"))), [
    "node",
    "python",
    "go",
  ]);
  // the child's words are the shell's to complete
  t.deepEqual(await complete(["run", "--", "n"], project), []);
});

test("sandbox kinds come from a running daemon; with none, nothing is started", async (t) => {
  const project = world.project(PROJECT);
  await cli(world, ["status"], { cwd: project });
  t.true((await complete(["sandbox", "mint", "stripe/"], project)).includes("stripe/secret-key"));
  const empty = makeWorld();
  try {
    const quiet = empty.project(PROJECT);
    t.deepEqual(await complete(["sandbox", "mint", "stripe/"], quiet, empty.env), []);
    t.deepEqual(await complete(["get", "P"], quiet, empty.env), ["PORT"]);
    t.false(existsSync(empty.socket), "completion started no daemon");
  } finally {
    await empty.cleanup();
  }
});

test("zsh and fish scripts call the same candidates; an unknown shell is DS_USAGE", async (t) => {
  for (const shell of ["zsh", "fish"]) {
    const script = await cli(world, ["completion", shell]);
    t.is(script.code, 0);
    t.regex(script.stdout, /devsecrets completion --complete -- /);
  }
  const bad = await cli(world, ["completion", "tcsh"]);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /DS_USAGE: completion needs one shell: bash, zsh, fish/);
});
