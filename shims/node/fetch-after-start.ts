// The resolve of fetch-variables.ts when nobody answered: starts the daemon (DaemonClient.startDaemon) unless
// DEVSECRETS_NO_AUTOSTART is true, then asks again through the same front door.
// Rule: bundled apart from the preloads (scripts/build.mjs), so an app whose daemon answers never parses it; it
// returns outcomes, never throws, because the preload's bundle and this one share no classes.

import { DaemonClient } from "../../daemon/client/client.js";
import { exchange } from "../../daemon/client/transport.js";
import { isSocketUnreachable } from "../../daemon/client/http-exchange.js";
import { readAnswer } from "../../daemon/client/answer.js";
import { resolveCall } from "../../daemon/client/resolve-request.js";
import { clientFlag } from "../../daemon/client/client-environment.js";
import { sayIgnored } from "../../common/environment-dialect.js";
import { socketPath } from "../../common/paths.js";
import { ERROR_CODES } from "../../daemon/protocol/error-codes.js";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";
import { internal, type ShimFailure, type ShimOutcome } from "./shim-outcome.js";

type Env = Record<string, string | undefined>;

/** `errno`: how the first exchange found nobody listening */
export async function fetchAfterStart(env: Env, request: ResolveRequest, errno: string): Promise<ShimOutcome> {
  const socket = socketPath(env);
  if (clientFlag(env, "DEVSECRETS_NO_AUTOSTART")) return { ok: false, error: unreachableFailure(socket, errno) };
  try {
    // no listener check here: the preloads load built-ins only (koffi is ~15 ms); the folder check covers them
    await new DaemonClient({ env, socket, autostart: true, onInvalid: sayIgnored, checkListener: false }).startDaemon();
    return readAnswer(await exchange(resolveCall(socket, request)));
  } catch (error) {
    if (isSocketUnreachable(error)) return { ok: false, error: unreachableFailure(socket, error.errno) };
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
