// The native launcher (dist/native/devsecrets-run) against the Node path (bin/devsecrets.js) on the same project and daemon:
// the same stdout, stderr and exit for everything it does itself, and a clean hand-over to Node for everything else.
// Rule: the real binary, daemon and children; serial (the audit log's last line is this test's); no binary fails every test.

import test from "ava";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import nodePty from "@lydell/node-pty";
import { assertNothingOf } from "../helpers/leaks.js";
import {
  NATIVE_RUN,
  NODE_CLI,
  REPO_ROOT,
  SIGINT_CHILD,
  interruptWhenReady,
  isAlive,
  makeWorld,
  runProcess,
  type RunResult,
  type World,
} from "../helpers/sandbox-env.js";
import { disposeWorld, startDaemon, waitForListening, withWorld } from "../helpers/daemon-process.js";

const NATIVE = NATIVE_RUN;
const FIXTURE = join(REPO_ROOT, "test", "fixtures", "masking", "print-secret.mjs");
const NOTICE = "devsecrets: masking is off (--no-mask): secrets may appear in this output\n";
const node = process.execPath;
const NATIVE_EXE = existsSync(NATIVE) ? realpathSync(NATIVE) : NATIVE;
const NODE_EXE = realpathSync(node);

let world: World;
let project: string;
let token: string;
test.before(async () => {
  if (!existsSync(NATIVE)) {
    throw new Error(
      "dist/native/devsecrets-run is missing: build it with `npm run build` (needs go on PATH), or in shims/go: " +
        "go build -trimpath -ldflags=-s -o ../../dist/native/devsecrets-run ./cmd/devsecrets-run",
    );
  }
  world = makeWorld();
  project = world.project({ "devsecrets.env": "TOKEN=sandbox://stripe/secret-key\nPLAIN=a-literal-not-a-secret\n" });
  // the Node path starts the daemon; the same session then serves the same value to both paths
  const printed = await runProcess(node, [NODE_CLI, "env", "--format", "json"], { cwd: project, env: world.env });
  token = (JSON.parse(printed.stdout) as Record<string, string>).TOKEN!;
});
test.after.always(async () => {
  if (world) await disposeWorld(world);
});

interface Options {
  cwd?: string;
  env?: Record<string, string>;
}

function runNative(args: string[], options: Options = {}): Promise<RunResult> {
  return runProcess(NATIVE, args, { cwd: options.cwd ?? project, env: { ...world.env, ...options.env } });
}

function runNode(args: string[], options: Options = {}): Promise<RunResult> {
  return runProcess(node, [NODE_CLI, ...args], { cwd: options.cwd ?? project, env: { ...world.env, ...options.env } });
}

/** the program that asked for the last value served in a world (the audit log names the caller's executable) */
function lastServedTo(w: World): string | undefined {
  const lines = readFileSync(join(w.env.XDG_STATE_HOME!, "devsecrets", "audit.jsonl"), "utf8")
    .trim()
    .split("\n");
  return (JSON.parse(lines.at(-1)!) as { exe?: string }).exe;
}

/** runs both paths one after the other; `servedTo` is who resolved the native run's secrets (the launcher, not Node) */
async function both(
  args: string[],
  options: Options = {},
): Promise<{ native: RunResult; viaNode: RunResult; servedTo: string | undefined }> {
  const native = await runNative(args, options);
  const servedTo = lastServedTo(world);
  const viaNode = await runNode(args, options);
  return { native, viaNode, servedTo };
}

function assertSame(
  t: { is(a: unknown, b: unknown, m?: string): void },
  { native, viaNode }: { native: RunResult; viaNode: RunResult },
): void {
  t.is(native.stdout, viaNode.stdout, "stdout");
  t.is(native.stderr, viaNode.stderr, "stderr");
  t.is(native.code, viaNode.code, "exit code");
  t.is(native.signal, viaNode.signal, "signal");
}

function assertNothingOfToken(t: { false(v: boolean, m?: string): void }, text: string): void {
  assertNothingOf(t, text, token, "sk_test_", "the output");
}

