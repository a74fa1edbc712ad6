// One resolve for a shim: the request from the process's environment, the answer or a plain error.
// Rule: node:net (via socket-request) on the hot path only; the autostart module is imported only when nobody answers.

import { socketRequest, SocketUnreachableError } from "../../daemon/client/socket-request.js";
import { socketPath } from "../../daemon/paths.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";
import { ERROR_CODES } from "../../daemon/protocol/error-codes.js";
import type { ResolveRequest, ResolveResponse } from "../../daemon/protocol/messages.js";

type Env = Record<string, string | undefined>;

/** the same code, message and hint every shim reports */
export interface ShimFailure {
  code: string;
  message: string;
  hint: string;
}

export type ShimOutcome = { ok: true; answer: ResolveResponse } | { ok: false; error: ShimFailure };


/** the request the protocol's checklist describes, from the process's environment */
export function resolveRequest(env: Env, cwd: string, names?: string[]): ResolveRequest {
  const environ: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) environ[name] = value;
  const request: ResolveRequest = {
    cwd,
    env: env.DEVSECRETS_ENV || "dev",
    environ,
    override: env.DEVSECRETS_OVERRIDE === "1",
  };
  if (names) request.names = names;
  return request;
}

export async function fetchVariables(env: Env, request: ResolveRequest): Promise<ShimOutcome> {
  const socket = socketPath(env);
  try {
    return decode(await post(socket, request));
  } catch (error) {
    if (!(error instanceof SocketUnreachableError)) return { ok: false, error: internal(error) };
    if (env.DEVSECRETS_NO_AUTOSTART === "1") return { ok: false, error: unreachable(socket, error.errno) };
  }
  try {
    const { DaemonClient } = await import("../../daemon/client/client.js");
    await new DaemonClient({ env, socket }).startDaemon();
    return decode(await post(socket, request));
  } catch (error) {
    if (error instanceof SocketUnreachableError) return { ok: false, error: unreachable(socket, error.errno) };
    const failure = error as { code?: unknown; message?: unknown; hint?: unknown };
    if (typeof failure.code === "string" && failure.code.startsWith("DS_")) {
      return { ok: false, error: { code: failure.code, message: String(failure.message), hint: String(failure.hint ?? "") } };
    }
    return { ok: false, error: internal(error) };
  }
}

function post(socket: string, body: ResolveRequest) {
  return socketRequest({ socket, method: "POST", path: "/v1/resolve", body, headers: { "X-Devsecrets-Version": PACKAGE_VERSION } });
}

function decode(response: { status: number; body: string }): ShimOutcome {
  let parsed: { error?: Partial<ShimFailure> } & Partial<ResolveResponse>;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return { ok: false, error: { code: "DS_INTERNAL", message: `the daemon answered with status ${response.status} and a body that is not JSON`, hint: "see the daemon log (devsecrets doctor prints where it is)" } };
  }
  if (response.status >= 200 && response.status < 300) return { ok: true, answer: parsed as ResolveResponse };
  const error = parsed.error ?? {};
  return {
    ok: false,
    error: {
      code: typeof error.code === "string" ? error.code : "DS_INTERNAL",
      message: typeof error.message === "string" ? error.message : `the daemon answered with status ${response.status}`,
      hint: typeof error.hint === "string" ? error.hint : "see docs/errors.md",
    },
  };
}

function unreachable(socket: string, errno: string): ShimFailure {
  return { code: "DS_DAEMON_UNREACHABLE", message: `no daemon answers on ${socket} (${errno})`, hint: ERROR_CODES.DS_DAEMON_UNREACHABLE.hint };
}

function internal(error: unknown): ShimFailure {
  return { code: "DS_INTERNAL", message: `the shim failed (${(error as Error)?.message ?? String(error)})`, hint: "report the issue with `devsecrets doctor` output" };
}
