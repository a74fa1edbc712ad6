// One HTTP/1.1 exchange over the daemon's Unix socket, on node:net alone: what transport.ts takes where this Node gives
// no libuv pipe handle (libuv-pipe.ts), for every Node caller; the preloads' bundles load it only then.
// Rule: no node:http on the client's hot path (it costs ~7 ms of start-up); the framing is http-exchange.ts.

import { connect, type Socket } from "node:net";
import {
  DEFAULT_TIMEOUT_MS,
  ResponseReader,
  SocketUnreachableError,
  isUnreachable,
  requestText,
  timedOut,
  type SocketRequest,
  type SocketResponse,
} from "./http-exchange.js";

export { SocketUnreachableError, type SocketRequest, type SocketResponse } from "./http-exchange.js";

export function socketRequest(request: SocketRequest): Promise<SocketResponse> {
  const text = requestText(request);
  return new Promise((resolve, reject) => {
    const reader = new ResponseReader();
    let settled = false;
    const conn = connect(request.socket);
    const finish = (error: Error | null, response?: SocketResponse) => {
      if (settled) return;
      settled = true;
      conn.destroy();
      if (error) reject(error);
      else resolve(response as SocketResponse);
    };
    conn.setTimeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => finish(timedOut(request)));
    conn.on("connect", () => {
      try {
        request.checkListener?.(fdOf(conn), request.socket);
      } catch (error) {
        return finish(error as Error);
      }
      conn.write(text);
    });
    conn.on("data", (chunk: Buffer) => {
      const response = reader.push(chunk);
      if (response) finish(null, response);
    });
    conn.on("end", () => {
      try {
        finish(null, reader.end());
      } catch (error) {
        finish(error as Error);
      }
    });
    conn.on("error", (error: NodeJS.ErrnoException) => {
      finish(isUnreachable(error.code) ? new SocketUnreachableError(error.code ?? "error", request.socket) : error);
    });
  });
}

function fdOf(conn: Socket): number {
  const fd = (conn as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === "number" ? fd : -1;
}
