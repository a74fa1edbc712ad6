// Attacks on the daemon's loopback TCP port (the JWKS today): DNS rebinding through a foreign Host, another local user
// holding connections open, slow and idle connections (issue 16, item 6).
// Rule: the guard (daemon/http/loopback-guard.ts) serves only the user's own connections with a loopback Host.

import test from "ava";
import { connect } from "node:net";
import { procNetAddress, loopbackHostAllowed } from "../../daemon/http/loopback-guard.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { NOBODY } from "../helpers/other-user.js";
import { cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";

let world: World;
let url: URL;
test.before(async () => {
  world = makeWorld();
  const served = await cli(world, ["sandbox", "jwks", "--serve", "--json"]);
  if (served.code !== 0) throw new Error(served.stderr);
  url = new URL((JSON.parse(served.stdout) as { url: string }).url);
});
test.after.always(() => disposeWorld(world));

/** one raw HTTP/1.1 exchange on a fresh connection; resolves with what came back before the server closed */
function raw(request: string, keepOpenMs = 0): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: "127.0.0.1", port: Number(url.port) });
    let text = "";
    socket.setEncoding("utf8").on("data", (c: string) => (text += c));
    socket.on("error", () => {});
    socket.once("close", () => resolve({ text, closedAfterMs: Date.now() - started }));
    socket.once("connect", () => {
      socket.write(request);
      if (keepOpenMs === 0) return;
      setTimeout(() => socket.destroy(), keepOpenMs);
    });
  });
}

test("a request with the loopback Host and port is served", async (t) => {
  for (const host of [`127.0.0.1:${url.port}`, `localhost:${url.port}`]) {
    const { text } = await raw(`GET ${url.pathname} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    t.regex(text, /^HTTP\/1\.1 200 /, host);
    t.regex(text, /"keys"/);
  }
});

test("a foreign Host (DNS rebinding) is refused with 421, the keys not sent", async (t) => {
  for (const host of [`attacker.example:${url.port}`, "localhost", `127.0.0.1:${Number(url.port) + 1}`, ""]) {
    const { text } = await raw(`GET ${url.pathname} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    t.regex(text, /^HTTP\/1\.1 (421|400) /, `Host: ${host}`);
    t.notRegex(text, /"keys"/);
  }
});

test("a request with two Host headers is refused, whichever comes first (RFC 9112: 400; Node kept the first)", async (t) => {
  const mine = `127.0.0.1:${url.port}`;
  for (const [first, second] of [
    [mine, `attacker.example:${url.port}`],
    [`attacker.example:${url.port}`, mine],
    [mine, mine],
  ]) {
    const { text } = await raw(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${first}\r\nHost: ${second}\r\nConnection: close\r\n\r\n`,
    );
    t.regex(text, /^HTTP\/1\.1 (421|400) /, `Host: ${first}, Host: ${second}`);
    t.notRegex(text, /"keys"/);
  }
});

test("a connection that never finishes its headers is cut within seconds", async (t) => {
  const { closedAfterMs } = await raw(`GET ${url.pathname} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\n`, 30_000);
  t.true(closedAfterMs < 12_000, `held for ${closedAfterMs} ms`);
});

test("an idle kept-alive connection is closed", async (t) => {
  const { text, closedAfterMs } = await raw(
    `GET ${url.pathname} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\n\r\n`,
    30_000,
  );
  t.regex(text, /^HTTP\/1\.1 200 /);
  t.true(closedAfterMs < 8_000, `held for ${closedAfterMs} ms`);
});

test("another local user's connection is cut before a byte is read", async (t) => {
  const probe = `
const socket = require("net").connect({ host: "127.0.0.1", port: ${url.port} });
let text = "";
socket.setEncoding("utf8").on("data", (c) => (text += c));
socket.on("error", (e) => console.log("error " + e.code));
socket.on("connect", () => socket.write("GET ${url.pathname} HTTP/1.1\\r\\nHost: 127.0.0.1:${url.port}\\r\\nConnection: close\\r\\n\\r\\n"));
socket.on("close", () => console.log("closed " + JSON.stringify(text)));`;
  const other = await runProcess(nodeForAnyUser(), ["-e", probe], {
    uid: NOBODY,
    gid: NOBODY,
    env: { PATH: "/usr/bin:/bin" },
    timeoutMs: 20_000,
  });
  t.notRegex(other.stdout, /keys/, "another user read the JWKS");
  t.regex(other.stdout, /closed ""|error ECONNRESET/);
  // and the user's own still works afterwards
  const { text } = await raw(
    `GET ${url.pathname} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nConnection: close\r\n\r\n`,
  );
  t.regex(text, /^HTTP\/1\.1 200 /);
});

test("addresses are written as /proc/net/tcp and tcp6 write them", (t) => {
  t.is(procNetAddress("127.0.0.1", 8080), "0100007F:1F90");
  t.is(procNetAddress("::ffff:127.0.0.1", 80), "0100007F:0050");
  t.is(procNetAddress("::1", 443), "00000000000000000000000001000000:01BB");
  t.true(loopbackHostAllowed("127.0.0.1:99", 99));
  t.true(loopbackHostAllowed("[::1]:99", 99));
  t.true(loopbackHostAllowed("LOCALHOST:99", 99));
  t.false(loopbackHostAllowed("127.0.0.1.evil.example:99", 99));
  t.false(loopbackHostAllowed("localhost:98", 99));
  t.false(loopbackHostAllowed(undefined, 99));
});
