// The impostor daemon (issue 16, attack 1): with XDG_RUNTIME_DIR unset, another local user pre-creates
// <tmp>/devsecrets-<victim uid>/ and listens on daemon.sock; every client used to connect and send the victim's whole
// environment (and `set` the typed value). Two real accounts made here, a victim and an attacker, as root does in CI.
// Rule: every client refuses with DS_SOCKET_UNSAFE and the impostor counts no byte; the control shows it counts bytes.

import test from "ava";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { NATIVE_RUN, NODE_CLI, REPO_ROOT, runProcess, type RunResult } from "../helpers/sandbox-env.js";
import { createTestUser, removeTestUser, type TestUser } from "../helpers/test-users.js";

const PYTHON = "/usr/bin/python3";
const IMPOSTOR = join(REPO_ROOT, "shims", "python", "tests", "impostor.py");

let victim: TestUser;
let attacker: TestUser;
let base: string;
let loadprobe: string;
let project: string;
let home: string;
const impostors: ChildProcess[] = [];

test.before(() => {
  victim = createTestUser("victim");
  attacker = createTestUser("attacker");
  base = mkdtempSync(join(tmpdir(), "devsecrets-impostor-"));
  chmodSync(base, 0o755);
  // the Go shim as an app uses it: a program that calls devsecrets.Load()
  loadprobe = join(base, "loadprobe");
  const built = spawnSync("go", ["build", "-o", loadprobe, "./internal/loadprobe"], {
    cwd: join(REPO_ROOT, "shims", "go"),
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`go build of shims/go/internal/loadprobe failed: ${built.stderr}`);
  home = join(base, "home");
  project = join(home, "project");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "devsecrets.env"), "API_KEY=sandbox://stripe/secret-key\nPLAIN=a-literal\n");
  for (const path of [home, project, join(project, "devsecrets.env")]) chownSync(path, victim.uid, victim.gid);
  chmodSync(home, 0o700);
});

test.after.always(() => {
  for (const child of impostors) if (child.pid) process.kill(child.pid, "SIGKILL");
  if (base) rmSync(base, { recursive: true, force: true });
  removeTestUser(victim);
  removeTestUser(attacker);
});

/** a shared temporary folder as /tmp is (1777): where the /tmp fallback puts the socket folder */
function sharedTmp(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir);
  chmodSync(dir, 0o1777);
  return dir;
}

/**
 * shims/python/tests/impostor.py on `socket`: binds as whoever starts it, becomes `listenAs`, listens, and appends the
 * byte count of each connection to the record. Resolves once it listens, with the record's path
 */
async function startImpostor(socket: string, runAs: TestUser | null, listenAs: TestUser): Promise<string> {
  const record = join(base, `record-${impostors.length}`);
  writeFileSync(record, "");
  chownSync(record, listenAs.uid, listenAs.gid);
  const child = spawn(PYTHON, [IMPOSTOR, socket, String(listenAs.uid), record], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  impostors.push(child);
  await new Promise<void>((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (c: Buffer) => (err += c));
    child.stdout?.on("data", (c: Buffer) => c.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`the impostor exited (${code}): ${err}`)));
  });
  // the victim must be able to connect: an impostor leaves its socket open to all
  chmodSync(socket, 0o666);
  return record;
}

/** the byte counts the impostor recorded, one a closed connection (it writes when the client is gone) */
function recorded(record: string): number[] {
  return readFileSync(record, "utf8").split("\n").filter(Boolean).map(Number);
}

interface Client {
  name: string;
  /** whether it asks the kernel who listens (the preloads rely on the folder check alone: DESIGN "Client checks") */
  checksListener: boolean;
  command(): { file: string; args: string[]; input?: string; env?: Record<string, string> };
}

const node = () => nodeForAnyUser();
const CLIENTS: Client[] = [
  {
    name: "devsecrets run (Node)",
    checksListener: true,
    command: () => ({ file: node(), args: [NODE_CLI, "run", "--", "/bin/true"] }),
  },
  { name: "devsecrets env (Node)", checksListener: true, command: () => ({ file: node(), args: [NODE_CLI, "env"] }) },
  {
    name: "devsecrets set (Node)",
    checksListener: true,
    command: () => ({ file: node(), args: [NODE_CLI, "set", "TYPED"], input: "the-typed-value\n" }),
  },
  {
    name: "DaemonClient",
    checksListener: true,
    command: () => ({
      file: node(),
      args: [
        "--input-type=module",
        "-e",
        `import { DaemonClient } from ${JSON.stringify(join(REPO_ROOT, "dist", "daemon", "client", "index.js"))};
         try { await new DaemonClient().resolve({ cwd: process.cwd(), env: "dev", environ: { ...process.env } }) }
         catch (e) { console.error("devsecrets: error " + e.code + ": " + e.message); process.exit(1) }`,
      ],
    }),
  },
  {
    name: "node --import devsecrets/register",
    checksListener: false,
    command: () => ({
      file: node(),
      args: ["--import", join(REPO_ROOT, "dist", "shims", "node", "register.js"), "-e", "0"],
    }),
  },
  {
    name: "node -r devsecrets/register",
    checksListener: false,
    command: () => ({
      file: node(),
      args: ["-r", join(REPO_ROOT, "dist", "shims", "node", "register.cjs"), "-e", "0"],
    }),
  },
  {
    name: "devsecrets-run (Go launcher)",
    checksListener: true,
    command: () => ({ file: NATIVE_RUN, args: ["run", "--", "/bin/true"] }),
  },
  { name: "Go shim (devsecrets.Load)", checksListener: true, command: () => ({ file: loadprobe, args: [] }) },
  {
    name: "Python shim (devsecrets.load)",
    checksListener: true,
    command: () => ({
      file: PYTHON,
      args: [
        "-c",
        "import sys, devsecrets\ntry:\n  devsecrets.load()\nexcept devsecrets.DevsecretsError as e:\n" +
          "  sys.stderr.write('devsecrets: error %s: %s\\n' % (e.code, e.message)); sys.exit(1)",
      ],
      env: { PYTHONPATH: join(REPO_ROOT, "shims", "python") },
    }),
  },
];