test.serial(
  "masked: the value whole, split across two writes 200 ms apart, in base64 and in JSON, on stdout and stderr",
  async (t) => {
    const runs = await both(["run", "--", node, FIXTURE, "TOKEN"]);
    assertSame(t, runs);
    t.is(runs.servedTo, NATIVE_EXE, "the launcher resolved it, not Node");
    t.is(runs.native.code, 0, runs.native.stderr);
    for (const text of [runs.native.stdout, runs.native.stderr]) {
      for (const line of ["whole=****TOKEN\n", "split=****TOKEN\n", 'json={"token":"****TOKEN"}\n'])
        t.true(text.includes(line), line);
      t.regex(text, /base64=\*\*\*\*TOKEN=*\n/);
      assertNothingOfToken(t, text);
    }
    t.true(runs.native.stdout.startsWith("tty=false\nplain=a-literal-not-a-secret\n"));
  },
);

test.serial("masked: the launcher itself is the child's parent, streams are pipes", async (t) => {
  const script =
    "console.log(require('fs').readlinkSync('/proc/' + process.ppid + '/exe'), process.stdout.isTTY === true)";
  const native = await runNative(["run", "--", node, "-e", script]);
  t.is(native.stdout, `${NATIVE_EXE} false\n`, native.stderr);
  const viaNode = await runNode(["run", "--", node, "-e", script]);
  t.is(viaNode.stdout, `${NODE_EXE} false\n`);
});

test.serial("masked: exit code 3 passes through", async (t) => {
  const runs = await both(["run", "--", node, FIXTURE, "TOKEN", "3"]);
  assertSame(t, runs);
  t.is(runs.servedTo, NATIVE_EXE);
  t.is(runs.native.code, 3);
});

test.serial("masked: a child killed by SIGTERM makes the launcher die by SIGTERM", async (t) => {
  const runs = await both(["run", "--", node, FIXTURE, "TOKEN", "0", "signal"]);
  assertSame(t, runs);
  t.is(runs.servedTo, NATIVE_EXE);
  t.is(runs.native.signal, "SIGTERM");
  assertNothingOfToken(t, runs.native.stdout + runs.native.stderr);
});

test.serial("masked: SIGINT sent to the launcher reaches the child, whose exit code passes through", async (t) => {
  for (const [command, args] of [
    [NATIVE, []],
    [node, [NODE_CLI]],
  ] as const) {
    const { code, out } = await interruptWhenReady(command, [...args, "run", "--", node, "-e", SIGINT_CHILD], {
      cwd: project,
      env: world.env,
    });
    t.is(code, 7, `${command}: ${out}`);
    t.true(out.includes("child got SIGINT"));
  }
});

test.serial("--no-mask prints the notice, then execs: the command runs as the launcher's own process", async (t) => {
  const runs = await both(["run", "--no-mask", "--", node, FIXTURE, "TOKEN"]);
  assertSame(t, runs);
  t.is(runs.servedTo, NATIVE_EXE);
  t.is(runs.native.stderr.split(NOTICE).length - 1, 1, runs.native.stderr);
  t.true(runs.native.stdout.includes(`whole=${token}\n`));

  const launcher = spawn(NATIVE, ["run", "--no-mask", "--", node, "-e", "console.log(process.pid, process.ppid)"], {
    cwd: project,
    env: world.env,
  });
  let out = "";
  launcher.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  const code = await new Promise((resolve) => launcher.once("close", resolve));
  t.is(code, 0);
  // exec, not spawn: the child has the launcher's pid, and its parent is this test
  t.is(out, `${launcher.pid} ${process.pid}\n`);
});

test.serial("no sensitive variable: the command is exec'd with the project's variables, as Node runs it", async (t) => {
  const plain = world.project({ "devsecrets.env": "GREETING=hello\nURL=http://localhost:${PORT}\n" });
  const runs = await both(["run", "--", "sh", "-c", 'echo "$GREETING $URL $#"; exit 4', "sh", "a", "--json"], {
    cwd: plain,
    env: { PORT: "4000" },
  });
  assertSame(t, runs);
  t.is(runs.native.stdout, "hello http://localhost:4000 2\n");
  t.is(runs.native.code, 4);
  const kept = await both(["run", "--", "sh", "-c", "echo $GREETING"], { cwd: plain, env: { GREETING: "mine" } });
  assertSame(t, kept);
  t.is(kept.native.stderr, "devsecrets: kept from your environment: GREETING (--override to use the project's)\n");
  // nothing to mask: exec'd, the shell is the launcher's own process
  const launcher = spawn(NATIVE, ["run", "--", "sh", "-c", "echo $$"], { cwd: plain, env: world.env });
  let out = "";
  launcher.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  await new Promise((resolve) => launcher.once("close", resolve));
  t.is(out, `${launcher.pid}\n`);
});

