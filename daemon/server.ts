// Binds the app to the Unix socket: 0600 from the first instant, stale sockets replaced, live ones never.
// Rule: the caller holds the instance lock before calling listenOnSocket.

import { createServer, type Server, type RequestListener } from "node:http";
import { connect, type Socket } from "node:net";
import { unlinkSync, lstatSync, chmodSync } from "node:fs";
import { DevsecretsError } from "../common/errors.js";
import { checkPeer } from "./hardening/peer-credentials.js";

/** true when something answers a connect on the path */
export function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

export async function clearStaleSocket(path: string): Promise<"none" | "stale-removed"> {
  let info;
  try {
    info = lstatSync(path);
  } catch {
    return "none";
  }
  if (!info.isSocket()) {
    throw new DevsecretsError("DS_SOCKET_UNSAFE", `${path} exists and is not a socket`, {
      hint: `move it away; devsecrets will not delete a file it did not make`,
    });
  }
  if (await socketIsLive(path)) {
    throw new DevsecretsError("DS_SOCKET_UNSAFE", `another process answers on ${path}`, {
      hint: "stop it with `devsecrets daemon stop`",
    });
  }
  unlinkSync(path);
  return "stale-removed";
}

export function listenOnSocket(path: string, listener: RequestListener): Promise<Server> {
  // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by default):
  // without a shorter one a half-sent request holds its connection for 30 s instead of 5
  const server = createServer({ connectionsCheckingInterval: 1_000 }, listener);
  // bounded waits: a client that sends headers slowly or never finishes is cut off
  server.headersTimeout = 5_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  // another uid is cut off in the same tick it is accepted, before the parser reads a byte; listeners of
  // "peer-refused" (main.ts logs it) hear the uid and pid
  server.on("connection", (socket: Socket) => {
    const verdict = checkPeer(socket);
    if (verdict.allowed) return;
    socket.destroy();
    server.emit("peer-refused", { uid: verdict.peer?.uid ?? null, pid: verdict.peer?.pid ?? null });
  });
  return new Promise((resolve, reject) => {
    // umask makes the socket 0600 at bind, so there is no instant where another user could connect
    const previous = process.umask(0o177);
    server.once("error", (error) => {
      process.umask(previous);
      reject(error);
    });
    server.listen(path, () => {
      process.umask(previous);
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}
