// Turns every failure into `{error:{code,message,hint}}` with its status: the one place errors become responses.
// Rule: unknown errors answer a generic DS_INTERNAL and are logged by name only (their text may hold a value).

import type { ErrorRequestHandler, RequestHandler } from "express";
import { DevsecretsError, isDevsecretsError } from "../errors.js";
import type { Logger } from "../log.js";

const BODY_PARSER_ERRORS: Record<string, () => DevsecretsError> = {
  "entity.too.large": () => new DevsecretsError("DS_BODY_TOO_LARGE", "request body is larger than 64 KiB"),
  "entity.parse.failed": () => new DevsecretsError("DS_BAD_REQUEST", "request body is not valid JSON"),
  "encoding.unsupported": () => new DevsecretsError("DS_UNSUPPORTED_MEDIA_TYPE", "request body encoding is not supported"),
  "charset.unsupported": () => new DevsecretsError("DS_UNSUPPORTED_MEDIA_TYPE", "request body charset must be utf-8"),
  "request.aborted": () => new DevsecretsError("DS_BAD_REQUEST", "request was aborted"),
};

export function toDevsecretsError(error: unknown, log: Logger, route: string): DevsecretsError {
  if (isDevsecretsError(error)) return error;
  const type = (error as { type?: unknown }).type;
  if (typeof type === "string" && BODY_PARSER_ERRORS[type]) return BODY_PARSER_ERRORS[type]();
  log.error("internal-error", { route, name: (error as Error)?.name ?? typeof error, code: String((error as { code?: unknown })?.code ?? "") });
  return new DevsecretsError("DS_INTERNAL", "the daemon failed to answer this request");
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const failure = toDevsecretsError(error, log, req.path);
    if (failure.code === "DS_BODY_TOO_LARGE") res.setHeader("Connection", "close");
    res.status(failure.status).json(failure.toBody());
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new DevsecretsError("DS_NOT_FOUND", `no route ${req.method} ${req.path.slice(0, 100)}`));
};