test.serial("a command that cannot start is DS_CHILD_SPAWN, masked or not, as text and as --json", async (t) => {
  for (const args of [
    ["run", "--", "no-such-command-here"],
    ["run", "--no-mask", "--", "no-such-command-here"],
    ["run", "--", "no-such-command-here", "--json"],
  ]) {
    const runs = await both(args);
    assertSame(t, runs);
    t.is(runs.native.code, 1);
    t.true(
      (runs.native.stderr + runs.native.stdout).includes("could not start no-such-command-here (ENOENT)"),
      runs.native.stderr,
    );
  }
});

test.serial("a daemon error answer renders the same lines and exit code, and with --json the same JSON", async (t) => {
  const broken = world.project({ "devsecrets.env": "A=sandbox://\n" });
  const runs = await both(["run", "--", "true"], { cwd: broken });
  assertSame(t, runs);
  t.is(runs.native.code, 1);
  t.regex(runs.native.stderr, /^devsecrets: error DS_REF_SYNTAX: devsecrets\.env:1: .*\ndevsecrets: hint: .+\n$/);
  const json = await both(["run", "--", "true", "--json"], { cwd: broken });
  assertSame(t, json);
  t.is((JSON.parse(json.native.stdout) as { error: { code: string } }).error.code, "DS_REF_SYNTAX");
  const nowhere = await both(["run", "--", "true"], { cwd: world.env.HOME! });
  assertSame(t, nowhere);
  t.regex(nowhere.native.stderr, /DS_PROJECT_NOT_FOUND/);
});

test.serial("fallback to Node: --help, an unknown flag, a missing command", async (t) => {
  for (const args of [["run", "--help"], ["run", "--unknown", "--", "true"], ["run"], ["run", "--env"]]) {
    const runs = await both(args);
    assertSame(t, runs);
  }
  const help = await runNative(["run", "--help"]);
  t.is(help.code, 0);
  t.regex(help.stdout, /devsecrets run/);
});

test.serial(
  "no daemon running: the launcher starts one itself (the middle of a double fork, no Node CLI) and serves the run",
  async (t) => {
    const fresh = makeWorld();
    try {
      const dir = fresh.project({ "devsecrets.env": "GREETING=hello\nTOKEN=sandbox://stripe/secret-key\n" });
      const result = await runProcess(NATIVE, ["run", "--", "sh", "-c", "echo $GREETING $TOKEN"], {
        cwd: dir,
        env: { ...fresh.env, GO_TEST_SECRET: "kept-out" },
      });
      t.is(result.code, 0, result.stderr);
      t.is(result.stdout, "hello ****TOKEN\n");
      t.is(result.stderr, "");
      // the landed launcher handed a cold run to Node (one more Node start), which started the daemon and resolved
      t.is(lastServedTo(fresh), NATIVE_EXE, "the launcher resolved it: no hand-over");
      const status = await runProcess(node, [NODE_CLI, "daemon", "status", "--json"], {
        env: { ...fresh.env, DEVSECRETS_NO_AUTOSTART: "1" },
      });
      t.is(status.code, 0, "a daemon was started");
      const pid = (JSON.parse(status.stdout) as { pid: number }).pid;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      t.is(Number(fields[3]), pid, "the daemon leads a session of its own (setsid)");
      t.true(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("--disable-sigusr1"), "with its flags");
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      t.false(
        environ.some((pair) => pair.startsWith("GO_TEST_SECRET=")),
        "the allow-list keeps the caller's other variables out",
      );
    } finally {
      await disposeWorld(fresh);
    }
  },
);

test.serial("no daemon and DEVSECRETS_NO_AUTOSTART=1: the launcher starts none and Node says so", async (t) => {
  const fresh = makeWorld();
  try {
    const dir = fresh.project({ "devsecrets.env": "GREETING=hello\n" });
    const result = await runProcess(NATIVE, ["run", "--", "true"], {
      cwd: dir,
      env: { ...fresh.env, DEVSECRETS_NO_AUTOSTART: "1" },
    });
    t.is(result.code, 1);
    t.regex(result.stderr, /DS_DAEMON_UNREACHABLE/);
    t.false(existsSync(fresh.socket));
  } finally {
    await disposeWorld(fresh);
  }
});

