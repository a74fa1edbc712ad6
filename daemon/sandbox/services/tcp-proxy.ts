// The daemon's loopback front of a sandbox service: 127.0.0.1:<random port> piped to the service's private Unix socket.
// Rule: only the user's own connections (the loopback guard's peer check through /proc/net/tcp*); the service itself
// never listens on TCP; a paused proxy resets every connection, open or new, until the pause ends (the outage drill).

import { createConnection, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { peerUid } from "../../http/loopback-guard.js";

export interface ProxyOptions {
  /** the service's Unix socket in its private folder */
  target: string;
  /** whose connections are served (default: this process's uid) */
  uid?: number;
}

export class ServiceProxy {
  readonly #server: Server;
  readonly #open = new Set<Socket>();
  #pausedUntil = 0;
  #port = 0;

  constructor(private readonly options: ProxyOptions) {
    const uid = options.uid ?? process.getuid?.() ?? -1;
    this.#server = createServer((client) => {
      client.on("error", () => {});
      // only Linux tells a TCP peer's owner; elsewhere loopback binding is the only fence
      if (process.platform === "linux" && peerUid(client) !== uid) {
        client.destroy();
        return;
      }
      if (this.paused) {
        client.resetAndDestroy();
        return;
      }
      const upstream = createConnection(this.options.target);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.on("close", () => {
        upstream.destroy();
        this.#open.delete(client);
      });
      upstream.on("close", () => client.destroy());
      this.#open.add(client);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  get paused(): boolean {
    return Date.now() < this.#pausedUntil;
  }

  /** the end of the current pause (ISO), or null when it serves */
  get pausedUntil(): string | null {
    return this.paused ? new Date(this.#pausedUntil).toISOString() : null;
  }

  get port(): number {
    return this.#port;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.#port;
  }

  /** refuses and resets every connection for `ms` (open ones at once), then serves again */
  pause(ms: number): void {
    this.#pausedUntil = Date.now() + ms;
    for (const socket of this.#open) socket.resetAndDestroy();
    this.#open.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
