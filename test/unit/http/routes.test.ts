// The one route table (daemon/protocol/routes.ts) against what uses it: the express app registers every row, the
// client calls every row it serves, docs/protocol.md names every row.
// Rule: a real node:http server on a private socket each; the daemon's core is a stand-in that answers every method.

import test from "ava";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROUTES, type RouteName } from "../../../daemon/protocol/routes.js";
import { createApp } from "../../../daemon/http/app.js";
import { DaemonClient } from "../../../daemon/client/client.js";
import type { DaemonCore } from "../../../daemon/daemon-api.js";
import type { Logger } from "../../../daemon/log.js";
import { REPO_ROOT } from "../../helpers/sandbox-env.js";

const NAMES = Object.keys(ROUTES) as RouteName[];

async function withServer(listener: RequestListener, fn: (socket: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ds-routes-"));
  const socket = join(dir, "routes.sock");
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    await fn(socket);
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** the status line of one request, read from its head only (GET /v1/events never ends) */
function statusOf(socket: string, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let text = "";
    conn.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
      if (!text.includes("\r\n\r\n")) return;
      conn.destroy();
      resolve(Number(text.split(" ")[1]));
    });
    conn.on("error", reject);
    const body = method === "GET" ? "" : "{}";
    conn.write(
      `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });
}

test("the express app answers every route of the table, and DS_NOT_FOUND (404) for a path that is not in it", async (t) => {
  // every method of the core answers, so a 404 can only mean the route was not registered
  const core = new Proxy({} as DaemonCore, {
    get: (_target, name) =>
      name === "events" ? { subscribe: () => () => {} } : name === "touch" ? () => {} : async () => ({ ok: name }),
  });
  const log: Logger = { info() {}, warn() {}, error() {}, file: "" };
  await withServer(
    createApp(core, log, () => {}),
    async (socket) => {
      for (const name of NAMES) {
        const { method, path } = ROUTES[name];
        const status = await statusOf(socket, method, path);
        t.not(status, 404, `${name}: ${method} ${path}`);
      }
      t.is(await statusOf(socket, "POST", "/v1/not-a-route"), 404);
      t.is(await statusOf(socket, "DELETE", ROUTES.resolve.path), 404, "a route's path with another method");
    },
  );
});

test("DaemonClient calls each route of the table with its method and path (all but the event stream)", async (t) => {
  const seen = new Set<string>();
  await withServer(
    (req, res) => {
      seen.add(`${req.method} ${req.url}`);
      req.resume();
      res.setHeader("Content-Type", "application/json");
      res.end("{}");
    },
    async (socket) => {
      const client = new DaemonClient({ socket, autostart: false, env: {} });
      const body = {} as never;
      await client.health();
      await client.status();
      await client.doctor();
      await client.resolve(body);
      await client.check(body);
      await client.list(body);
      await client.mint(body);
      await client.kinds();
      await client.services();
      await client.pauseService(body);
      await client.jwks();
      await client.serveJwks();
      await client.login(body);
      await client.logout();
      await client.keychainSet(body);
      await client.keychainUnset(body);
      await client.guardFingerprints();
      await client.extend();
      await client.rotate(body);
      await client.uiOpen();
      await client.uiClose();
      await client.trustShow(body);
      await client.trust(body);
      await client.trustRevoke(body);
      await client.trustList();
      await client.sopsKey(body);
      await client.stop();
    },
  );
  const expected = NAMES.filter((name) => name !== "events").map(
    (name) => `${ROUTES[name].method} ${ROUTES[name].path}`,
  );
  t.deepEqual([...seen].sort(), expected.sort());
});

test("docs/protocol.md names every route of the table as `METHOD PATH`", (t) => {
  const protocol = readFileSync(join(REPO_ROOT, "docs", "protocol.md"), "utf8");
  for (const name of NAMES) {
    const { method, path } = ROUTES[name];
    t.true(protocol.includes(`\`${method} ${path}\``), `${name}: ${method} ${path}`);
  }
});
