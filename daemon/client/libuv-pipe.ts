// The daemon's socket through libuv's pipe handle, the object node:net itself wraps, reached with process.binding:
// the transport transport.ts takes first, for the preloads above all. Loading node:net (stream, perf_hooks: 35
// modules, ~2 ms) and its first Socket (~2 ms more) cost more than half of the 10 ms an app may pay before its first
// line; the handle costs ~0.2 ms. It also gives a synchronous exchange (readSync on the handle's descriptor), which
// `-r` needs and node:net has not.
// Rule: taken only when every binding looks as Node 22-26 made them (CI runs the transports test on each), never under --pending-deprecation (process.binding
// would print DEP0111) or where process.binding throws (the permission model); otherwise `undefined` and the caller
// takes node:net (socket-request.ts). test/unit/client/transports.test.ts fails when this Node no longer takes it.

import { existsSync, readSync, writeSync } from "node:fs";
import { getSystemErrorName } from "node:util";
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

interface Request {
  oncomplete: (status: number) => void;
  handle?: PipeHandle;
}

interface PipeHandle {
  connect(request: Request, path: string): number;
  readStart(): number;
  writeUtf8String(request: Request, text: string): number;
  close(): void;
  onread?: (buffer: ArrayBuffer) => void;
  readonly fd: number;
}

interface Binding {
  Pipe: new (type: number) => PipeHandle;
  PipeConnectWrap: new () => Request;
  WriteWrap: new () => Request;
  socketType: number;
  /** [kReadBytesOrError]: the size of the read being reported (or a negative errno); [kArrayBufferOffset]: where it starts */
  streamState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
}

let cached: Binding | null | undefined;

/** the handle's constructors and the stream state they report reads in, or undefined where this Node cannot give them safely */
export function libuvPipe(): Binding | undefined {
  if (cached === undefined) cached = lookUp();
  return cached ?? undefined;
}

