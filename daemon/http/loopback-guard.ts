// The guard every loopback TCP listener of the daemon shares (the JWKS port, the dashboard, the services' proxies).
// Rule: only the user's own connections (owner of the connecting socket, from /proc/net/tcp*), only a loopback Host
// with the port (no DNS rebinding), and idle or slow connections cut as on the Unix socket.

import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import { isIPv4, isIPv6, type Socket } from "node:net";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** the address and port as /proc/net/tcp and tcp6 print them: little-endian 32-bit words in hex, port big-endian */
export function procNetAddress(address: string, port: number): string {
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const v4 = address.startsWith("::ffff:") && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(v4)) {
    const bytes = v4.split(".").map(Number);
    return `${bytes.reverse().map(hexByte).join("")}:${portHex}`;
  }
  if (!isIPv6(address)) return "";
  const words = expandIPv6(address);
  const hex = words
    .flatMap((word) => [word >> 8, word & 0xff])
    .reduce<number[][]>((groups, byte, i) => {
      if (i % 4 === 0) groups.push([]);
      (groups.at(-1) as number[]).push(byte);
      return groups;
    }, [])
    .map((group) => group.reverse().map(hexByte).join(""))
    .join("");
  return `${hex}:${portHex}`;
}

function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}

function expandIPv6(address: string): number[] {
  const [head = "", tail = ""] = address.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((h) => Number.parseInt(h, 16)));
  const left = parse(head);
  const right = address.includes("::") ? parse(tail) : [];
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

/** the uid that owns the peer end of a loopback connection, or null when /proc does not list it */
export function peerUid(socket: Socket): number | null {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return null;
  // the client's socket: its local end is our remote end, and the other way round
  const local = procNetAddress(remoteAddress, remotePort);
  const remote = procNetAddress(localAddress, localPort);
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      const fields = line.trim().split(/\s+/);
      if (fields[1] === local && fields[2] === remote) return Number(fields[7]);
    }
  }
  return null;
}

/** whether the Host header names this listener by a loopback name or address, with its port */
export function loopbackHostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(host.toLowerCase());
  if (!match || Number(match[2]) !== port) return false;
  return LOOPBACK_HOSTS.has(match[1] as string) || /^127(\.\d{1,3}){3}$/.test(match[1] as string);
}

export interface GuardedServerOptions {
  /** whose connections are served (default: this process's uid) */
  uid?: number;
  /** told of each refused connection or request, for the daemon log (never a header's value) */
  onRefused?: (what: "peer" | "host", detail: { uid: number | null }) => void;
}

/** an HTTP server for a 127.0.0.1 port with the guard in front of `listener` */
export function createLoopbackServer(listener: RequestListener, options: GuardedServerOptions = {}): Server {
  const uid = options.uid ?? process.getuid?.() ?? -1;
  // Node checks the timeouts below only every connectionsCheckingInterval: a short one, as on the Unix socket
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const port = req.socket.localPort ?? 0;
    // two Host headers: Node keeps the first; RFC 9112 says refuse, and a proxy in front might have read the other
    if ((req.headersDistinct.host?.length ?? 0) > 1 || !loopbackHostAllowed(req.headers.host, port)) {
      options.onRefused?.("host", { uid: null });
      res.writeHead(421, { "Content-Type": "application/json", Connection: "close" });
      res.end('{"error":"this port answers only to Host 127.0.0.1, localhost or [::1] with its port"}');
      return;
    }
    listener(req, res);
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 1_000;
  server.maxHeadersCount = 50;
  // only Linux tells a TCP peer's owner (/proc/net/tcp); elsewhere the Host check and the timeouts remain
  if (process.platform !== "linux") return server;
  server.on("connection", (socket: Socket) => {
    const owner = peerUid(socket);
    if (owner === uid) return;
    // unknown owner (not in /proc) or another user: cut before the parser reads a byte
    socket.destroy();
    options.onRefused?.("peer", { uid: owner });
  });
  return server;
}