test.serial(
  "a daemon of another version: an older one goes to Node, which restarts it; a newer one serves the launcher",
  async (t) => {
    for (const [version, older] of [
      ["0.0.1", true],
      ["99.0.0", false],
    ] as const) {
      await withWorld(async (w) => {
        const daemon = startDaemon(w, { DEVSECRETS_TEST_HOOKS: "1", DEVSECRETS_TEST_FAKE_VERSION: version });
        await waitForListening(w.socket, `the daemon claiming ${version}`);
        const dir = w.project({ "devsecrets.env": "GREETING=hello\nTOKEN=sandbox://stripe/secret-key\n" });
        const result = await runProcess(NATIVE, ["run", "--", "sh", "-c", "echo $GREETING $TOKEN"], {
          cwd: dir,
          env: w.env,
        });
        t.is(result.code, 0, result.stderr);
        t.is(result.stdout, "hello ****TOKEN\n");
        const served = readFileSync(join(w.env.XDG_STATE_HOME!, "devsecrets", "audit.jsonl"), "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as { action: string; variable?: string; exe?: string })
          .filter((entry) => entry.action === "serve" && entry.variable === "TOKEN");
        if (older) {
          t.is(lastServedTo(w), NODE_EXE, `${version}: Node resolved it`);
          // the launcher's request; Node's client learns the version from its own first answer, as it always has, then
          // asks the daemon it started: an upgrade costs two resolves too many, once
          t.deepEqual(
            served.map((entry) => entry.exe),
            [NATIVE_EXE, NODE_EXE, NODE_EXE],
          );
          t.is((await daemon.exit).code, 0, "the older daemon was stopped");
        } else {
          t.deepEqual(
            served.map((entry) => entry.exe),
            [NATIVE_EXE],
            `${version}: the launcher alone resolved it, once`,
          );
          t.true(isAlive(daemon.pid), "the newer daemon still serves");
        }
      });
    }
  },
);

test.serial("fallback to Node: on a terminal masking needs a pty, which Node provides", async (t) => {
  const pty = nodePty.spawn(NATIVE, ["run", "--", node, FIXTURE, "TOKEN"], {
    cwd: project,
    env: { ...world.env, TERM: "xterm-256color" },
    cols: 120,
    rows: 40,
  });
  let output = "";
  pty.onData((data) => (output += data));
  const exit = await new Promise<{ exitCode: number }>((resolve) => pty.onExit(resolve));
  t.is(exit.exitCode, 0, output);
  t.true(output.includes("tty=true"), output);
  t.true(output.replace(/\r+\n/g, "\n").includes("whole=****TOKEN\n"), output);
  assertNothingOfToken(t, output);
  t.is(lastServedTo(world), NODE_EXE, "Node resolved it: the launcher handed over");
});

/** starts `args`, reads until `bytes` bytes came, then closes its stdout as `| head -c` does; resolves with how it ended */
function headC(
  command: string,
  args: string[],
  bytes: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; took: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: project, env: world.env, stdio: ["ignore", "pipe", "ignore"] });
    let seen = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= bytes) child.stdout.destroy();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not return within 30 s of its reader going away`));
    }, 30_000);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, took: Date.now() - started });
    });
  });
}

test.serial("an early close of our stdout (| head -c 10): the launcher returns and the child gets EPIPE", async (t) => {
  // the child exits 32 on EPIPE (node ignores SIGPIPE), 33 on any other write error
  const writer =
    "process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 32 : 33)); setInterval(() => process.stdout.write('a line of output\\n'.repeat(64)), 1)";
  const native = await headC(NATIVE, ["run", "--", node, "-e", writer], 10);
  t.is(native.code, 32, "the child learnt by EPIPE and its code passed through");
  // a child without a handler dies of SIGPIPE; run exits 128+13 as Node does (it ignores SIGPIPE for itself)
  const shell = await headC(NATIVE, ["run", "--", "sh", "-c", "while :; do echo y; done"], 10);
  t.is(shell.code, 141);
  // the Node path returns too (its child pipes are sockets: the child may see ECONNRESET instead)
  const viaNode = await headC(node, [NODE_CLI, "run", "--", node, "-e", writer], 10);
  t.true(viaNode.code === 32 || viaNode.code === 33, `node path exit ${viaNode.code}`);
});
