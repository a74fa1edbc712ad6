// Which request an unexpected throw or rejection belongs to: every request runs in its own async scope.
// Rule: the last-resort handler answers that request DS_INTERNAL; it never says more than that.

import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { DevsecretsError } from "../../common/errors.js";
import { sendJson } from "./edge.js";

const scope = new AsyncLocalStorage<ServerResponse>();

/** runs the listener in the request's scope; a synchronous throw is answered as any failure is */
export function scopedListener(
  listener: RequestListener,
  onThrow: (res: ServerResponse, error: unknown, req: IncomingMessage) => void,
): RequestListener {
  return (req, res) =>
    scope.run(res, () => {
      try {
        listener(req, res);
      } catch (error) {
        onThrow(res, error, req);
      }
    });
}

/** answers the request in whose scope an unexpected error surfaced; true when there was one still open */
export function answerInternal(): boolean {
  const res = scope.getStore();
  if (res === undefined || res.writableEnded) return false;
  if (res.headersSent) {
    res.destroy();
    return true;
  }
  res.setHeader("Connection", "close");
  sendJson(res, new DevsecretsError("DS_INTERNAL", "the daemon failed to answer this request").toBody(), 500);
  return true;
}
