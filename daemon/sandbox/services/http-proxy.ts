// The daemon's loopback front of an HTTP sandbox service (moto): the loopback guard (the user's own connections, a
// loopback Host with the port), the emulator's own control API refused, every other request passed through.
// Rule: moto's /moto-api/* (reset, state dumps, configuration) never reaches moto through the proxy; a paused proxy
// resets connections, open or new, as the TCP proxy does; upstream is the service's Unix socket, never a TCP port.

import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createLoopbackServer } from "../../http/loopback-guard.js";

export interface HttpProxyOptions {
  /** the service's Unix socket in its private folder */
  target: string;
  /** path prefixes answered 403 and never forwarded */
  blocked: readonly string[];
}

export class HttpServiceProxy {
  readonly #server: Server;
  readonly #open = new Set<Socket>();
  #pausedUntil = 0;
  #listenPort = 0;

  constructor(options: HttpProxyOptions) {
    this.#server = createLoopbackServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (this.paused) {
        req.socket.resetAndDestroy();
        return;
      }
      if (options.blocked.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
        res.writeHead(403, { "Content-Type": "application/json" });
        res.end('{"error":"the emulator\'s control API is not reachable through devsecrets"}');
        return;
      }
      const upstream = httpRequest(
        { socketPath: options.target, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      req.pipe(upstream);
    });
    this.#server.on("connection", (socket: Socket) => {
      this.#open.add(socket);
      socket.once("close", () => this.#open.delete(socket));
    });
  }

  get paused(): boolean {
    return Date.now() < this.#pausedUntil;
  }

  get pausedUntil(): string | null {
    return this.paused ? new Date(this.#pausedUntil).toISOString() : null;
  }

  get port(): number {
    return this.#listenPort;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => resolve());
    });
    this.#listenPort = (this.#server.address() as AddressInfo).port;
    return this.#listenPort;
  }

  pause(ms: number): void {
    this.#pausedUntil = Date.now() + ms;
    for (const socket of this.#open) socket.resetAndDestroy();
    this.#open.clear();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
