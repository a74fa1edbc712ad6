// The express app on the Unix socket: versioned routes, JSON bodies of at most 64 KiB, one error handler.
// Rule: the only importer of express; routes validate and call the core, nothing else.

import express, { type Request, type Response, type NextFunction } from "express";
import { DevsecretsError } from "../errors.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../protocol/version.js";
import type { DaemonCore } from "../core.js";
import type { Logger } from "../log.js";
import { errorHandler, notFound } from "./error-handler.js";
import * as validate from "./validate.js";
import { jwksServeRequest } from "./validate-jwks.js";
import { callerFromPid, type Caller } from "../audit/caller.js";
import { peerOf } from "../hardening/peer-credentials.js";
import { writeTestHeapSnapshot } from "./test-heap-snapshot.js";

const PID_HEADER = "x-devsecrets-pid";

function caller(req: Request): Caller {
  // the kernel's SO_PEERCRED pid is a fact; the header is only the client's claim, used where the kernel cannot say
  const peerPid = peerOf(req.socket)?.pid;
  if (peerPid !== undefined && peerPid > 0) return callerFromPid(String(peerPid));
  const header = req.headers[PID_HEADER];
  return callerFromPid(typeof header === "string" ? header : undefined);
}

export const BODY_LIMIT_BYTES = 64 * 1024;

type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;

/** wraps a handler so that a thrown or rejected error reaches the error handler and a result is sent as JSON */
function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .then((result) => {
        if (!res.headersSent) res.json(result);
      }, next);
  };
}

function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === "POST" || req.method === "DELETE") {
    const type = req.headers["content-type"] ?? "";
    const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
    if (hasBody && !/^application\/json\s*(;|$)/i.test(type)) {
      next(new DevsecretsError("DS_UNSUPPORTED_MEDIA_TYPE", `content type "${type.slice(0, 60)}" is not application/json`));
      return;
    }
  }
  next();
}

/** routes that exist only under DEVSECRETS_TEST_HOOKS=1 (daemon/test-hooks.ts); absent, they answer 404 like any unknown path */
export interface TestRoutes {
  heapSnapshot?: boolean;
}

export function createApp(core: DaemonCore, log: Logger, onShutdown: () => void, version = PACKAGE_VERSION, testRoutes: TestRoutes = {}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", false);

  app.use((_req, res, next) => {
    res.setHeader(VERSION_HEADER, version);
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  app.use(requireJson);
  app.use((req, _res, next) => {
    if (req.path !== "/v1/health" && req.path !== "/v1/events") core.touch();
    next();
  });
  app.use(express.json({ limit: BODY_LIMIT_BYTES, type: "application/json", strict: true }));

  app.get("/v1/health", route(() => core.health()));
  app.get("/v1/status", route(() => core.status()));
  app.post("/v1/resolve", route((req) => core.resolve(validate.resolveRequest(req.body), caller(req))));
  app.post("/v1/check", route((req) => core.check(validate.resolveRequest(req.body))));
  app.post("/v1/list", route((req) => core.list(validate.listRequest(req.body))));
  app.post("/v1/sandbox/mint", route((req) => core.mint(validate.mintRequest(req.body), caller(req))));
  app.get("/v1/sandbox/kinds", route(() => core.kinds()));
  app.get("/v1/sandbox/jwks", route(() => core.jwks()));
  app.post("/v1/sandbox/jwks/serve", route((req) => core.serveJwks(jwksServeRequest(req.body))));
  app.post("/v1/session", route((req) => core.login(validate.loginRequest(req.body), caller(req))));
  app.delete("/v1/session", route((req) => core.logout(caller(req))));
  app.post("/v1/keychain/set", route((req) => core.keychainSet(validate.keychainSetRequest(req.body), caller(req))));
  app.post("/v1/keychain/unset", route((req) => core.keychainUnset(validate.keychainNameRequest(req.body), caller(req))));
  app.post("/v1/guard/fingerprints", route(() => core.guardFingerprints()));
  app.get("/v1/events", (req, res) => {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.write(": devsecrets events\n\n");
    const unsubscribe = core.events.subscribe((event) => {
      const { type, ...data } = event;
      res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    });
    // a comment line now and then lets either side notice a dead peer
    const heartbeat = setInterval(() => res.write(": ping\n\n"), 15_000);
    heartbeat.unref();
    req.socket.setTimeout(0);
    res.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  app.post("/v1/daemon/stop", route(async (_req, res) => {
    const result = await core.shutdown();
    res.setHeader("Connection", "close");
    res.on("finish", onShutdown);
    res.json(result);
  }));

  if (testRoutes.heapSnapshot) app.post("/v1/test/heap-snapshot", route(() => ({ path: writeTestHeapSnapshot() })));

  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
