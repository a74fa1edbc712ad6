// The dashboard's actions, each a POST of JSON behind the page's confirmation: log out, extend the session, rotate
// sandbox values, trust or revoke trust for a project.
// Rule: only application/json bodies of at most 16 KiB (no form can post here); every action counts as activity.

import type { IncomingMessage } from "node:http";
import { DevsecretsError } from "../../common/errors.js";
import type { UiBackend } from "./ui-backend.js";

const BODY_LIMIT = 16 * 1024;

export async function runAction(name: string, req: IncomingMessage, backend: UiBackend): Promise<unknown> {
  const body = await readBody(req);
  backend.touch();
  switch (name) {
    case "logout":
      await backend.logout();
      return { ok: true };
    case "extend":
      await backend.extend(optionalSeconds(body.ttlSeconds));
      return { ok: true };
    case "rotate":
      return backend.rotate(text(body.root, "root"), optionalNames(body.names));
    case "trust":
      await backend.trust.trust(text(body.root, "root"), text(body.digest, "digest"));
      return { ok: true };
    case "untrust":
      await backend.trust.revoke(text(body.root, "root"));
      return { ok: true };
    default:
      throw new DevsecretsError("DS_NOT_FOUND", `the dashboard has no action ${JSON.stringify(name.slice(0, 40))}`);
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    throw new DevsecretsError("DS_UNSUPPORTED_MEDIA_TYPE", "dashboard actions take application/json bodies");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new DevsecretsError("DS_BODY_TOO_LARGE", "a dashboard action's body is over 16 KiB");
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8").trim();
  let parsed: unknown;
  try {
    parsed = raw === "" ? {} : JSON.parse(raw);
  } catch {
    throw new DevsecretsError("DS_BAD_REQUEST", "a dashboard action's body is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new DevsecretsError("DS_BAD_REQUEST", "a dashboard action's body must be a JSON object");
  return parsed as Record<string, unknown>;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "" || value.length > 4096)
    throw new DevsecretsError("DS_BAD_REQUEST", `the action needs ${field} as a string`);
  return value;
}

function optionalSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 60 || value > 7 * 86400)
    throw new DevsecretsError("DS_BAD_REQUEST", "ttlSeconds must be a whole number of seconds from 60 to 604800");
  return value;
}

function optionalNames(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 1000 || !value.every((n) => typeof n === "string" && n.length <= 256))
    throw new DevsecretsError("DS_BAD_REQUEST", "names must be a list of variable names");
  return value as string[];
}
