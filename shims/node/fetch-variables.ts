// One resolve for a preload through the front door (daemon/client): the request is made by the caller
// (resolve-request.ts), carried by transport.ts, read by answer.ts; every failure becomes an outcome, never a throw.
// Rule: what only a missing daemon needs (starting it) is fetch-after-start.ts, bundled apart and loaded then.

import { exchange, exchangeSync } from "../../daemon/client/transport.js";
import { isSocketUnreachable } from "../../daemon/client/http-exchange.js";
import { readAnswer } from "../../daemon/client/answer.js";
import { resolveCall } from "../../daemon/client/resolve-request.js";
import { socketPath } from "../../common/paths.js";
import type { ResolveRequest } from "../../daemon/protocol/messages.js";
import { internal, type ShimOutcome } from "./shim-outcome.js";

type Env = Record<string, string | undefined>;

/** one resolve; with nobody answering, fetch-after-start.ts starts the daemon (unless DEVSECRETS_NO_AUTOSTART) and asks again */
export async function fetchVariables(env: Env, request: ResolveRequest): Promise<ShimOutcome> {
  try {
    return readAnswer(await exchange(resolveCall(socketPath(env), request)));
  } catch (error) {
    if (!isSocketUnreachable(error)) return { ok: false, error: internal(error) };
    // loaded only here: the autostart is ~14 KB an app whose daemon answers never parses
    return (await import("./fetch-after-start.js")).fetchAfterStart(env, request, error.errno);
  }
}

/**
 * fetchVariables with this thread blocked until the answer, for the `-r` preload; undefined when it cannot be done so
 * (this Node gives no pipe handle, or nobody answers and a daemon must be started): take fetchVariables then
 */
export function fetchVariablesSync(env: Env, request: ResolveRequest): ShimOutcome | undefined {
  try {
    const response = exchangeSync(resolveCall(socketPath(env), request));
    return response && readAnswer(response);
  } catch (error) {
    return isSocketUnreachable(error) ? undefined : { ok: false, error: internal(error) };
  }
}