/** runs a client as the victim, with XDG_RUNTIME_DIR unset (ssh without pam_systemd, cron, sudo -u) */
function asVictim(client: Client, tmp: string, extra: Record<string, string> = {}): Promise<RunResult> {
  const { file, args, input, env } = client.command();
  return runProcess(file, args, {
    cwd: project,
    uid: victim.uid,
    gid: victim.gid,
    input,
    timeoutMs: 30_000,
    env: {
      PATH: `${dirname(node())}:/usr/bin:/bin`,
      HOME: home,
      TMPDIR: tmp,
      LANG: "C.UTF-8",
      // a secret of the caller's environment, which a resolve sends as `environ`
      AWS_SECRET_ACCESS_KEY: "victim-secret-in-the-environment",
      ...env,
      ...extra,
    },
  });
}

test.serial(
  "a socket folder pre-made by another user: every client refuses, names owner and mode, sends nothing",
  async (t) => {
    const tmp = sharedTmp("tmp-folder");
    const dir = join(tmp, `devsecrets-${victim.uid}`);
    mkdirSync(dir);
    chownSync(dir, attacker.uid, attacker.gid);
    chmodSync(dir, 0o755);
    const record = await startImpostor(join(dir, "daemon.sock"), attacker, attacker);
    for (const client of CLIENTS) {
      const result = await asVictim(client, tmp);
      t.is(result.code, 1, `${client.name}: ${result.stderr}`);
      t.true(
        result.stderr.includes(
          `devsecrets: error DS_SOCKET_UNSAFE: the socket folder ${dir} is not safe (owner ${attacker.uid}, mode 0755)`,
        ),
        `${client.name}: ${result.stderr}`,
      );
      t.false(result.stderr.includes("victim-secret"), client.name);
    }
    // no client even connected
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.deepEqual(recorded(record), []);
    // control: the impostor counts what reaches it
    await new Promise<void>((resolve) => {
      const probe = connect(join(dir, "daemon.sock"), () =>
        probe.end("GET /v1/health HTTP/1.1\r\n\r\n", () => resolve()),
      );
    });
    const deadline = Date.now() + 5_000;
    while (recorded(record).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    t.deepEqual(recorded(record), [27]);
  },
);

test.serial(
  "DEVSECRETS_OPTIONAL=1: the shims say the unsafe socket, send nothing and start the app without values",
  async (t) => {
    const tmp = sharedTmp("tmp-optional");
    const dir = join(tmp, `devsecrets-${victim.uid}`);
    mkdirSync(dir);
    chownSync(dir, attacker.uid, attacker.gid);
    chmodSync(dir, 0o777);
    const record = await startImpostor(join(dir, "daemon.sock"), attacker, attacker);
    const shims = CLIENTS.filter((c) => /register|shim/.test(c.name));
    t.is(shims.length, 4);
    for (const client of shims) {
      const result = await asVictim(client, tmp, { DEVSECRETS_OPTIONAL: "1" });
      t.is(result.code, 0, `${client.name}: ${result.stderr}`);
      t.regex(
        result.stderr,
        /DS_SOCKET_UNSAFE: the socket folder .* is not safe \(owner \d+, mode 0777\)/,
        client.name,
      );
      t.regex(result.stderr, /continuing without the project's variables/, client.name);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.deepEqual(recorded(record), []);
  },
);

test.serial(
  "a listener of another uid in the victim's own 0700 folder: the peer check refuses before a byte",
  async (t) => {
    const tmp = sharedTmp("tmp-peer");
    const dir = join(tmp, `devsecrets-${victim.uid}`);
    mkdirSync(dir);
    chownSync(dir, victim.uid, victim.gid);
    chmodSync(dir, 0o700);
    const socket = join(dir, "daemon.sock");
    // bound by root in the victim's folder, then listening as the attacker: only peer credentials can tell
    const record = await startImpostor(socket, null, attacker);
    chownSync(socket, victim.uid, victim.gid);
    const checking = CLIENTS.filter((c) => c.checksListener);
    for (const client of checking) {
      const result = await asVictim(client, tmp);
      t.is(result.code, 1, `${client.name}: ${result.stderr}`);
      t.true(
        result.stderr.includes(
          `devsecrets: error DS_SOCKET_UNSAFE: the daemon on ${socket} runs as uid ${attacker.uid}, not as you (uid ${victim.uid})`,
        ),
        `${client.name}: ${result.stderr}`,
      );
    }
    // each connected (the impostor records a line when the client hangs up) and sent nothing
    const deadline = Date.now() + 10_000;
    while (recorded(record).length < checking.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const counts = recorded(record);
    t.true(counts.length >= checking.length, `connections: ${counts.join(",")}`);
    t.true(
      counts.every((bytes) => bytes === 0),
      `bytes sent: ${counts.join(",")}`,
    );
  },
);
