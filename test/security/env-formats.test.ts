// Attack: a project's value that runs code when the user sources `devsecrets env --format dotenv` in sh (issue 16, item 4).
// Rule: every format's output is inert in the shell it is meant for; what cannot be written inertly is refused by name.

import test from "ava";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

/** a value that runs `touch MARK` if any shell expands it */
const hostile = (mark: string) => `$(touch ${mark}) \`touch ${mark}\` "\\$(touch ${mark})" \\ end`;

async function printed(format: string, value: string) {
  const project = world.project({ "devsecrets.env": "HOSTILE=env://HOSTILE_SOURCE\n" });
  return cli(world, ["env", "--format", format], { cwd: project, env: { HOSTILE_SOURCE: value } });
}

test("dotenv output sourced by sh runs nothing and gives the value back", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-dotenv-"));
  try {
    const mark = join(dir, "ran");
    const value = hostile(mark);
    const out = await printed("dotenv", value);
    t.is(out.code, 0, out.stderr);
    writeFileSync(join(dir, "file.env"), out.stdout);
    const sourced = await runProcess("sh", ["-c", '. "$1"; printf %s "$HOSTILE"', "sh", join(dir, "file.env")], {
      env: { PATH: process.env.PATH ?? "" },
    });
    t.false(existsSync(mark), "sourcing the dotenv output ran a command");
    t.is(sourced.stdout, value);
    const dotenv = await import("dotenv");
    t.is(dotenv.parse(out.stdout).HOSTILE, value);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a single quote beside shell syntax is refused for dotenv by name, with the formats that work", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-dotenv-"));
  try {
    const out = await printed("dotenv", `it's ${hostile(join(dir, "ran"))}`);
    t.is(out.code, 1);
    t.is(out.stdout, "", "nothing half-written to stdout");
    t.regex(out.stderr, /DS_FORMAT_UNSAFE: HOSTILE's value holds both a single quote/);
    t.regex(out.stderr, /--format sh/);
    t.notRegex(out.stderr, /touch/, "the value is never quoted in the error");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a value with a single quote and nothing else a shell expands stays dotenv, in double quotes", async (t) => {
  const out = await printed("dotenv", "it's plain, isn't it");
  t.is(out.code, 0, out.stderr);
  t.is(out.stdout, `HOSTILE="it's plain, isn't it"\n`);
  const sourced = await runProcess("sh", ["-c", 'eval "$1"; printf %s "$HOSTILE"', "sh", out.stdout]);
  t.is(sourced.stdout, "it's plain, isn't it");
});

test("sh and fish output of a hostile value is inert under eval and source", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-eval-"));
  try {
    const mark = join(dir, "ran");
    const sh = await printed("sh", `it's ${hostile(mark)}`);
    const evaluated = await runProcess("bash", ["-c", 'eval "$1"; printf %s "$HOSTILE"', "bash", sh.stdout]);
    t.false(existsSync(mark));
    t.is(evaluated.stdout, `it's ${hostile(mark)}`);
    const fish = await printed("fish", `it's ${hostile(mark)}`);
    t.regex(fish.stdout, /^set -gx HOSTILE '/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
