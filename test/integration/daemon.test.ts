import test from "ava";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join, dirname } from "node:path";
import { spawn } from "node:child_process";
import { cli, waitFor, isAlive, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait, startDaemon, waitForListening, withWorld } from "../helpers/daemon-process.js";
import { socketRequest } from "../../daemon/client/socket-request.js";

function rawRequest(socket: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let answer = "";
    conn.setEncoding("utf8").on("data", (c: string) => (answer += c));
    conn.on("connect", () => conn.write(text));
    conn.on("close", () => resolve(answer));
    conn.on("error", reject);
  });
}

async function health(world: World): Promise<{ pid: number }> {
  const response = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" });
  return JSON.parse(response.body) as { pid: number };
}

test("the socket folder is 0700 and the socket 0600, both owned by the user", async (t) => {
  await withWorld(async (world) => {
    const result = await cli(world, ["daemon", "start"]);
    t.is(result.code, 0, result.stderr);
    t.is(lstatSync(dirname(world.socket)).mode & 0o777, 0o700);
    t.is(lstatSync(world.socket).mode & 0o777, 0o600);
    t.is(lstatSync(world.socket).uid, process.getuid!());
  });
});

for (const [name, prepare, expected] of [
  [
    "a symlinked folder",
    (dir: string, root: string) => {
      mkdirSync(join(root, "elsewhere"), { mode: 0o700 });
      symlinkSync(join(root, "elsewhere"), dir);
    },
    /is a symlink/,
  ],
  [
    "a group-readable folder",
    (dir: string) => {
      mkdirSync(dir);
      chmodSync(dir, 0o750);
    },
    /mode 0750, open to group or other/,
  ],
  [
    "a folder owned by someone else",
    (dir: string) => {
      mkdirSync(dir, { mode: 0o700 });
      chownSync(dir, 65534, 65534);
    },
    /owned by uid 65534/,
  ],
] as const) {
  test(`the daemon refuses ${name} and says why`, async (t) => {
    await withWorld(async (world) => {
      prepare(dirname(world.socket), world.root);
      const daemon = startDaemon(world);
      const exit = await daemon.exit;
      t.is(exit.code, 1);
      t.regex(exit.stderr, /DS_SOCKET_UNSAFE/);
      t.regex(exit.stderr, expected);
      t.regex(exit.stderr, /hint:/);
      t.false(existsSync(world.socket));
      // the CLI refuses the folder itself (DESIGN "Client checks"), before it connects or starts a daemon
      const viaCli = await cli(world, ["status"]);
      t.is(viaCli.code, 1);
      const folder = dirname(world.socket);
      t.regex(
        viaCli.stderr,
        /^devsecrets: error DS_SOCKET_UNSAFE: the socket folder (.*) is not safe \(owner \d+, mode 0\d{3}\)\n/,
      );
      t.true(viaCli.stderr.includes(`the socket folder ${folder} is not safe`), viaCli.stderr);
    });
  });
}

