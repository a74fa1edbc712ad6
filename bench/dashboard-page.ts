// The dashboard's traffic for bench/dashboard.bench.ts, in a process of its own so that reading the streams costs the
// benchmark's client nothing: the token exchange, the snapshot, the page's event stream with a snapshot 250 ms after
// events (as daemon/ui/page/main.ts does), and a `devsecrets events` subscription on the socket.
// usage: node dist/bench/dashboard-page.js <socket>; prints "ready", and its counts at SIGTERM

import { request as httpRequest } from "node:http";
import { socketRequest } from "../daemon/client/socket-request.js";
import { subscribeEvents } from "../daemon/client/event-subscription.js";
import type { UiOpenResponse } from "../daemon/protocol/ui-messages.js";

const socket = process.argv[2] as string;

function get(port: number, path: string, cookie = ""): Promise<{ headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const opened = await socketRequest({ socket, method: "POST", path: "/v1/ui", body: {} });
const { url, port } = JSON.parse(opened.body) as UiOpenResponse;
const exchange = await get(port, new URL(url).pathname + new URL(url).search);
const cookie = String(exchange.headers["set-cookie"]).split(";")[0] as string;
let events = 0;
let snapshots = 0;
let timer: NodeJS.Timeout | undefined;
await get(port, "/api/snapshot", cookie);
const stream = httpRequest({
  host: "127.0.0.1",
  port,
  path: "/api/events",
  headers: { Host: `127.0.0.1:${port}`, Cookie: cookie },
});
stream.on("response", (res) => {
  res.setEncoding("utf8").on("data", (chunk: string) => {
    events += (chunk.match(/^event: /gm) ?? []).length;
    clearTimeout(timer);
    timer = setTimeout(() => void get(port, "/api/snapshot", cookie).then(() => snapshots++), 250);
  });
});
stream.end();
subscribeEvents(socket, { onEvent: () => {} });
// the subscription's socket is unref'd; this process lives until the benchmark ends it
setInterval(() => {}, 1 << 30);
process.on("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify({ events, snapshots })}\n`);
  process.exit(0);
});
process.stdout.write("ready\n");
