// POST /v1/resolve answered before express: every `run` and every shim start makes this one request.
// Rule: the same edge as every route (edge.ts, json-body.ts, error-handler.ts), so its answers equal express's;
// anything else, `/v1/resolve?…` included, goes on to express.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { DaemonCore } from "../daemon-api.js";
import type { Logger } from "../log.js";
import { BODY_LIMIT_BYTES, caller, refusedContentType, sendJson, setEdgeHeaders } from "./edge.js";
import { sendFailure } from "./error-handler.js";
import { readJsonBody } from "./json-body.js";
import * as validate from "./validate.js";
import { RESOLVE } from "../protocol/routes.js";

const ROUTE = RESOLVE.path;

/**
 * Returns a listener that takes the request (true) or leaves it to express (false).
 * Why: express 5 costs ~110 µs a request over node:http on this machine (same handler, measured in bench/),
 * most of the time a warm resolve takes; the other routes are rare enough to keep it.
 */
export function resolveLane(
  core: DaemonCore,
  log: Logger,
  version: string,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.url !== ROUTE || req.method !== RESOLVE.method) return false;
    setEdgeHeaders(res, version);
    const refused = refusedContentType(req);
    if (refused) {
      sendFailure(res, refused, log, ROUTE);
      return true;
    }
    core.touch();
    readJsonBody(req, BODY_LIMIT_BYTES)
      .then((body) => core.resolve(validate.resolveRequest(body), caller(req)))
      .then((answer) => sendJson(res, answer))
      // catch after then: a throw while writing the answer is a failure too, never an unhandled rejection
      .catch((error: unknown) => sendFailure(res, error, log, ROUTE));
    return true;
  };
}
