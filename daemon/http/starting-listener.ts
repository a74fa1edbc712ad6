// The socket's listener from the first instant: GET /v1/health is answered at once, before the core exists; every
// other request waits until the daemon is ready (its core loaded and the session resumed, or 5 s passed).
// Rule: health never waits and never loads express; what waits is handed over in the order it came.

import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { HEALTH } from "../protocol/routes.js";
import { PACKAGE_VERSION } from "../protocol/version.js";
import { sendJson, setEdgeHeaders } from "./edge.js";

export interface StartingListener {
  /** the server's request listener, for the daemon's whole life */
  readonly listener: RequestListener;
  /** hands every held request, and all that follow, to `next` */
  serve(next: RequestListener): void;
}

function isHealth(req: IncomingMessage): boolean {
  if (req.method !== HEALTH.method) return false;
  const url = req.url ?? "";
  const end = url.indexOf("?");
  return (end < 0 ? url : url.slice(0, end)) === HEALTH.path;
}

/** `version` is the one the daemon says in X-Devsecrets-Version (a test hook may fake it) */
export function startingListener(version: string): StartingListener {
  let next: RequestListener | null = null;
  const held: [IncomingMessage, ServerResponse][] = [];
  const health = { ok: true, version: PACKAGE_VERSION, pid: process.pid };
  return {
    listener(req, res) {
      if (isHealth(req)) {
        setEdgeHeaders(res, version);
        sendJson(res, health);
        return;
      }
      if (next) next(req, res);
      else held.push([req, res]);
    },
    serve(listener) {
      next = listener;
      for (const [req, res] of held.splice(0)) {
        // a caller that gave up while it waited has nothing left to answer
        if (!res.destroyed && !req.destroyed) listener(req, res);
      }
    },
  };
}
