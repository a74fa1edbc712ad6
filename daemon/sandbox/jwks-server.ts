// The loopback JWKS endpoint: http://127.0.0.1:<port>/.well-known/jwks.json for apps that fetch keys by URL.
// Rule: bound to 127.0.0.1 only, behind the loopback guard (the user's connections, a loopback Host), one per daemon,
// serves the CURRENT session's public keys; closed by the wipe.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DevsecretsError } from "../../common/errors.js";
import { createLoopbackServer } from "../http/loopback-guard.js";

export const JWKS_PATH = "/.well-known/jwks.json";

export class JwksServer {
  #server: Server | null = null;
  #starting: Promise<string> | null = null;
  #url: string | null = null;

  constructor(private readonly jwks: () => Promise<{ keys: unknown[] }>) {}

  /** starts the server (once) and returns its URL; asking again answers the same URL */
  async serve(port = 0): Promise<{ url: string }> {
    this.#starting ??= this.#listen(port).catch((error: unknown) => {
      this.#starting = null;
      throw error;
    });
    const url = await this.#starting;
    if (port !== 0 && new URL(url).port !== String(port)) {
      throw new DevsecretsError("DS_SANDBOX_OPTION", `the JWKS is already served at ${url}, not on port ${port}`, {
        hint: "use that URL, or run `devsecrets logout` (or `daemon stop`) to close it first",
      });
    }
    return { url };
  }

  /** the address while it is served, else null */
  get url(): string | null {
    return this.#server ? this.#url : null;
  }

  /** 1 when a server was closed, 0 when none was open */
  async close(): Promise<number> {
    const starting = this.#starting;
    this.#starting = null;
    if (!starting) return 0;
    await starting.catch(() => {});
    const server = this.#server;
    this.#server = null;
    if (!server) return 0;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return 1;
  }

  #listen(port: number): Promise<string> {
    const server = createLoopbackServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if ((req.method !== "GET" && req.method !== "HEAD") || path !== JWKS_PATH) {
        res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":"not found"}');
        return;
      }
      this.jwks().then(
        (body) => {
          res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
          res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
        },
        () => res.writeHead(500, { "Content-Type": "application/json" }).end('{"error":"internal"}'),
      );
    });
    return new Promise((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        reject(
          new DevsecretsError(
            "DS_SANDBOX_OPTION",
            `cannot serve the JWKS on 127.0.0.1:${port} (${error.code ?? "error"})`,
            {
              hint: "choose another port, or leave it out for a free one",
              cause: error,
            },
          ),
        );
      });
      server.listen({ host: "127.0.0.1", port, exclusive: true }, () => {
        server.unref();
        this.#server = server;
        this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${JWKS_PATH}`;
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}${JWKS_PATH}`);
      });
    });
  }
}
