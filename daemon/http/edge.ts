// What every request meets before its route, shared by the express app and the resolve lane: headers, the
// content-type wall, the idle clock, who is calling, and how an answer is written.
// Rule: one implementation of each, so a route answers the same whichever way it was dispatched.

import type { IncomingMessage, ServerResponse } from "node:http";
import { DevsecretsError } from "../../common/errors.js";
import { VERSION_HEADER } from "../protocol/version.js";
import { EVENTS, HEALTH } from "../protocol/routes.js";
import { callerFromPid, type Caller } from "../audit/caller.js";
import { peerOf } from "../hardening/peer-credentials.js";

const PID_HEADER = "x-devsecrets-pid";
const JSON_TYPE = /^application\/json\s*(;|$)/i;

export const BODY_LIMIT_BYTES = 64 * 1024;

export function setEdgeHeaders(res: ServerResponse, version: string): void {
  res.setHeader(VERSION_HEADER, version);
  res.setHeader("Cache-Control", "no-store");
}

/** a POST or DELETE body that is not application/json, whatever it claims; null when the request may go on */
export function refusedContentType(req: IncomingMessage): DevsecretsError | null {
  if (req.method !== "POST" && req.method !== "DELETE") return null;
  const type = req.headers["content-type"] ?? "";
  const carriesBytes = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (!carriesBytes || JSON_TYPE.test(type)) return null;
  return new DevsecretsError(
    "DS_UNSUPPORTED_MEDIA_TYPE",
    `content type "${type.slice(0, 60)}" is not application/json`,
  );
}

/** the idle lock counts requests, not a held event stream or a liveness probe */
export function countsAsActivity(path: string): boolean {
  return path !== HEALTH.path && path !== EVENTS.path;
}

export function caller(req: IncomingMessage): Caller {
  // the kernel's SO_PEERCRED pid is a fact; the header is only the client's claim, used where the kernel cannot say
  const peerPid = peerOf(req.socket)?.pid;
  if (peerPid !== undefined && peerPid > 0) return callerFromPid(String(peerPid));
  const header = req.headers[PID_HEADER];
  return callerFromPid(typeof header === "string" ? header : undefined);
}

/**
 * A JSON answer written in one step. express's res.json goes through res.send's content negotiation, freshness
 * and charset handling, none of which a JSON-only API on a private socket uses.
 */
export function sendJson(res: ServerResponse, result: unknown, status = 200): void {
  // a route that answers nothing answers null: JSON.stringify(undefined) is no JSON text at all
  const body = JSON.stringify(result ?? null);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}
