// One HTTP/1.1 exchange over the daemon's Unix socket, on node:net alone.
// Rule: no node:http on the client's hot path (it costs ~7 ms of start-up in the preload); the daemon always sends Content-Length.

import { connect } from "node:net";

export interface SocketResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SocketRequest {
  socket: string;
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class SocketUnreachableError extends Error {
  constructor(readonly errno: string, readonly socket: string) {
    super(`nobody answers on ${socket} (${errno})`);
  }
}

const HEADER_END = "\r\n\r\n";

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const lines = head.split("\r\n");
  const status = Number.parseInt(lines[0]?.split(" ")[1] ?? "", 10);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers };
}

export function socketRequest(request: SocketRequest): Promise<SocketResponse> {
  const payload = request.body === undefined ? "" : JSON.stringify(request.body);
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    "Host: devsecrets",
    "Connection: close",
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(payload ? ["Content-Type: application/json", `Content-Length: ${Buffer.byteLength(payload)}`] : []),
  ].join("\r\n");

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const conn = connect(request.socket);
    const finish = (error: Error | null, response?: SocketResponse) => {
      if (settled) return;
      settled = true;
      conn.destroy();
      if (error) reject(error);
      else resolve(response as SocketResponse);
    };
    conn.setTimeout(request.timeoutMs ?? 30_000, () => finish(new Error(`the daemon did not answer ${request.path} in time`)));
    conn.on("connect", () => conn.write(`${head}${HEADER_END}${payload}`));
    conn.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      const end = all.indexOf(HEADER_END);
      if (end < 0) return;
      const { status, headers } = parseHead(all.subarray(0, end).toString("latin1"));
      const length = Number.parseInt(headers["content-length"] ?? "-1", 10);
      const body = all.subarray(end + HEADER_END.length);
      if (length >= 0 && body.length >= length) {
        finish(null, { status, headers, body: body.subarray(0, length).toString("utf8") });
      }
    });
    conn.on("end", () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf(HEADER_END);
      if (end < 0) return finish(new Error("the daemon closed the connection without an answer"));
      const { status, headers } = parseHead(all.subarray(0, end).toString("latin1"));
      finish(null, { status, headers, body: all.subarray(end + HEADER_END.length).toString("utf8") });
    });
    conn.on("error", (error: NodeJS.ErrnoException) => {
      const unreachable = error.code === "ENOENT" || error.code === "ECONNREFUSED" || error.code === "ENOTSOCK";
      finish(unreachable ? new SocketUnreachableError(error.code ?? "error", request.socket) : error);
    });
  });
}
