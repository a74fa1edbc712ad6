// The resolve lane (daemon/http/resolve-lane.ts) answers exactly as an express route does: same statuses, codes,
// messages and headers for every malformed body, and the same answer as express's own /v1/resolve?… for a good one.
// Rule: one real daemon; raw HTTP over the socket so that nothing client-side smooths the edges.

import test from "ava";
import { connect } from "node:net";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function exchange(socket: string, request: string | Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    const chunks: Buffer[] = [];
    conn.on("data", (c: Buffer) => chunks.push(c));
    conn.on("connect", () => conn.write(request));
    conn.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error),
    );
    conn.setTimeout(20_000, () => conn.destroy());
    conn.on("close", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const split = raw.indexOf("\r\n\r\n");
      const lines = raw.slice(0, split).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(lines[0]?.split(" ")[1]), headers, body: raw.slice(split + 4) });
    });
  });
}

function post(path: string, headers: Record<string, string>, body: string | Buffer): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const head = Object.entries({ Host: "x", Connection: "close", ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${head}\r\n`), bytes]);
}

/** what must be equal between the lane and express: status, the protocol's headers and the body */
function visible(raw: Raw) {
  const { date: _date, ...headers } = raw.headers;
  return { status: raw.status, headers, body: raw.body };
}

async function withDaemon(fn: (world: World) => Promise<void>): Promise<void> {
  const world = makeWorld();
  try {
    const started = await cli(world, ["daemon", "start"]);
    if (started.code !== 0) throw new Error(`daemon start failed: ${started.stderr}`);
    await fn(world);
  } finally {
    for (const pid of daemonPidsOf(world)) await killAndWait(pid, "SIGKILL");
    await world.cleanup();
  }
}

const json = { "Content-Type": "application/json" };

test("every malformed body gets the same answer from the resolve lane as from an express route", async (t) => {
  await withDaemon(async (world) => {
    const bad = [400, "DS_BAD_REQUEST"] as const;
    const unsupported = [415, "DS_UNSUPPORTED_MEDIA_TYPE"] as const;
    const cases: [string, Record<string, string>, string | Buffer, readonly [number, string]][] = [
      ["not JSON", json, "{nope", bad],
      ["a JSON string, not an object", json, '"cwd"', bad],
      ["a number", json, "42", bad],
      ["an array", json, "[]", bad],
      ["an empty body", json, "", bad],
      ["latin1 charset", { "Content-Type": "application/json; charset=latin1" }, "{}", unsupported],
      ["gzip encoding", { ...json, "Content-Encoding": "gzip" }, "{}", unsupported],
      ["text/plain", { "Content-Type": "text/plain" }, "{}", unsupported],
      ["no content type", {}, "{}", unsupported],
      ["an unknown field", json, '{"cwd":"/","nope":1}', bad],
    ];
    for (const [name, headers, body, [status, code]] of cases) {
      const length = { "Content-Length": String(Buffer.byteLength(body)) };
      // /v1/resolve?lane=no is the same route, dispatched by express (the lane takes the exact path only)
      const lane = await exchange(world.socket, post("/v1/resolve", { ...headers, ...length }, body));
      const viaExpress = await exchange(world.socket, post("/v1/resolve?lane=no", { ...headers, ...length }, body));
      t.is(lane.status, status, `${name}: ${lane.body}`);
      t.is((JSON.parse(lane.body) as { error: { code: string } }).error.code, code, name);
      t.deepEqual(visible(lane), visible(viaExpress), name);
      t.is(lane.headers["x-devsecrets-version"], viaExpress.headers["x-devsecrets-version"], name);
      t.is(lane.headers["cache-control"], "no-store", name);
    }
  });
});

test("a body declared over 64 KiB is refused 413 after being read off unkept; a flood is refused from its head; the connection is closed", async (t) => {
  await withDaemon(async (world) => {
    for (const path of ["/v1/resolve", "/v1/check"]) {
      const megabyte = `{"environ":{"A":"${"x".repeat(1024 * 1024)}"}}`;
      const answer = await exchange(
        world.socket,
        post(path, { ...json, "Content-Length": String(megabyte.length) }, megabyte),
      );
      t.is(answer.status, 413, path);
      t.is((JSON.parse(answer.body) as { error: { code: string } }).error.code, "DS_BODY_TOO_LARGE", path);
      t.is(answer.headers.connection, "close", path);
      // the head alone, promising 100 MiB: answered without waiting for a byte of it
      const flood = await exchange(
        world.socket,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`,
      );
      t.is(flood.status, 413, `${path} flood`);
      t.is(flood.headers.connection, "close", `${path} flood`);
    }
  });
});

test("a good resolve answers the same variables through the lane and through express, BOM or not", async (t) => {
  await withDaemon(async (world) => {
    const cwd = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\nGREETING=hello\n" });
    const body = JSON.stringify({ cwd, env: "dev", environ: {} });
    const lane = await exchange(
      world.socket,
      post("/v1/resolve", { ...json, "Content-Length": String(Buffer.byteLength(body)) }, body),
    );
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    const viaExpress = await exchange(
      world.socket,
      post("/v1/resolve?lane=no", { ...json, "Content-Length": String(withBom.length) }, withBom),
    );
    t.is(lane.status, 200, lane.body);
    t.is(viaExpress.status, 200, viaExpress.body);
    const variables = (raw: Raw) => (JSON.parse(raw.body) as { variables: Record<string, string> }).variables;
    t.deepEqual(variables(lane), variables(viaExpress));
    t.regex(variables(lane).TOKEN ?? "", /^ghp_/);
    t.is(lane.headers["content-type"], "application/json; charset=utf-8");
  });
});
