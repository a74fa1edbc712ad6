// Chooses how a request reaches the daemon, for every Node caller: libuv's pipe handle where this Node gives one
// (libuv-pipe.ts), else node:net (socket-request.ts). Rule: node:net is imported only when the handle is missing,
// so an app whose preload finds the handle never loads it; the preloads' bundles keep socket-request.js apart.
// Every exchange checks the socket's folder first (socket-check.ts): an unsafe one is DS_SOCKET_UNSAFE, nothing sent.

import { pipeRequest, pipeRequestSync } from "./libuv-pipe.js";
import { checkSocketFolder } from "./socket-check.js";
import type { SocketRequest, SocketResponse } from "./http-exchange.js";

/** one exchange; a SocketUnreachableError (isSocketUnreachable) when nobody listens on the socket */
export async function exchange(request: SocketRequest): Promise<SocketResponse> {
  checkSocketFolder(request.socket);
  const piped = pipeRequest(request);
  if (piped) return piped;
  const { socketRequest } = await import("./socket-request.js");
  return socketRequest(request);
}

/**
 * exchange with this thread blocked until the answer, for the `-r` preload; undefined where this Node gives no pipe
 * handle (node:net has no synchronous exchange: the caller asks exchange() from a worker instead)
 */
export function exchangeSync(request: SocketRequest): SocketResponse | undefined {
  checkSocketFolder(request.socket);
  return pipeRequestSync(request);
}
