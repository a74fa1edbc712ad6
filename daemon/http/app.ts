// The express app on the Unix socket: versioned routes, JSON bodies of at most 64 KiB, one error handler.
// Rule: the only importer of express; routes validate and call the core, nothing else.

import type { RequestListener } from "node:http";
import express, { type Request, type Response, type NextFunction } from "express";
import { PACKAGE_VERSION } from "../protocol/version.js";
import { ROUTES, type ResponseOf, type RouteName } from "../protocol/routes.js";
import type { DaemonCore } from "../daemon-api.js";
import type { Logger } from "../log.js";
import { errorHandler, notFound } from "./error-handler.js";
import * as validate from "./validate.js";
import { jwksServeRequest } from "./validate-jwks.js";
import { extendRequest, rotateRequest, uiOpenRequest } from "./validate-ui.js";
import { servicePauseRequest } from "./validate-services.js";
import { BODY_LIMIT_BYTES, caller, countsAsActivity, refusedContentType, sendJson, setEdgeHeaders } from "./edge.js";
import { readJsonBody } from "./json-body.js";
import { resolveLane } from "./resolve-lane.js";
import { writeTestHeapSnapshot } from "./test-heap-snapshot.js";
import { testFault } from "./test-fault.js";

type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;

/** wraps a handler so that a thrown or rejected error reaches the error handler and a result is sent as JSON */
function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .then((result) => {
        if (!res.headersSent) sendJson(res, result);
      })
      // catch after then: a throw while writing the answer reaches the error handler too
      .catch(next);
  };
}

/** what every request gets before routing, as one layer: express walks each layer of its stack on every request */
function edge(core: DaemonCore, version: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    setEdgeHeaders(res, version);
    const refused = refusedContentType(req);
    if (refused) return next(refused);
    if (countsAsActivity(req.path)) core.touch();
    next();
  };
}

/** POST and DELETE carry the API's bodies; any other method's body is left unread, as a GET's has no meaning here */
function jsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.method !== "POST" && req.method !== "DELETE") return next();
  readJsonBody(req, BODY_LIMIT_BYTES).then((body) => {
    req.body = body;
    next();
  }, next);
}

/** routes that exist only under DEVSECRETS_TEST_HOOKS=1 (daemon/test-hooks.ts); absent, they answer 404 like any unknown path */
export interface TestRoutes {
  heapSnapshot?: boolean;
  faults?: boolean;
}

/** the daemon's request listener: the resolve lane first, then the express app with every route */
export function createApp(
  core: DaemonCore,
  log: Logger,
  onShutdown: () => void,
  version = PACKAGE_VERSION,
  testRoutes: TestRoutes = {},
): RequestListener {
  const app = createExpressApp(core, log, onShutdown, version, testRoutes);
  const lane = resolveLane(core, log, version);
  return (req, res) => {
    if (!lane(req, res)) app(req, res);
  };
}

const VERBS = { GET: "get", POST: "post", DELETE: "delete" } as const;

/** a route's answer, which route() sends as JSON; undefined when the handler wrote it itself (the event stream) */
type Answer<T> = T | Promise<T> | undefined;

/** what each route of daemon/protocol/routes.ts does: validate the body, call the core; typed by the route's answer */
type RouteHandlers = {
  [K in RouteName]: (req: Request, res: Response) => Answer<ResponseOf<(typeof ROUTES)[K]>>;
};

function routeHandlers(core: DaemonCore, onShutdown: () => void): RouteHandlers {
  return {
    health: () => core.health(),
    status: () => core.status(),
    doctor: () => core.doctor(),
    resolve: (req) => core.resolve(validate.resolveRequest(req.body), caller(req)),
    check: (req) => core.check(validate.resolveRequest(req.body)),
    list: (req) => core.list(validate.listRequest(req.body)),
    mint: (req) => core.mint(validate.mintRequest(req.body), caller(req)),
    kinds: () => core.kinds(),
    jwks: () => core.jwks(),
    serveJwks: (req) => core.serveJwks(jwksServeRequest(req.body)),
    login: (req) => core.login(validate.loginRequest(req.body), caller(req)),
    logout: (req) => core.logout(caller(req)),
    keychainSet: (req) => core.keychainSet(validate.keychainSetRequest(req.body), caller(req)),
    keychainUnset: (req) => core.keychainUnset(validate.keychainNameRequest(req.body), caller(req)),
    guardFingerprints: () => core.guardFingerprints(),
    trustShow: (req) => core.trustShow(validate.trustShowRequest(req.body)),
    trust: (req) => core.trust(validate.trustRequest(req.body), caller(req)),
    trustRevoke: (req) => core.trustRevoke(validate.trustShowRequest(req.body), caller(req)),
    trustList: () => core.trustList(),
    events: (req, res) => {
      res.writeHead(200, {
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-store",
        Connection: "keep-alive",
      });
      res.write(": devsecrets events\n\n");
      const unsubscribe = core.events.subscribe((_event, _time, block) => res.write(block()));
      // a comment line now and then lets either side notice a dead peer
      const heartbeat = setInterval(() => res.write(": ping\n\n"), 15_000);
      heartbeat.unref();
      req.socket.setTimeout(0);
      res.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
    extend: (req) => core.extend(extendRequest(req.body), caller(req)),
    rotate: (req) => core.rotate(rotateRequest(req.body), caller(req)),
    services: () => core.services(),
    pauseService: (req) => core.pauseService(servicePauseRequest(req.body), caller(req)),
    uiOpen: (req) => core.uiOpen(uiOpenRequest(req.body)),
    uiClose: () => core.uiClose(),
    sopsKey: (req) => core.sopsKey(validate.sopsKeyRequest(req.body)),
    shutdown: async (req, res) => {
      const result = await core.shutdown(validate.shutdownRequest(req.body).reason);
      res.setHeader("Connection", "close");
      res.on("finish", onShutdown);
      return result;
    },
  };
}

export function createExpressApp(
  core: DaemonCore,
  log: Logger,
  onShutdown: () => void,
  version: string,
  testRoutes: TestRoutes,
): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", false);

  app.use(edge(core, version));
  app.use(jsonBody);

  const handlers = routeHandlers(core, onShutdown);
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const { method, path } = ROUTES[name];
    app[VERBS[method]](path, route(handlers[name] as Handler));
  }

  if (testRoutes.heapSnapshot)
    app.post(
      "/v1/test/heap-snapshot",
      route(() => ({ path: writeTestHeapSnapshot() })),
    );

  if (testRoutes.faults) app.post("/v1/test/fault", (req, res) => testFault(req.body, res));

  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
