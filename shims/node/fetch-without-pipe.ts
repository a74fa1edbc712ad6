// The resolve of fetch-variables.ts where its hot path cannot: over node:net on a Node without libuv's pipe handle,
// and after starting the daemon when nobody answers (unless DEVSECRETS_NO_AUTOSTART=1).
// Rule: bundled apart from the preload (scripts/build.mjs), so an app whose daemon answers never parses it.

import { socketRequest, SocketUnreachableError } from "../../daemon/client/socket-request.js";
import { socketPath } from "../../common/paths.js";
import { ERROR_CODES } from "../../daemon/protocol/error-codes.js";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";
import { decode, internal, resolveCall, type ShimFailure, type ShimOutcome } from "./fetch-variables.js";

type Env = Record<string, string | undefined>;

/** `unreachable`: the errno with which the pipe handle found nobody listening (node:net would only find the same) */
export async function fetchWithoutPipe(env: Env, request: ResolveRequest, unreachable?: string): Promise<ShimOutcome> {
  const socket = socketPath(env);
  const post = async () => decode(await socketRequest(resolveCall(socket, request)));
  let errno = unreachable;
  if (errno === undefined) {
    try {
      return await post();
    } catch (error) {
      if (!(error instanceof SocketUnreachableError)) return { ok: false, error: internal(error) };
      errno = error.errno;
    }
  }
  if (env.DEVSECRETS_NO_AUTOSTART === "1") return { ok: false, error: unreachableFailure(socket, errno) };
  try {
    const { DaemonClient } = await import("../../daemon/client/client.js");
    await new DaemonClient({ env, socket }).startDaemon();
    return await post();
  } catch (error) {
    if (error instanceof SocketUnreachableError) return { ok: false, error: unreachableFailure(socket, error.errno) };
    const failure = error as { code?: unknown; message?: unknown; hint?: unknown };
    if (typeof failure.code === "string" && failure.code.startsWith("DS_")) {
      return {
        ok: false,
        error: { code: failure.code, message: String(failure.message), hint: String(failure.hint ?? "") },
      };
    }
    return { ok: false, error: internal(error) };
  }
}

function unreachableFailure(socket: string, errno: string): ShimFailure {
  return {
    code: "DS_DAEMON_UNREACHABLE",
    message: `no daemon answers on ${socket} (${errno})`,
    hint: ERROR_CODES.DS_DAEMON_UNREACHABLE.hint,
  };
}
