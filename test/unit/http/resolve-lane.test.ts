// The resolve lane on its own, with no express behind it: which requests it takes, what it answers, what it never does.
// Rule: a real node:http server on a private socket; the core is a recording stand-in (the lane's job is the edge,
// the core's is tested on real daemons), and anything the lane leaves answers 599 "express".

import test from "ava";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveLane } from "../../../daemon/http/resolve-lane.js";
import { DevsecretsError } from "../../../common/errors.js";
import type { DaemonCore } from "../../../daemon/daemon-api.js";
import type { Logger } from "../../../daemon/log.js";
import type { ResolveRequest } from "../../../daemon/protocol/messages.js";
import { socketRequest } from "../../../daemon/client/socket-request.js";

interface Recorded {
  touches: number;
  requests: ResolveRequest[];
  logged: string[];
}

async function withLane(
  answer: (request: ResolveRequest) => Promise<unknown>,
  fn: (socket: string, seen: Recorded) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ds-lane-"));
  const socket = join(dir, "lane.sock");
  const seen: Recorded = { touches: 0, requests: [], logged: [] };
  const core = {
    touch: () => void seen.touches++,
    resolve: (request: ResolveRequest) => {
      seen.requests.push(request);
      return answer(request);
    },
  } as unknown as DaemonCore;
  const log: Logger = {
    info() {},
    warn() {},
    error: (event, fields) => void seen.logged.push(`${event} ${JSON.stringify(fields)}`),
    file: "",
  };
  const lane = resolveLane(core, log, "9.9.9");
  const server: Server = createServer((req, res) => {
    if (lane(req, res)) return;
    res.statusCode = 599;
    res.end("express");
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    await fn(socket, seen);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = { cwd: "/project", env: "dev", environ: { A: "1" }, override: false };

test("the lane takes POST /v1/resolve exactly; every other method or path goes on to express", async (t) => {
  await withLane(
    async (request) => ({ variables: { CWD: request.cwd } }),
    async (socket, seen) => {
      const taken = await socketRequest({ socket, method: "POST", path: "/v1/resolve", body });
      t.is(taken.status, 200);
      t.deepEqual(JSON.parse(taken.body), { variables: { CWD: "/project" } });
      t.is(taken.headers["x-devsecrets-version"], "9.9.9");
      t.is(taken.headers["cache-control"], "no-store");
      t.is(taken.headers["content-type"], "application/json; charset=utf-8");
      t.is(seen.touches, 1, "a resolve keeps the session from idling");
      t.deepEqual(seen.requests, [body]);
      for (const [method, path] of [
        ["POST", "/v1/resolve?x=1"],
        ["GET", "/v1/resolve"],
        ["POST", "/v1/check"],
        ["POST", "/v1/resolve/"],
      ] as const) {
        const left = await socketRequest({ socket, method, path, body: method === "POST" ? body : undefined });
        t.is(left.status, 599, `${method} ${path}`);
      }
      t.is(seen.requests.length, 1, "the core saw only the lane's request");
    },
  );
});

test("refused before the core: a non-JSON body (415), a declared or streamed body over 64 KiB (413, connection closed), bad JSON and bad shapes (400)", async (t) => {
  await withLane(
    async () => ({}),
    async (socket, seen) => {
      const raw = (head: string, payload = "") =>
        new Promise<string>((resolve, reject) => {
          import("node:net").then(({ connect }) => {
            const conn = connect(socket);
            let text = "";
            conn.setEncoding("utf8").on("data", (c: string) => (text += c));
            conn.on("connect", () => conn.write(head + payload));
            conn.on("error", (error: NodeJS.ErrnoException) =>
              error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error),
            );
            conn.on("close", () => resolve(text));
          }, reject);
        });
      const post = (headers: string, payload: string) =>
        raw(
          `POST /v1/resolve HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n`,
          payload,
        );
      const status = (text: string) => Number(text.split(" ")[1]);
      const code = (text: string) =>
        (JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { error: { code: string } }).error.code;

      for (const type of ["text/plain", "application/jsonx", ""]) {
        const answer = await post(type ? `Content-Type: ${type}\r\n` : "", "{}");
        t.is(status(answer), 415, type);
        t.is(code(answer), "DS_UNSUPPORTED_MEDIA_TYPE", type);
      }
      for (const [headers, why] of [
        ["Content-Type: application/json; charset=latin1\r\n", "charset"],
        ["Content-Type: application/json\r\nContent-Encoding: gzip\r\n", "encoding"],
      ]) {
        const answer = await post(headers!, "{}");
        t.is(status(answer), 415, why);
        t.is(code(answer), "DS_UNSUPPORTED_MEDIA_TYPE", why);
      }
      // the client writes its whole (refused) body and still reads the answer: the rest is read off and dropped
      const declared = await raw(
        `POST /v1/resolve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 + 1}\r\n\r\n`,
        "x".repeat(64 * 1024 + 1),
      );
      t.is(status(declared), 413);
      t.is(code(declared), "DS_BODY_TOO_LARGE");
      t.regex(declared, /\r\nConnection: close\r\n/i);
      // a flood is not read at all: answered at once from its declared length, no byte of it sent
      const flood = await raw(
        `POST /v1/resolve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`,
      );
      t.is(status(flood), 413);
      t.is(code(flood), "DS_BODY_TOO_LARGE");
      const chunk = `"${"x".repeat(8 * 1024)}",`;
      const streamed = await raw(
        `POST /v1/resolve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        `1\r\n[\r\n${Array.from({ length: 9 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("")}0\r\n\r\n`,
      );
      t.is(status(streamed), 413, "70 KiB chunked, no declared length");
      t.is(code(streamed), "DS_BODY_TOO_LARGE");
      t.regex(streamed, /\r\nConnection: close\r\n/i);
      for (const [payload, why] of [
        ["{nope", "not JSON"],
        ['"cwd"', "a string"],
        ["[]", "an array"],
        ['{"cwd":"/","nope":1}', "an unknown field"],
      ]) {
        const answer = await post("Content-Type: application/json\r\n", payload!);
        t.is(status(answer), 400, why);
        t.is(code(answer), "DS_BAD_REQUEST", why);
      }
      t.is(seen.requests.length, 0, "the core never saw one of them");
      t.is(seen.touches, 9, "the 3 refused content types do not count as activity; the 9 others passed the edge");
    },
  );
});

test("a failure of the core, or of writing its answer, is an error answer and the server goes on", async (t) => {
  const answers = [
    () => Promise.reject(new DevsecretsError("DS_REF_NOT_FOUND", "no TOKEN")),
    () => Promise.reject(new TypeError("secret-looking text that must not be logged")),
    // JSON.stringify throws on a BigInt: the lane must not leave that to an unhandled rejection
    () => Promise.resolve({ n: 1n }),
    () => Promise.resolve(undefined),
  ];
  let next = 0;
  await withLane(
    () => answers[next++]!(),
    async (socket, seen) => {
      const coded = await socketRequest({ socket, method: "POST", path: "/v1/resolve", body });
      t.is(coded.status, 404);
      t.is((JSON.parse(coded.body) as { error: { code: string } }).error.code, "DS_REF_NOT_FOUND");
      for (const why of ["a thrown TypeError", "an answer JSON cannot write"]) {
        const internal = await socketRequest({ socket, method: "POST", path: "/v1/resolve", body });
        t.is(internal.status, 500, why);
        t.is((JSON.parse(internal.body) as { error: { code: string } }).error.code, "DS_INTERNAL", why);
      }
      t.false(seen.logged.join("\n").includes("secret-looking"), "logged by name, never by message");
      const empty = await socketRequest({ socket, method: "POST", path: "/v1/resolve", body });
      t.is(empty.status, 200);
      t.is(empty.body, "null");
    },
  );
});