test("a stale socket (nobody answers) is replaced", async (t) => {
  await withWorld(async (world) => {
    mkdirSync(dirname(world.socket), { recursive: true, mode: 0o700 });
    // a process that binds the socket and dies without removing it leaves a stale socket behind
    const holder = spawn(
      process.execPath,
      ["-e", `require("net").createServer().listen(${JSON.stringify(world.socket)}, () => console.log("up"))`],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    await new Promise((resolve) => holder.stdout.once("data", resolve));
    await killAndWait(holder.pid as number, "SIGKILL");
    t.true(lstatSync(world.socket).isSocket());
    const result = await cli(world, ["daemon", "status", "--json"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
    t.is(result.code, 1, "nobody answers the stale socket");
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const { pid } = await health(world);
    t.true(daemonPidsOf(world).includes(pid));
  });
});

test("a live socket is never stolen: a second daemon leaves the first serving", async (t) => {
  await withWorld(async (world) => {
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const first = await health(world);
    const second = startDaemon(world, {}, ["--foreground"]);
    const exit = await second.exit;
    t.is(exit.code, 0);
    t.regex(exit.stderr, /already running/);
    t.is((await health(world)).pid, first.pid);
  });
});

test("a foreign process listening on the socket is never replaced", async (t) => {
  await withWorld(async (world) => {
    mkdirSync(dirname(world.socket), { recursive: true, mode: 0o700 });
    const server = createServer((c) => c.end()).listen(world.socket);
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const exit = await startDaemon(world).exit;
      t.is(exit.code, 1);
      t.regex(exit.stderr, /another process answers/);
      t.true(lstatSync(world.socket).isSocket());
    } finally {
      server.close();
    }
  });
});

test("8 clients racing on a cold start end up with exactly one daemon serving all of them", async (t) => {
  await withWorld(async (world) => {
    const results = await Promise.all(Array.from({ length: 8 }, () => cli(world, ["status", "--json"])));
    for (const result of results) t.is(result.code, 0, result.stderr);
    const pids = new Set(results.map((r) => (JSON.parse(r.stdout) as { pid: number }).pid));
    t.is(pids.size, 1);
    // a client returns as soon as the winner answers, while a losing starter may still be on its way to the lock (a
    // Node start and the daemon's first module, seconds each on a loaded machine); it exits once it finds the lock held
    await waitFor(() => daemonPidsOf(world).length === 1, 30_000, "losing starters to exit");
    t.deepEqual(daemonPidsOf(world), [...pids]);
    t.is(Number(readFileSync(`${world.socket}.lock`, "utf8")), [...pids][0] as number);
  });
});

test("a 1 MiB body is answered 413 DS_BODY_TOO_LARGE and the daemon still serves", async (t) => {
  await withWorld(async (world) => {
    await cli(world, ["daemon", "start"]);
    const huge = { cwd: "/", environ: { BIG: "x".repeat(1024 * 1024) } };
    const response = await socketRequest({ socket: world.socket, method: "POST", path: "/v1/resolve", body: huge });
    t.is(response.status, 413);
    t.is((JSON.parse(response.body) as { error: { code: string } }).error.code, "DS_BODY_TOO_LARGE");
    t.is((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" })).status, 200);
  });
});

test("the edge answers wrong content types, bad JSON and unknown routes with coded errors", async (t) => {
  await withWorld(async (world) => {
    await cli(world, ["daemon", "start"]);
    const wrongType = await rawRequest(
      world.socket,
      "POST /v1/resolve HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
    );
    t.regex(wrongType, /^HTTP\/1.1 415/);
    t.regex(wrongType, /DS_UNSUPPORTED_MEDIA_TYPE/);
    const badJson = await rawRequest(
      world.socket,
      'POST /v1/resolve HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"cwd": [',
    );
    t.regex(badJson, /^HTTP\/1.1 400/);
    t.regex(badJson, /DS_BAD_REQUEST/);
    const notFound = await socketRequest({ socket: world.socket, method: "GET", path: "/v2/nothing" });
    t.is(notFound.status, 404);
    t.is((JSON.parse(notFound.body) as { error: { code: string } }).error.code, "DS_NOT_FOUND");
    const badShape = await socketRequest({
      socket: world.socket,
      method: "POST",
      path: "/v1/resolve",
      body: { cwd: "relative/path" },
    });
    t.is(badShape.status, 400);
    t.regex(badShape.body, /DS_BAD_REQUEST/);
  });
});

test("SIGTERM wipes and leaves no socket, no lock and no process", async (t) => {
  await withWorld(async (world) => {
    await cli(world, ["daemon", "start"]);
    const { pid } = await health(world);
    await killAndWait(pid, "SIGTERM");
    t.false(existsSync(world.socket));
    t.false(existsSync(`${world.socket}.lock`));
    t.deepEqual(daemonPidsOf(world), []);
    const log = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
    t.regex(log, /"event":"wipe","pid":\d+,"reason":"signal"/);
  });
});

test("a newer client restarts an older daemon, which wipes on its way out", async (t) => {
  await withWorld(async (world) => {
    const old = startDaemon(world, { DEVSECRETS_TEST_HOOKS: "1", DEVSECRETS_TEST_FAKE_VERSION: "0.0.1" });
    await waitForListening(world.socket, "the old daemon");
    const result = await cli(world, ["status", "--json"]);
    t.is(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout) as { pid: number; version: string };
    t.not(status.pid, old.pid);
    t.false(isAlive(old.pid));
    t.is((await old.exit).code, 0);
  });
});

test("test hooks are refused without DEVSECRETS_TEST_HOOKS=1", async (t) => {
  await withWorld(async (world) => {
    const exit = await startDaemon(world, { DEVSECRETS_TEST_FAKE_VERSION: "0.0.1" }).exit;
    t.is(exit.code, 1);
    t.false(existsSync(world.socket));
  });
});

test("the daemon refuses to start under --inspect", async (t) => {
  await withWorld(async (world) => {
    const exit = await startDaemon(world, { NODE_OPTIONS: "--inspect=127.0.0.1:0" }).exit;
    t.is(exit.code, 1);
    t.regex(exit.stderr, /refusing to start with --inspect/);
  });
});

test("the log file holds events and never a served value", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\nPLAIN=hello-literal\n" });
    const result = await cli(world, ["env", "--format", "json"], { cwd: project });
    t.is(result.code, 0, result.stderr);
    const values = JSON.parse(result.stdout) as Record<string, string>;
    await cli(world, ["daemon", "stop"]);
    const log = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
    t.regex(log, /"event":"started"/);
    t.false(log.includes(values.TOKEN as string));
    t.is(lstatSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log")).mode & 0o777, 0o600);
  });
});
