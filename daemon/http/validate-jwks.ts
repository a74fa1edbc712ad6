// Validation of POST /v1/sandbox/jwks/serve at the edge: an optional port, nothing else.
// Rule: a rejected body is named by field, never echoed back.

import { DevsecretsError } from "../../common/errors.js";
import type { JwksServeRequest } from "../protocol/jwks-messages.js";

export function jwksServeRequest(input: unknown): JwksServeRequest {
  const body = input ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new DevsecretsError("DS_BAD_REQUEST", "body must be a JSON object");
  for (const key of Object.keys(body)) {
    if (key !== "port") throw new DevsecretsError("DS_BAD_REQUEST", `unknown field "${key.slice(0, 40)}"`);
  }
  const port = (body as { port?: unknown }).port;
  if (port === undefined) return {};
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DevsecretsError("DS_BAD_REQUEST", `"port" must be an integer from 0 to 65535`);
  }
  return { port };
}
