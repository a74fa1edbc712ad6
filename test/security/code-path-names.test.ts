// Attack: an untrusted project's devsecrets.env sets names the dangerous-names table missed, and the tools a developer
// runs next in that shell run the project's code: npm (lower-case npm_config_script_shell: npm reads its settings in
// any case), git (core.fsmonitor from $XDG_CONFIG_HOME/git/config on `git status`), python (a .pth file under
// $PYTHONUSERBASE), zsh ($ZDOTDIR/.zshenv), less ($LESSOPEN). Rule: a real daemon, no DEVSECRETS_TRUST_ALL; each
// detector is shown to fire once the project is trusted, so the test cannot pass by accident.

import test from "ava";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dangerousName } from "../../common/dangerous-names.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, CLI, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld({ trustAll: false });
});
test.after.always(() => disposeWorld(world));

/** the tools this attack needs, by absolute path (pyenv's shims need the real HOME, the world has its own) */
function tool(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`this test needs ${command} on PATH: ${(error as Error).message}`);
  }
}

const TOOLS = ["npm", "git", "python3", "zsh", "less"] as const;

function hostile(root: string, marks: string) {
  const mark = (name: string) => join(marks, name);
  const python = tool("python3", ["-c", "import sys; print(sys.executable)"]);
  const version = tool(python, ["-c", "import sys; print(f'python{sys.version_info[0]}.{sys.version_info[1]}')"]);
  const project = world.project({
    "devsecrets.env": [
      "SAFE=kept",
      `npm_config_script_shell=${join(root, "evil.sh")}`,
      `XDG_CONFIG_HOME=${join(root, "cfg")}`,
      `PYTHONUSERBASE=${join(root, "pyub")}`,
      `ZDOTDIR=${join(root, "zd")}`,
      `LESSOPEN=|touch ${mark("less")}; echo %s`,
      "",
    ].join("\n"),
  });
  writeFileSync(join(root, "evil.sh"), `#!/bin/sh\ntouch ${mark("npm")}\nexec /bin/sh "$@"\n`);
  chmodSync(join(root, "evil.sh"), 0o755);
  writeFileSync(join(project, "package.json"), '{"name":"x","version":"1.0.0","scripts":{"t":"true"}}\n');
  mkdirSync(join(root, "cfg", "git"), { recursive: true });
  writeFileSync(join(root, "cfg", "git", "config"), `[core]\n\tfsmonitor = touch ${mark("git")}; false\n`);
  const site = join(root, "pyub", "lib", version, "site-packages");
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, "evil.pth"), `import os; open(${JSON.stringify(mark("python"))}, "w")\n`);
  mkdirSync(join(root, "zd"));
  writeFileSync(join(root, "zd", ".zshenv"), `touch ${mark("zsh")}\n`);
  writeFileSync(join(project, "f.txt"), "hi\n");
  execFileSync("git", ["init", "-q", project]);
  return { project, python };
}

/** the world's environment without XDG_CONFIG_HOME: most users have none, so the project's would not be overridden */
function userEnv(): Record<string, string> {
  const env: Record<string, string> = { ...world.env };
  delete env.XDG_CONFIG_HOME;
  return env;
}

/** eval "$(devsecrets env --format sh)" in a bash, then each tool */
async function evalThenTools(project: string, python: string) {
  const env = userEnv();
  const script = [
    `eval "$(${CLI} env --format sh)"`,
    "npm run -s t",
    "git status >/dev/null 2>&1",
    `${python} -c 0`,
    "zsh -c true",
    "less f.txt </dev/null >/dev/null",
    'printf "SAFE=%s\\n" "$SAFE"',
  ].join("\n");
  return runProcess("bash", ["--norc", "--noprofile", "-c", script], { cwd: project, env });
}

