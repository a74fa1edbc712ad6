// `devsecrets completion` (issue 18): the bash, zsh and fish scripts, each loaded in the real shell, complete commands,
// flags, choices, the project's variable names (read locally) and the running daemon's sandbox kinds, and never start a
// daemon. bash is asked through compgen; zsh through its completion system in a pseudo-terminal (zpty), with compinit
// as a user's ~/.zshrc runs it; fish through `complete -C`. The shells come from apt (zsh, fish; .ci/run installs them).

import test from "ava";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

/**
 * zsh -f HARNESS SETUP WORDS...: types `devsecrets WORDS<TAB>` into an interactive zsh in a pseudo-terminal (zpty) that
 * sourced SETUP, and prints the candidates the completion offered, one a line; exit 7 when the completion never ran
 * (the inner shell refused the script and exited)
 */
const ZSH_HARNESS = `zmodload zsh/zpty || exit 8
setup=$1; shift
zpty z zsh -f -i
zpty -w z "source \${(q)setup}"
zpty -w -n z "devsecrets \${(j: :)@}"$'\\t'
out=
while zpty -r z chunk; do
  out+=$chunk
  [[ $out == *DONE:* ]] && break
done
zpty -d z
[[ $out == *DONE:* ]] || exit 7
for line in \${(f)out}; do
  line=\${line%$'\\r'}
  [[ $line == HIT:* ]] && print -r -- \${line#HIT:}
done
exit 0
`;

/** what the pty's zsh sources: compinit, the script under test, and a compadd that also prints the matches it adds */
const zshSetup = (script: string) => `PS1= RPS1=
unset zle_bracketed_paste
autoload -Uz compinit && compinit -u -D
source ${JSON.stringify(script)} || exit 9
# registered for devsecrets, as compinit's table shows it
[[ $_comps[devsecrets] == _devsecrets_complete ]] || exit 9
compadd() {
  local -a hits
  builtin compadd -O hits "$@"
  local hit
  for hit in $hits; do print -r -- $'\\n'"HIT:$hit"; done
  builtin compadd "$@"
}
_ds_done() { print -r -- $'\\n'"DONE:"; }
comppostfuncs=(_ds_done)
`;

/** the script of `devsecrets completion SHELL`, saved in the world (edited first by `edit`, for the broken-script checks) */
async function savedScript(shell: "zsh" | "fish", edit: (script: string) => string = (script) => script) {
  const printed = await cli(world, ["completion", shell]);
  if (printed.code !== 0) throw new Error(`completion ${shell} exited ${printed.code}: ${printed.stderr}`);
  const path = join(world.root, `completion-${shell}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, edit(printed.stdout));
  return path;
}

/** zsh's candidates for the line `devsecrets WORDS` (the last word partial), with the script at `script` loaded */
async function completeZsh(words: string[], cwd: string, script: string): Promise<string[]> {
  const harness = join(world.root, "zsh-harness.zsh");
  const setup = `${script}.setup.zsh`;
  writeFileSync(harness, ZSH_HARNESS);
  writeFileSync(setup, zshSetup(script));
  const result = await runProcess("zsh", ["-f", harness, setup, ...words], {
    cwd,
    env: { ...world.env, PATH: `${dirname(CLI)}:${world.env.PATH}`, TERM: "xterm" },
    timeoutMs: 60_000,
  }).catch((error: Error) => {
    throw new Error(`zsh is needed (apt-get install zsh): ${error.message}`);
  });
  if (result.code !== 0) throw new Error(`the zsh harness exited ${result.code ?? result.signal}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean);
}

/** fish's candidates for the line `devsecrets WORDS` (the last word partial), with the script at `script` sourced */
async function completeFish(words: string[], cwd: string, script: string): Promise<string[]> {
  const result = await runProcess(
    "fish",
    ["--no-config", "-c", "source $argv[1]; or exit 9; complete -C $argv[2]", script, `devsecrets ${words.join(" ")}`],
    { cwd, env: { ...world.env, PATH: `${dirname(CLI)}:${world.env.PATH}` }, timeoutMs: 60_000 },
  ).catch((error: Error) => {
    throw new Error(`fish is needed (apt-get install fish): ${error.message}`);
  });
  if (result.code !== 0) throw new Error(`fish exited ${result.code ?? result.signal}: ${result.stderr}`);
  // `complete -C` prints candidate<TAB>description; ours have none
  return result.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t")[0] as string);
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

for (const shell of ["zsh", "fish"] as const) {
  const complete = shell === "zsh" ? completeZsh : completeFish;
  test(`${shell}: the script loaded in a real ${shell} completes commands, flags, choices, names and kinds`, async (t) => {
    const project = world.project(PROJECT);
    const script = await savedScript(shell);
    const sorted = async (words: string[]) => (await complete(words, project, script)).sort();
    const top = await sorted([""]);
    for (const command of ["login", "run", "get", "sandbox", "completion", "version", "--verbose", "--help"])
      t.true(top.includes(command), command);
    t.deepEqual(await sorted(["lo"]), ["login", "logout"]);
    t.deepEqual(await sorted(["run", "--ov"]), ["--override"]);
    t.deepEqual(await sorted(["env", "--format", ""]), ["dotenv", "fish", "json", "sh"]);
    t.deepEqual(await sorted(["ls", "--env", ""]), ["staging"]);
    t.deepEqual(
      (await sorted(["get", ""])).filter((w) => !w.startsWith("-")),
      ["API_KEY", "DATABASE_URL", "PORT", "STAGING_ONLY"],
    );
    t.deepEqual(await sorted(["get", "DA"]), ["DATABASE_URL"]);
    await cli(world, ["status"], { cwd: project });
    t.true((await sorted(["sandbox", "mint", "stripe/"])).includes("stripe/secret-key"));
    // what devsecrets does not complete (the child's words after --) falls to the shell's own: files, as bash's -o default
    writeFileSync(join(project, "serve.sh"), "");
    t.deepEqual([...new Set(await sorted(["run", "--", "se"]))], ["serve.sh"]);
  });

  test(`${shell}: a broken script completes nothing, so the checks above can fail`, async (t) => {
    const project = world.project(PROJECT);
    // the call back into the CLI gone (a typo in the command), and the registration gone
    const noCall = await savedScript(shell, (script) =>
      script.replace("completion --complete", "completion --compleet"),
    );
    t.deepEqual(await complete(["lo"], project, noCall), []);
    const unregistered = await savedScript(shell, (script) =>
      script.replace(/^compdef .*$/m, "").replace(/^complete -c .*$/m, ""),
    );
    if (shell === "zsh") await t.throwsAsync(complete(["lo"], project, unregistered), { message: /exited 7/ });
    else t.deepEqual(await complete(["lo"], project, unregistered), []);
  });
}

test("an unknown shell is DS_USAGE", async (t) => {
  const bad = await cli(world, ["completion", "tcsh"]);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /DS_USAGE: completion needs one shell: bash, zsh, fish/);
});
