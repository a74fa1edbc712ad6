// `devsecrets run` masks served values in the child's output: pipes, a pseudo-terminal, exit codes, signals, --no-mask.
// Rule: the real CLI, the real daemon, a real child (test/fixtures/masking/print-secret.mjs); the pty is a real one (node-pty).

import test from "ava";
import { join } from "node:path";
import { spawn } from "node:child_process";
import nodePty from "@lydell/node-pty";
import { CLI, REPO_ROOT, cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { assertNothingOf } from "../helpers/leaks.js";
import { disposeWorld } from "../helpers/daemon-process.js";

const FIXTURE = join(REPO_ROOT, "test", "fixtures", "masking", "print-secret.mjs");
const NOTICE = "devsecrets: masking is off (--no-mask): secrets may appear in this output";

let world: World;
let project: string;
let token: string;
test.before(async () => {
  world = makeWorld();
  project = world.project({ "devsecrets.env": "TOKEN=sandbox://stripe/secret-key\nPLAIN=a-literal-not-a-secret\n" });
  // the same session serves the same value to every command: what `run` must hide
  const printed = await cli(world, ["env", "--format", "json"], { cwd: project });
  token = (JSON.parse(printed.stdout) as Record<string, string>).TOKEN!;
});
test.after.always(() => disposeWorld(world));

function assertNothingOfToken(t: { false(v: boolean, m?: string): void }, text: string, where: string): void {
  assertNothingOf(t, text, token, "sk_test_", where);
}

function assertMaskedLines(t: { true(v: boolean, m?: string): void }, text: string, where: string): void {
  for (const line of ["whole=****TOKEN\n", "split=****TOKEN\n", 'json={"token":"****TOKEN"}\n']) {
    // under a pty a line ends \r\r\n on our side: the child's pty and our terminal each turn \n into \r\n
    t.true(text.replace(/\r+\n/g, "\n").includes(line), `${where}: ${JSON.stringify(line)} in ${JSON.stringify(text)}`);
  }
  t.true(/base64=\*\*\*\*TOKEN=*\r*\n/.test(text), `${where}: base64 masked`);
}

// the installed command's two ways of running a piped child: the native launcher (when built) and the Node path
const PATHS = [
  ["native launcher", {}],
  ["Node path", { DEVSECRETS_NATIVE: "0" }],
] as const;

for (const [path, pathEnv] of PATHS) {
  test(`${path}: pipes: the value whole, split across writes 200 ms apart, in base64 and in JSON is masked on stdout and stderr`, async (t) => {
    t.true(token.length > 20);
    const result = await cli(world, ["run", "--", process.execPath, FIXTURE, "TOKEN"], { cwd: project, env: pathEnv });
    t.is(result.code, 0, result.stderr);
    assertMaskedLines(t, result.stdout, "stdout");
    assertMaskedLines(t, result.stderr, "stderr");
    assertNothingOfToken(t, result.stdout, "stdout");
    assertNothingOfToken(t, result.stderr, "stderr");
    // a literal is not a secret: left alone; and the child saw pipes
    t.true(result.stdout.startsWith("tty=false\nplain=a-literal-not-a-secret\n"));
  });

  test(`${path}: pipes: the child's exit code and its death by signal pass through with masking on`, async (t) => {
    const three = await cli(world, ["run", "--", process.execPath, FIXTURE, "TOKEN", "3"], {
      cwd: project,
      env: pathEnv,
    });
    t.is(three.code, 3);
    assertNothingOfToken(t, three.stdout + three.stderr, "output");
    const killed = await cli(world, ["run", "--", process.execPath, FIXTURE, "TOKEN", "0", "signal"], {
      cwd: project,
      env: pathEnv,
    });
    t.is(killed.signal, "SIGTERM");
    assertMaskedLines(t, killed.stdout, "stdout");
    assertNothingOfToken(t, killed.stdout + killed.stderr, "output");
  });

  test(`${path}: pipes: a prompt ending in the first bytes of a value is let out after a short silence`, async (t) => {
    const child = spawn(CLI, ["run", "--", process.execPath, FIXTURE, "TOKEN", "0", "prompt"], {
      cwd: project,
      env: { ...world.env, ...pathEnv },
    });
    let out = "";
    const answered = new Promise<void>((resolve) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        if (out.endsWith(`ready? ${token.slice(0, 2)}`)) {
          child.stdin.write("yes\n");
          resolve();
        }
      });
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await new Promise((resolve) => child.once("close", resolve));
    clearTimeout(timer);
    await answered;
    t.is(code, 0);
    t.true(out.includes("got yes"), out);
  });

  test(`${path}: --no-mask leaves the output as the child wrote it and says so once on stderr`, async (t) => {
    const result = await cli(world, ["run", "--no-mask", "--", process.execPath, FIXTURE, "TOKEN"], {
      cwd: project,
      env: pathEnv,
    });
    t.is(result.code, 0, result.stderr);
    t.true(result.stdout.includes(`whole=${token}\n`));
    t.true(result.stdout.includes(`split=${token}\n`));
    t.is(result.stderr.split(NOTICE).length - 1, 1, result.stderr);
    const byEnv = await cli(world, ["run", "--", process.execPath, FIXTURE, "TOKEN"], {
      cwd: project,
      env: { ...pathEnv, DEVSECRETS_NO_MASK: "1" },
    });
    t.true(byEnv.stdout.includes(`whole=${token}\n`));
    t.true(byEnv.stderr.includes(NOTICE));
  });

  test(`${path}: masking on says nothing on stderr but the child's own (masked) lines`, async (t) => {
    const result = await cli(world, ["run", "--", process.execPath, FIXTURE, "TOKEN"], { cwd: project, env: pathEnv });
    t.false(result.stderr.includes("masking is off"));
    t.false(result.stderr.includes("devsecrets:"), result.stderr);
  });
}