test("an untrusted project's npm_config_*, XDG_CONFIG_HOME, PYTHONUSERBASE, ZDOTDIR and LESSOPEN run nothing after eval of env", async (t) => {
  for (const command of TOOLS) tool("sh", ["-c", `command -v ${command}`]);
  const root = join(world.root, "attack");
  const marks = join(root, "marks");
  mkdirSync(marks, { recursive: true });
  const { project, python } = hostile(root, marks);
  const printed = await runProcess(CLI, ["env", "--format", "sh"], { cwd: project, env: userEnv() });
  t.is(printed.code, 0, printed.stderr);
  for (const name of ["npm_config_script_shell", "XDG_CONFIG_HOME", "PYTHONUSERBASE", "ZDOTDIR", "LESSOPEN"]) {
    t.false(printed.stdout.includes(`${name}=`), `${name} was exported`);
    t.regex(printed.stderr, new RegExp(`${name} \\(devsecrets\\.env:\\d\\) withheld`), name);
  }
  const untrusted = await evalThenTools(project, python);
  t.regex(untrusted.stdout, /SAFE=kept/, untrusted.stderr);
  for (const name of ["npm", "git", "python", "zsh", "less"]) t.false(existsSync(join(marks, name)), `${name} ran`);

  // once trusted the same names arrive and every detector fires
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  const trusted = await evalThenTools(project, python);
  for (const name of ["npm", "git", "python", "zsh", "less"])
    t.true(existsSync(join(marks, name)), `${name} should run once trusted: ${trusted.stderr.slice(-400)}`);
});

test("npm_config_* is dangerous in any case, as npm reads it", (t) => {
  for (const name of ["NPM_CONFIG_SCRIPT_SHELL", "npm_config_script_shell", "Npm_Config_Node_Options"])
    t.truthy(dangerousName(name), name);
  t.falsy(dangerousName("npm_configuration"));
  t.falsy(dangerousName("home"), "only npm's prefix ignores case");
});

test("zsh's PROMPT (prompt_subst) and fish's fish_function_path of an untrusted project run nothing in the user's shell", async (t) => {
  for (const command of ["zsh", "fish"]) tool("sh", ["-c", `command -v ${command}`]);
  const root = join(world.root, "shells");
  const marks = join(root, "marks");
  mkdirSync(join(root, "functions"), { recursive: true });
  mkdirSync(marks);
  const mark = (name: string) => join(marks, name);
  writeFileSync(join(root, "functions", "ls.fish"), `function ls; touch ${mark("fish")}; end\n`);
  const project = world.project(
    {
      "devsecrets.env": [
        "SAFE=kept",
        `PROMPT='$(touch ${mark("zsh")})> '`,
        `fish_function_path=${join(root, "functions")}`,
        "",
      ].join("\n"),
    },
    "shells-project",
  );
  const fishScript = `${CLI} env --format fish | source\nls >/dev/null\necho "SAFE=$SAFE"\nexit\n`;
  const shells = () =>
    Promise.all([
      // oh-my-zsh and most prompt themes turn prompt_subst on
      runProcess("zsh", ["-f", "-i"], {
        cwd: project,
        env: world.env,
        input: `setopt prompt_subst\neval "$(${CLI} env --format sh)"\necho "SAFE=$SAFE"\nexit\n`,
      }),
      // fish cannot read a script from Node's stdio (a socketpair): a real pipe through sh
      runProcess("sh", ["-c", 'printf "%s" "$1" | fish --no-config -i', "sh", fishScript], {
        cwd: project,
        env: world.env,
      }),
    ]);
  const [zsh, fish] = await shells();
  t.regex(zsh.stdout, /SAFE=kept/, zsh.stderr);
  t.regex(fish.stdout, /SAFE=kept/, fish.stderr);
  t.false(existsSync(mark("zsh")), "zsh's PROMPT ran a command");
  t.false(existsSync(mark("fish")), "fish autoloaded a function from the project's fish_function_path");

  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  const [zshTrusted, fishTrusted] = await shells();
  t.true(existsSync(mark("zsh")), `zsh's PROMPT should run once trusted: ${zshTrusted.stderr.slice(-300)}`);
  t.true(existsSync(mark("fish")), `fish's function should run once trusted: ${fishTrusted.stderr.slice(-300)}`);
});
