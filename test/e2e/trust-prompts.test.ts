// The questions `trust` and `set` ask on a terminal (issue 16): y/N before trusting a project, y/N before replacing a
// keychain value; anything but y or yes is a no (exit 130). Rule: the real CLI under a real pty (node-pty).

import test from "ava";
import nodePty from "@lydell/node-pty";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, CLI, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(async () => {
  world = makeWorld({ trustAll: false });
  const login = await cli(world, ["login", "--store", "memory"]);
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
});
test.after.always(() => disposeWorld(world));

/** runs the CLI under a pty; `answer(prompt, text)` types text once the output matches prompt */
function underPty(args: string[], cwd: string) {
  const pty = nodePty.spawn(CLI, args, { cwd, env: { ...world.env, TERM: "xterm-256color" }, cols: 200, rows: 40 });
  let output = "";
  pty.onData((data) => (output += data));
  const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    output: () => output,
    exited,
    async answer(prompt: RegExp, text: string) {
      await waitFor(
        () => prompt.test(output),
        20_000,
        `the prompt ${prompt} (output so far: ${JSON.stringify(output)})`,
      );
      const seen = output.length;
      pty.write(text);
      return seen;
    },
  };
}

test.serial("trust asks y/N on a terminal: no keeps the project untrusted (exit 130), y trusts it", async (t) => {
  const project = world.project({ "devsecrets.env": "K=keychain://k\nLD_PRELOAD=/x.so\n" });
  const refused = underPty(["trust"], project);
  await refused.answer(/\[y\/N\] /, "n\r");
  t.is(await refused.exited, 130);
  t.regex(refused.output(), /\+ devsecrets\.env:1 K=keychain:\/\/k/, "the listing is shown before the question");
  t.regex(refused.output(), /\+ devsecrets\.env:2 LD_PRELOAD=\/x\.so/);
  t.false(JSON.parse((await cli(world, ["trust", "--json"], { cwd: project })).stdout).trusted);
  const empty = underPty(["trust"], project);
  await empty.answer(/\[y\/N\] /, "\r");
  t.is(await empty.exited, 130, "Enter alone is a no");
  const accepted = underPty(["trust"], project);
  await accepted.answer(/\[y\/N\] /, "y\r");
  t.is(await accepted.exited, 0, accepted.output());
  t.true(JSON.parse((await cli(world, ["trust", "--json"], { cwd: project })).stdout).trusted);
});

test.serial("set on a terminal asks before replacing a different value; no keeps it, yes replaces it", async (t) => {
  const project = world.project({ "devsecrets.env": "K=keychain://k\n" });
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  t.is((await cli(world, ["set", "k"], { cwd: project, input: "first" })).code, 0);
  const kept = underPty(["set", "k"], project);
  await kept.answer(/\(not shown\): /, "second\r");
  await kept.answer(/already holds another value for this project; replace it\? \[y\/N\] /, "n\r");
  t.is(await kept.exited, 130);
  t.false(kept.output().includes("second"), "the typed value is not echoed");
  t.is((await cli(world, ["get", "K"], { cwd: project })).stdout, "first");
  const replaced = underPty(["set", "k"], project);
  await replaced.answer(/\(not shown\): /, "second\r");
  await replaced.answer(/replace it\? \[y\/N\] /, "yes\r");
  t.is(await replaced.exited, 0, replaced.output());
  t.is((await cli(world, ["get", "K"], { cwd: project })).stdout, "second");
});
