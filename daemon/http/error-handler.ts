// Turns every failure into `{error:{code,message,hint}}` with its status: the one place errors become responses.
// Rule: unknown errors answer a generic DS_INTERNAL and are logged by name and stack frames only (their message may
// quote input or hold a value).

import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { DevsecretsError, isDevsecretsError } from "../../common/errors.js";
import type { Logger } from "../log.js";
import { errorFields } from "../error-fields.js";
import { sendJson } from "./edge.js";

export function toDevsecretsError(error: unknown, log: Logger, route: string): DevsecretsError {
  if (isDevsecretsError(error)) return error;
  log.error("internal-error", { route: route.slice(0, 100), ...errorFields(error) });
  return new DevsecretsError("DS_INTERNAL", "the daemon failed to answer this request");
}

/** writes a failure; a body too large also closes the connection (the rest of it is never read) */
export function sendFailure(res: ServerResponse, error: unknown, log: Logger, route: string): void {
  const failure = toDevsecretsError(error, log, route);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (failure.code === "DS_BODY_TOO_LARGE") res.setHeader("Connection", "close");
  sendJson(res, failure.toBody(), failure.status);
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => sendFailure(res, error, log, req.path);
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new DevsecretsError("DS_NOT_FOUND", `no route ${req.method} ${req.path.slice(0, 100)}`));
};
