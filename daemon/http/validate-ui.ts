// Validation of the dashboard's and the session's new routes at the edge: extend, rotate, open the dashboard.
// Rule: a rejected body is named by field, never echoed back.

import { isAbsolute, resolve } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import type { ExtendRequest, RotateRequest, UiOpenRequest } from "../protocol/ui-messages.js";

type Body = Record<string, unknown>;

function bad(message: string): DevsecretsError {
  return new DevsecretsError("DS_BAD_REQUEST", message);
}

function object(input: unknown, keys: readonly string[]): Body {
  const body = input ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw bad("body must be a JSON object");
  for (const key of Object.keys(body)) if (!keys.includes(key)) throw bad(`unknown field "${key.slice(0, 40)}"`);
  return body as Body;
}

function integer(body: Body, key: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw bad(`"${key}" must be an integer from ${min} to ${max}`);
  return value;
}

export function extendRequest(input: unknown): ExtendRequest {
  const ttlSeconds = integer(object(input, ["ttlSeconds"]), "ttlSeconds", 60, 30 * 86400);
  return ttlSeconds === undefined ? {} : { ttlSeconds };
}

const ENV_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

export function rotateRequest(input: unknown): RotateRequest {
  const body = object(input, ["cwd", "names", "env", "graceSeconds"]);
  const cwd = body.cwd;
  if (typeof cwd !== "string" || cwd.length > 4096 || !isAbsolute(cwd) || cwd.includes("\0"))
    throw bad(`"cwd" must be an absolute path`);
  const request: RotateRequest = { cwd: resolve(cwd) };
  if (body.names !== undefined) {
    const names = body.names;
    if (
      !Array.isArray(names) ||
      names.length > 1000 ||
      !names.every((n) => typeof n === "string" && VARIABLE_NAME.test(n))
    )
      throw bad(`"names" must be a list of variable names`);
    request.names = names as string[];
  }
  if (body.env !== undefined) {
    if (typeof body.env !== "string" || !ENV_NAME.test(body.env))
      throw new DevsecretsError("DS_ENV_NAME", "the environment is not a valid name");
    request.env = body.env;
  }
  const grace = integer(body, "graceSeconds", 0, 86400);
  if (grace !== undefined) request.graceSeconds = grace;
  return request;
}

export function uiOpenRequest(input: unknown): UiOpenRequest {
  const port = integer(object(input, ["port"]), "port", 0, 65535);
  return port === undefined ? {} : { port };
}