interface PtyResult {
  output: string;
  exitCode: number;
  signal: number;
}

function underPty(args: string[]): Promise<PtyResult> {
  return new Promise((resolve) => {
    const pty = nodePty.spawn(CLI, args, {
      cwd: project,
      env: { ...world.env, TERM: "xterm-256color" },
      cols: 120,
      rows: 40,
    });
    let output = "";
    pty.onData((data) => (output += data));
    pty.onExit(({ exitCode, signal }) => resolve({ output, exitCode, signal: signal ?? 0 }));
  });
}

test("pty: the child still has a terminal (isTTY) and its merged output is masked", async (t) => {
  const result = await underPty(["run", "--", process.execPath, FIXTURE, "TOKEN"]);
  t.is(result.exitCode, 0, result.output);
  t.true(result.output.includes("tty=true"), result.output);
  assertMaskedLines(t, result.output, "pty");
  assertNothingOfToken(t, result.output, "pty");
});

test("pty: exit code 3 and death by SIGTERM pass through with masking on", async (t) => {
  const three = await underPty(["run", "--", process.execPath, FIXTURE, "TOKEN", "3"]);
  t.is(three.exitCode, 3, three.output);
  assertNothingOfToken(t, three.output, "pty");
  const killed = await underPty(["run", "--", process.execPath, FIXTURE, "TOKEN", "0", "signal"]);
  t.is(killed.signal, 15, killed.output);
  assertNothingOfToken(t, killed.output, "pty");
});

test("pty under script(1): the whole run as a user's shell runs it, masked, with a terminal", async (t) => {
  const command = [CLI, "run", "--", process.execPath, FIXTURE, "TOKEN", "3"].map((a) => `'${a}'`).join(" ");
  // script's stdin stays open (a pipe we never end) so it forwards no end-of-file into the terminal
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: project,
    env: world.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  const code = await new Promise((resolve) => child.once("close", resolve));
  child.stdin.destroy();
  t.is(code, 3, out);
  t.true(out.includes("tty=true"), out);
  assertMaskedLines(t, out, "script");
  assertNothingOfToken(t, out, "script");
});
