// Validation of the sandbox services' pause route at the edge.
// Rule: a rejected body is named by field, never echoed back.

import { DevsecretsError } from "../../common/errors.js";
import type { ServicePauseRequest } from "../protocol/service-messages.js";

function bad(message: string): DevsecretsError {
  return new DevsecretsError("DS_BAD_REQUEST", message);
}

export function servicePauseRequest(input: unknown): ServicePauseRequest {
  const body = input ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw bad("body must be a JSON object");
  for (const key of Object.keys(body))
    if (key !== "service" && key !== "seconds") throw bad(`unknown field "${key.slice(0, 40)}"`);
  const { service, seconds } = body as Record<string, unknown>;
  if (typeof service !== "string" || !/^[a-z][a-z0-9/-]{0,39}$/.test(service))
    throw bad('"service" must be a service name such as "redis" or a kind such as "redis/server"');
  if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
    throw bad('"seconds" must be an integer from 1 to 3600');
  return { service, seconds };
}
