// The dashboard's listener on 127.0.0.1: the page, its snapshot, its event stream and its actions.
// Rule: behind the loopback guard (the user's own connections, a loopback Host); the page needs the cookie a one-time
// token bought, every action also the CSRF header; answers hold names and counts, never a value. The wipe sends the
// page a last `wipe` event and closes the listener.

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DevsecretsError } from "../../common/errors.js";
import { createLoopbackServer } from "../http/loopback-guard.js";
import { eventBlock } from "../protocol/events.js";
import type { UiOpenResponse } from "../protocol/ui-messages.js";
import { CSRF_HEADER, UiAuth } from "./ui-auth.js";
import type { UiBackend } from "./ui-backend.js";
import { setUiHeaders } from "./ui-headers.js";
import { PAGE_HTML, type PageAssets, readPageAssets } from "./page-shell.js";
import { runAction } from "./ui-actions.js";

const HEARTBEAT_MS = 15_000;

interface Open {
  server: Server;
  port: number;
  auth: UiAuth;
  streams: Set<ServerResponse>;
}

export class UiServer {
  #open: Open | null = null;
  #opening: Promise<Open> | null = null;
  #assets: PageAssets | null = null;

  constructor(private readonly backend: UiBackend) {}

  /** starts the listener (once) and answers its address with a new one-time token */
  async open(port = 0): Promise<UiOpenResponse> {
    if (!this.#open)
      this.#opening ??= this.#listen(port).finally(() => {
        this.#opening = null;
      });
    const open = this.#open ?? (await (this.#opening as Promise<Open>));
    if (port !== 0 && port !== open.port) {
      throw new DevsecretsError("DS_UI_PORT", `the dashboard is already served on port ${open.port}, not ${port}`, {
        hint: "run `devsecrets ui` without --port, or `devsecrets ui --stop` first",
      });
    }
    const { token, expiresAt } = open.auth.issueToken();
    return {
      url: `http://127.0.0.1:${open.port}/?token=${token}`,
      port: open.port,
      tokenExpiresAt: new Date(expiresAt).toISOString(),
    };
  }

  get port(): number | null {
    return this.#open?.port ?? null;
  }

  /** ends every stream (with a last `wipe` event when a wipe closes it) and the listener; 1 when one was open */
  async close(wipeReason?: string): Promise<number> {
    if (this.#opening) await this.#opening.catch(() => {});
    const open = this.#open;
    if (!open) return 0;
    this.#open = null;
    open.auth.forget();
    const time = new Date().toISOString();
    for (const stream of open.streams) {
      if (wipeReason) stream.write(eventBlock({ type: "wipe", reason: wipeReason }, time));
      stream.end();
    }
    // an action that caused this wipe (log out) still writes its answer: idle sockets now, the rest shortly
    const closed = new Promise<void>((resolve) => open.server.close(() => resolve()));
    open.server.closeIdleConnections();
    const backstop = setTimeout(() => open.server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(backstop);
    return 1;
  }

  async #listen(port: number): Promise<Open> {
    this.#assets ??= readPageAssets();
    const server = createLoopbackServer((req, res) => this.#handle(req, res));
    const bound = await new Promise<number>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new DevsecretsError(
            "DS_UI_PORT",
            `cannot serve the dashboard on 127.0.0.1:${port} (${error.code ?? "error"})`,
            {
              cause: error,
            },
          ),
        ),
      );
      server.listen({ host: "127.0.0.1", port, exclusive: true }, () =>
        resolve((server.address() as AddressInfo).port),
      );
    });
    server.unref();
    // per port: two daemons (or a test's) on one machine keep their own cookie, and cookies ignore ports
    const open: Open = { server, port: bound, auth: new UiAuth(`devsecrets_ui_${bound}`), streams: new Set() };
    this.#open = open;
    return open;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const open = this.#open;
    setUiHeaders(res);
    if (!open) return sendError(res, new DevsecretsError("DS_UI_AUTH", "the dashboard is closed"));
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";

    if (method === "GET" && url.pathname === "/" && url.searchParams.has("token")) {
      const session = open.auth.exchange(url.searchParams.get("token"));
      if (!session) return sendError(res, tokenRefused(), true);
      // the address bar loses the token at once; the cookie is all the page needs from here
      res.writeHead(303, { Location: "/", "Set-Cookie": open.auth.setCookieHeader(session) }).end();
      return;
    }
    const session = open.auth.sessionOf(req.headers.cookie);
    if (!session) return sendError(res, tokenRefused(), method === "GET" && url.pathname === "/");

    if (method === "GET") {
      if (url.pathname === "/") return send(res, 200, "text/html; charset=utf-8", PAGE_HTML);
      if (url.pathname === "/assets/app.js")
        return send(res, 200, "text/javascript; charset=utf-8", this.#assets?.["app.js"] ?? "");
      if (url.pathname === "/assets/app.css")
        return send(res, 200, "text/css; charset=utf-8", this.#assets?.["app.css"] ?? "");
      if (url.pathname === "/api/snapshot") {
        this.backend.snapshot().then(
          (snapshot) => sendJson(res, 200, { ...snapshot, csrf: session.csrf }),
          (error) => sendError(res, error),
        );
        return;
      }
      if (url.pathname === "/api/events") return this.#stream(open, req, res);
      if (url.pathname === "/api/trust") {
        this.backend.trust.listing(url.searchParams.get("root") ?? "").then(
          (listing) => sendJson(res, 200, listing),
          (error) => sendError(res, error),
        );
        return;
      }
    }
    if (method === "POST" && url.pathname.startsWith("/api/actions/")) {
      if (!open.auth.csrfMatches(session, req.headers[CSRF_HEADER])) {
        return sendError(
          res,
          new DevsecretsError("DS_UI_CSRF", "this action came without the dashboard's CSRF header"),
        );
      }
      runAction(url.pathname.slice("/api/actions/".length), req, this.backend).then(
        (answer) => sendJson(res, 200, answer),
        (error) => sendError(res, error),
      );
      return;
    }
    sendError(res, new DevsecretsError("DS_NOT_FOUND", `the dashboard has no ${method} ${url.pathname}`));
  }

  #stream(open: Open, req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", Connection: "keep-alive" });
    res.write(": devsecrets dashboard\n\n");
    open.streams.add(res);
    const unsubscribe = this.backend.events.subscribe((_event, _time, block) => res.write(block()));
    const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS).unref();
    req.socket.setTimeout(0);
    res.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.streams.delete(res);
    });
  }
}

function tokenRefused(): DevsecretsError {
  return new DevsecretsError("DS_UI_AUTH", "this dashboard address has no valid token: it was used, expired or wrong");
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) }).end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}

/** the page's errors: `{error:{code,message,hint}}`, or a short page when a person opened the address */
function sendError(res: ServerResponse, error: unknown, asPage = false): void {
  if (res.headersSent) return void res.end();
  const known = error instanceof DevsecretsError ? error : new DevsecretsError("DS_INTERNAL", "the dashboard failed");
  if (!asPage) return sendJson(res, known.status, known.toBody());
  const text = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>devsecrets</title></head><body><h1>${known.code}</h1><p>${escapeHtml(known.message)}</p><p>${escapeHtml(known.hint)}</p></body></html>`;
  send(res, known.status, "text/html; charset=utf-8", text);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
