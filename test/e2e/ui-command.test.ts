// `devsecrets ui` as a user runs it (issue 20): on a terminal it prints the address and opens it with xdg-open;
// with --no-open, or when stdout is not a terminal, it only prints. Rule: the real CLI, under a real pty (node-pty),
// with a recording xdg-open first on PATH; `events` prints readable lines without --json.

import test from "ava";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import nodePty from "@lydell/node-pty";
import { disposeWorld } from "../helpers/daemon-process.js";
import { CLI, cli, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";

let world: World;
let opened: string;
let env: Record<string, string>;
test.before(() => {
  world = makeWorld();
  const bin = join(world.root, "bin");
  opened = join(world.root, "opened.txt");
  world.project({}, "bin");
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
  chmodSync(join(bin, "xdg-open"), 0o755);
  env = { ...world.env, PATH: `${bin}:${world.env.PATH}`, TERM: "xterm-256color" };
});
test.after.always(() => disposeWorld(world));

function underPty(args: string[]): Promise<{ code: number; output: string }> {
  const pty = nodePty.spawn(CLI, args, { cwd: world.root, env, cols: 200, rows: 40 });
  let output = "";
  pty.onData((data) => (output += data));
  return new Promise((resolve) => pty.onExit(({ exitCode }) => resolve({ code: exitCode, output })));
}

test.serial("on a terminal `ui` prints the address and opens it; --no-open and a pipe only print it", async (t) => {
  const piped = await cli(world, ["ui"], { env: { PATH: env.PATH as string } });
  t.is(piped.code, 0, piped.stderr);
  t.regex(piped.stdout, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}\n$/);
  t.regex(piped.stderr, /works once, within 60 seconds/);
  t.false(existsSync(opened), "a pipe is not a person: nothing opened");
  const quiet = await underPty(["ui", "--no-open"]);
  t.is(quiet.code, 0, quiet.output);
  t.false(existsSync(opened), "--no-open opens nothing");
  const shown = await underPty(["ui"]);
  t.is(shown.code, 0, shown.output);
  const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}/.exec(shown.output)?.[0];
  t.truthy(url, shown.output);
  await waitFor(() => existsSync(opened), 10_000, "xdg-open to be run");
  t.is(readFileSync(opened, "utf8"), `${url}\n`, "the printed address, and only it, was opened");
  t.is((await cli(world, ["ui", "--stop"])).stderr, "devsecrets: the dashboard is closed\n");
  t.is((await cli(world, ["ui", "--stop"])).stderr, "devsecrets: the dashboard was not open\n");
});

test.serial("`events` without --json prints one readable line an event", async (t) => {
  const project = world.project({ "devsecrets.env": "KEY=sandbox://stripe/secret-key\n" }, "readable");
  t.is((await cli(world, ["login", "--store", "memory"])).code, 0);
  const child = spawn(CLI, ["events"], { env: world.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  const exited = new Promise((resolve) => child.once("close", resolve));
  try {
    for (let tries = 0; !out.includes(" audit "); tries++) {
      if (tries > 40) throw new Error(`no audit line in 20 s: ${out}`);
      await cli(world, ["env"], { cwd: project });
      await new Promise((r) => setTimeout(r, 500));
    }
    t.is((await cli(world, ["logout"])).code, 0);
    await waitFor(() => out.includes(" wipe "), 10_000, "the wipe line");
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
  t.regex(out, /^\d{4}-\d\d-\d\dT[\d:.]+Z +audit +#\d+ serve KEY ok$/m);
  t.regex(out, /^\S+ +wipe +reason logout$/m);
});

test.serial("a busy --port, or another port than the open dashboard's, is DS_UI_PORT with a hint", async (t) => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  try {
    const port = (busy.address() as AddressInfo).port;
    const refused = await cli(world, ["ui", "--port", String(port), "--json"]);
    t.is(refused.code, 1);
    t.is((JSON.parse(refused.stdout) as { error: { code: string } }).error.code, "DS_UI_PORT");
    const opened = JSON.parse((await cli(world, ["ui", "--json"])).stdout) as { port: number };
    const other = await cli(world, ["ui", "--port", String(port)]);
    t.is(other.code, 1);
    t.regex(other.stderr, new RegExp(`DS_UI_PORT.*already served on port ${opened.port}`));
    t.regex(other.stderr, /hint: .*--stop/);
  } finally {
    busy.close();
    await cli(world, ["ui", "--stop"]);
  }
});
