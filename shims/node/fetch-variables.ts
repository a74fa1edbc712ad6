// One resolve for a shim: the request from the process's environment, the answer or a plain error.
// Rule: libuv's pipe handle and nothing else on the hot path (libuv-pipe.ts); what a Node without the handle, or a
// missing daemon, needs is fetch-without-pipe.ts, loaded then.

import { pipeRequest, pipeRequestSync } from "../../daemon/client/libuv-pipe.js";
import { SocketUnreachableError, type SocketRequest } from "../../daemon/client/http-exchange.js";
import { socketPath } from "../../common/paths.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";
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

/** one resolve on libuv's pipe handle; without one on this Node, or with nobody answering, fetch-without-pipe.ts takes over */
export async function fetchVariables(env: Env, request: ResolveRequest): Promise<ShimOutcome> {
  let unreachable: string | undefined;
  try {
    const answer = pipeRequest(resolveCall(socketPath(env), request));
    if (answer) return decode(await answer);
  } catch (error) {
    if (!(error instanceof SocketUnreachableError)) return { ok: false, error: internal(error) };
    unreachable = error.errno;
  }
  // loaded only here: node:net and the autostart are ~14 KB an app whose daemon answers never parses
  return (await import("./fetch-without-pipe.js")).fetchWithoutPipe(env, request, unreachable);
}

/**
 * fetchVariables with this thread blocked until the answer, for the `-r` preload; undefined when it cannot be done so
 * (this Node gives no pipe handle, or nobody answers and a daemon must be started): take fetchVariables then
 */
export function fetchVariablesSync(env: Env, request: ResolveRequest): ShimOutcome | undefined {
  try {
    const response = pipeRequestSync(resolveCall(socketPath(env), request));
    return response && decode(response);
  } catch (error) {
    return error instanceof SocketUnreachableError ? undefined : { ok: false, error: internal(error) };
  }
}

export function resolveCall(socket: string, body: ResolveRequest): SocketRequest {
  return { socket, method: "POST", path: "/v1/resolve", body, headers: { "X-Devsecrets-Version": PACKAGE_VERSION } };
}

export function decode(response: { status: number; body: string }): ShimOutcome {
  let parsed: { error?: Partial<ShimFailure> } & Partial<ResolveResponse>;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return {
      ok: false,
      error: {
        code: "DS_INTERNAL",
        message: `the daemon answered with status ${response.status} and a body that is not JSON`,
        hint: "see the daemon log (devsecrets doctor prints where it is)",
      },
    };
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

export function internal(error: unknown): ShimFailure {
  return {
    code: "DS_INTERNAL",
    message: `the shim failed (${(error as Error)?.message ?? String(error)})`,
    hint: "report the issue with `devsecrets doctor` output",
  };
}
