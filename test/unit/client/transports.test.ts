// The client's three transports give the same answers and the same failures: node:net (the CLI), libuv's pipe handle
// (the --import preload) and its synchronous exchange (the -r preload), against one server in another thread.
// Rule: a real Unix socket and real processes; no transport is mocked.

import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  socketRequest,
  SocketUnreachableError,
  type SocketRequest,
  type SocketResponse,
} from "../../../daemon/client/socket-request.js";
import { libuvPipe, pipeRequest, pipeRequestSync } from "../../../daemon/client/libuv-pipe.js";
import { startTestServer, type TestServer } from "../../fixtures/http-over-unix.js";
import { REPO_ROOT, runProcess } from "../../helpers/sandbox-env.js";

const transports: Record<string, (request: SocketRequest) => Promise<SocketResponse>> = {
  "node:net": (request) => socketRequest(request),
  "libuv pipe": (request) => pipeRequest(request) ?? Promise.reject(new Error("no pipe handle on this Node")),
  "libuv pipe, synchronous": async (request) =>
    pipeRequestSync(request) ?? Promise.reject(new Error("no pipe handle on this Node")),
};

let dir: string;
let server: TestServer;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ds-transports-"));
  server = await startTestServer(join(dir, "server.sock"));
});

test.after.always(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("this Node gives the preloads libuv's pipe handle (else they fall back to node:net and start ~4 ms slower)", (t) => {
  t.truthy(
    libuvPipe(),
    `Node ${process.version} no longer has process.binding("pipe_wrap") as daemon/client/libuv-pipe.ts expects`,
  );
});

for (const [name, send] of Object.entries(transports)) {
  const call = (path: string, extra: Partial<SocketRequest> = {}) =>
    send({ socket: server.socket, method: "GET", path, ...extra });

  test(`${name}: a POST carries its JSON body and headers; the answer's status, headers and body come back`, async (t) => {
    const body = { name: "Zoë", note: "naïve — ✓", list: [1, 2] };
    const response = await call("/echo?x=1", { method: "POST", body, headers: { "X-Devsecrets-Version": "9.9.9" } });
    t.is(response.status, 201);
    t.is(response.headers["x-test"], "yes");
    const echoed = JSON.parse(response.body) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    t.is(echoed.method, "POST");
    t.is(echoed.path, "/echo?x=1");
    t.is(echoed.headers["content-type"], "application/json");
    t.is(echoed.headers["x-devsecrets-version"], "9.9.9");
    t.is(echoed.headers.connection, "close");
    t.deepEqual(JSON.parse(echoed.body), body);
  });

  test(`${name}: an answer of many reads, two-byte characters split between them, arrives whole`, async (t) => {
    const response = await call("/big?n=300000");
    t.is((JSON.parse(response.body) as { text: string }).text, "é".repeat(300_000));
  });

  test(`${name}: a head and body written in pieces, a character straddling two writes`, async (t) => {
    t.deepEqual(JSON.parse((await call("/split")).body), { text: "aé" });
  });

  test(`${name}: a request body of 1 MiB is sent whole (more than a socket buffer takes at once)`, async (t) => {
    const value = "v".repeat(1024 * 1024);
    const response = await call("/echo", { method: "POST", body: { value } });
    t.is((JSON.parse(response.body) as { bytes: number }).bytes, Buffer.byteLength(JSON.stringify({ value })));
  });

  test(`${name}: an answer without Content-Length ends with the connection`, async (t) => {
    const response = await call("/close-delimited");
    t.is(response.status, 200);
    t.deepEqual(JSON.parse(response.body), { until: "the end" });
  });

  test(`${name}: an error status is an answer, not a failure`, async (t) => {
    const response = await call("/error");
    t.is(response.status, 409);
    t.is((JSON.parse(response.body) as { error: { code: string } }).error.code, "DS_TEST");
  });

  test(`${name}: a daemon that hangs up without answering is an error that says so`, async (t) => {
    await t.throwsAsync(call("/hangup"), { message: /closed the connection without an answer/ });
  });

  test(`${name}: a daemon that never answers is an error at the deadline`, async (t) => {
    await t.throwsAsync(call("/silent", { timeoutMs: 300 }), { message: "the daemon did not answer /silent in time" });
  });

  test(`${name}: no socket at the path is unreachable (ENOENT), so the preload may start a daemon`, async (t) => {
    const error = await t.throwsAsync(send({ socket: join(dir, "nobody.sock"), method: "GET", path: "/" }), {
      instanceOf: SocketUnreachableError,
    });
    t.is(error?.errno, "ENOENT");
  });

  test(`${name}: a file nobody listens on is unreachable (ECONNREFUSED)`, async (t) => {
    const stale = join(dir, `stale-${name.replace(/\W+/g, "-")}.sock`);
    writeFileSync(stale, "");
    const error = await t.throwsAsync(send({ socket: stale, method: "GET", path: "/" }), {
      instanceOf: SocketUnreachableError,
    });
    t.is(error?.errno, "ECONNREFUSED");
  });
}

// where process.binding would warn or throw, the preloads must not touch it
const PROBE = `import { libuvPipe } from ${JSON.stringify(join(REPO_ROOT, "dist", "daemon", "client", "libuv-pipe.js"))}; process.stdout.write(String(libuvPipe() === undefined));`;
const refusals: [string, string[], Record<string, string>][] = [
  ["--pending-deprecation", ["--pending-deprecation"], {}],
  ["NODE_OPTIONS=--pending-deprecation", [], { NODE_OPTIONS: "--pending-deprecation" }],
  ["NODE_PENDING_DEPRECATION=1", [], { NODE_PENDING_DEPRECATION: "1" }],
  // --permission: Node 22.14+ (the engines floor), 24 and 26; 24 and 26 reject --experimental-permission
  ["the permission model", ["--permission", "--allow-fs-read=*"], {}],
  // a Node release without the binding, or with handles of another shape: node:net, no throw
  [
    "a Node without pipe_wrap",
    ["--import", "data:text/javascript,process.binding=(n)=>{throw new Error('No such module: '+n)}"],
    {},
  ],
  ["a Node whose pipe_wrap has another shape", ["--import", "data:text/javascript,process.binding=()=>({})"], {}],
];
for (const [label, flags, env] of refusals) {
  test(`${label}: no pipe handle (node:net instead) and no warning printed`, async (t) => {
    const result = await runProcess(process.execPath, [...flags, "--input-type=module", "-e", PROBE], {
      env: { ...process.env, ...env },
    });
    t.is(result.code, 0, result.stderr);
    t.is(result.stdout, "true");
    t.notRegex(result.stderr, /DEP0111|process\.binding/);
  });
}