function lookUp(): Binding | null {
  const flag = "--pending-deprecation";
  if (
    process.execArgv.includes(flag) ||
    process.env.NODE_OPTIONS?.includes(flag) ||
    process.env.NODE_PENDING_DEPRECATION === "1"
  )
    return null;
  try {
    const legacy = process as unknown as { binding(name: string): Record<string, unknown> };
    const pipe = legacy.binding("pipe_wrap") as {
      Pipe?: unknown;
      PipeConnectWrap?: unknown;
      constants?: { SOCKET?: unknown };
    };
    const stream = legacy.binding("stream_wrap") as {
      WriteWrap?: unknown;
      streamBaseState?: unknown;
      kReadBytesOrError?: unknown;
      kArrayBufferOffset?: unknown;
    };
    const { Pipe, PipeConnectWrap } = pipe;
    const { WriteWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset } = stream;
    const prototype = (Pipe as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    const looksRight =
      typeof Pipe === "function" &&
      typeof PipeConnectWrap === "function" &&
      typeof WriteWrap === "function" &&
      typeof pipe.constants?.SOCKET === "number" &&
      streamBaseState instanceof Int32Array &&
      typeof kReadBytesOrError === "number" &&
      typeof kArrayBufferOffset === "number" &&
      typeof prototype?.connect === "function" &&
      typeof prototype.readStart === "function" &&
      typeof prototype.writeUtf8String === "function" &&
      typeof prototype.close === "function";
    if (!looksRight) return null;
    return {
      Pipe: Pipe as Binding["Pipe"],
      PipeConnectWrap: PipeConnectWrap as Binding["PipeConnectWrap"],
      WriteWrap: WriteWrap as Binding["WriteWrap"],
      socketType: pipe.constants!.SOCKET as number,
      streamState: streamBaseState,
      kReadBytesOrError,
      kArrayBufferOffset,
    };
  } catch {
    return null;
  }
}

function failure(status: number, syscall: string, socket: string): Error {
  const errno = getSystemErrorName(status);
  if (syscall === "connect" && isUnreachable(errno)) return new SocketUnreachableError(errno, socket);
  return Object.assign(new Error(`${syscall} ${errno} ${socket}`), { code: errno, errno: status, syscall });
}

/** socketRequest's exchange on the pipe handle; undefined when this Node cannot give one (take socketRequest) */
export function pipeRequest(request: SocketRequest): Promise<SocketResponse> | undefined {
  const uv = libuvPipe();
  if (!uv) return undefined;
  return new Promise((resolve, reject) => {
    const handle = new uv.Pipe(uv.socketType);
    const reader = new ResponseReader();
    let settled = false;
    const finish = (error: Error | null, response?: SocketResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      handle.close();
      if (error) reject(error);
      else resolve(response as SocketResponse);
    };
    const timer = setTimeout(() => finish(timedOut(request)), request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    handle.onread = (buffer) => {
      const size = uv.streamState[uv.kReadBytesOrError]!;
      if (size > 0) {
        const response = reader.push(Buffer.from(buffer, uv.streamState[uv.kArrayBufferOffset], size));
        if (response) finish(null, response);
      } else if (size < 0 && getSystemErrorName(size) === "EOF") {
        try {
          finish(null, reader.end());
        } catch (error) {
          finish(error as Error);
        }
      } else if (size < 0) {
        finish(failure(size, "read", request.socket));
      }
    };
    const connecting = new uv.PipeConnectWrap();
    connecting.oncomplete = (status) => {
      if (status < 0) return finish(failure(status, "connect", request.socket));
      try {
        request.checkListener?.(handle.fd, request.socket);
      } catch (error) {
        return finish(error as Error);
      }
      const writing = new uv.WriteWrap();
      writing.handle = handle;
      // a write libuv could not finish at once reports here; one that did never calls it
      writing.oncomplete = (written) => {
        if (written < 0) finish(failure(written, "write", request.socket));
      };
      const notWritten = handle.writeUtf8String(writing, requestText(request));
      if (notWritten < 0) return finish(failure(notWritten, "write", request.socket));
      const notReading = handle.readStart();
      if (notReading < 0) finish(failure(notReading, "read", request.socket));
    };
    const failed = handle.connect(connecting, request.socket);
    if (failed < 0) finish(failure(failed, "connect", request.socket));
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** sleeps this thread: as short as it gets while an answer is due (a warm resolve takes ~1-2 ms), longer once the daemon is slow */
function waitForSocket(started: number, deadline: number, request: SocketRequest): void {
  const now = Date.now();
  if (now >= deadline) throw timedOut(request);
  // Atomics.wait sleeps ~0.1 ms at the least here, whatever less it is asked for
  const ms = now - started < 5 ? 0.02 : Math.min(5, (now - started) / 4);
  Atomics.wait(pause, 0, 0, Math.min(ms, deadline - now));
}

function isWouldBlock(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "EAGAIN";
}

/**
 * socketRequest's exchange with this thread blocked until the answer (the `-r` preload must fill process.env before
 * it returns); undefined when this Node cannot give one. The handle's descriptor is non-blocking: a read with
 * nothing to read yet waits on Atomics, so the deadline holds even against a daemon that never answers. It runs no
 * checkListener: only the `-r` preload takes it, and the preloads rely on the folder check (transport.ts).
 */
export function pipeRequestSync(request: SocketRequest): SocketResponse | undefined {
  const uv = libuvPipe();
  if (!uv) return undefined;
  const handle = new uv.Pipe(uv.socketType);
  const connecting = new uv.PipeConnectWrap();
  // libuv reports a failed connect on the loop's next turn, after this returns: the first write says it instead
  connecting.oncomplete = () => {};
  const started = Date.now();
  const deadline = started + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const failed = handle.connect(connecting, request.socket);
    if (failed < 0) throw failure(failed, "connect", request.socket);
    const bytes = Buffer.from(requestText(request));
    for (let sent = 0; sent < bytes.length; ) {
      try {
        sent += writeSync(handle.fd, bytes, sent);
      } catch (error) {
        // nothing connected: the path is missing, or nobody listens on it (how the net path names the two)
        if ((error as NodeJS.ErrnoException).code === "ENOTCONN")
          throw new SocketUnreachableError(existsSync(request.socket) ? "ECONNREFUSED" : "ENOENT", request.socket);
        if (!isWouldBlock(error)) throw error;
        waitForSocket(started, deadline, request);
      }
    }
    const reader = new ResponseReader();
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let size: number;
      try {
        size = readSync(handle.fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if (!isWouldBlock(error)) throw error;
        waitForSocket(started, deadline, request);
        continue;
      }
      if (size === 0) return reader.end();
      const response = reader.push(Buffer.from(chunk.subarray(0, size)));
      if (response) return response;
    }
  } finally {
    handle.close();
  }
}
