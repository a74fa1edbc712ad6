// The HTTP/1.1 a client speaks to the daemon, apart from the transport that carries it: the request's text and the
// reading of the answer. Shared by node:net (socket-request.ts), libuv's pipe handle (libuv-pipe.ts) and the event
// subscription's head (event-subscription.ts).
// Rule: no I/O and no imports, so a transport adds only its own cost; the daemon always sends Content-Length.

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
  /**
   * called with the connected descriptor before the first byte is written; throws (DS_SOCKET_UNSAFE) to send nothing.
   * DaemonClient's listener-check.ts; the preloads pass none
   */
  checkListener?: (fd: number, socket: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export class SocketUnreachableError extends Error {
  constructor(
    readonly errno: string,
    readonly socket: string,
  ) {
    super(`nobody answers on ${socket} (${errno})`);
    this.name = "SocketUnreachableError";
  }
}

/**
 * a SocketUnreachableError, told by its name rather than by instanceof: the preloads' bundles (scripts/build.mjs)
 * each carry their own copy of this class, and node:net's transport sits in a bundle of its own
 */
export function isSocketUnreachable(error: unknown): error is SocketUnreachableError {
  return error instanceof Error && error.name === "SocketUnreachableError";
}

/** the errors of a connect that mean nobody listens there (as opposed to a daemon that failed) */
export function isUnreachable(errno: string | undefined): boolean {
  return errno === "ENOENT" || errno === "ECONNREFUSED" || errno === "ENOTSOCK";
}

export function timedOut(request: SocketRequest): Error {
  return new Error(`the daemon did not answer ${request.path} in time`);
}

export const HEADER_END = "\r\n\r\n";

/** the whole request, head and JSON body, as one string (one write) */
export function requestText(request: SocketRequest): string {
  const payload = request.body === undefined ? "" : JSON.stringify(request.body);
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    "Host: devsecrets",
    "Connection: close",
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(payload ? ["Content-Type: application/json", `Content-Length: ${Buffer.byteLength(payload)}`] : []),
  ].join("\r\n");
  return `${head}${HEADER_END}${payload}`;
}

/** an answer's head (the text before HEADER_END, read as latin1): its status and headers, names in lower case */
export function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const lines = head.split("\r\n");
  const status = Number.parseInt(lines[0]?.split(" ")[1] ?? "", 10);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers };
}

/**
 * collects an answer's bytes as they come; says when it is whole. The head is read once, as latin1 (one character a
 * byte, so its offsets are byte offsets); the body is decoded as UTF-8 once, when whole, so a character split across
 * two reads is never cut.
 */
export class ResponseReader {
  #chunks: Buffer[] = [];
  #head: { status: number; headers: Record<string, string>; start: number; length: number } | undefined;

  /** the answer once its Content-Length is in, else undefined (more to come) */
  push(chunk: Buffer): SocketResponse | undefined {
    this.#chunks.push(chunk);
    const head = this.#readHead();
    if (!head || head.length < 0) return undefined;
    const all = this.#bytes();
    if (all.length - head.start < head.length) return undefined;
    return {
      status: head.status,
      headers: head.headers,
      body: all.toString("utf8", head.start, head.start + head.length),
    };
  }

  /** the answer when the daemon closed the connection: what came after the head, or an error when no head came */
  end(): SocketResponse {
    const head = this.#readHead();
    if (!head) throw new Error("the daemon closed the connection without an answer");
    return { status: head.status, headers: head.headers, body: this.#bytes().toString("utf8", head.start) };
  }

  #readHead() {
    if (this.#head) return this.#head;
    const text = this.#bytes().toString("latin1");
    const end = text.indexOf(HEADER_END);
    if (end < 0) return undefined;
    const { status, headers } = parseHead(text.slice(0, end));
    this.#head = {
      status,
      headers,
      start: end + HEADER_END.length,
      length: Number.parseInt(headers["content-length"] ?? "-1", 10),
    };
    return this.#head;
  }

  #bytes(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }
}
