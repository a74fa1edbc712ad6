// Finds the sandbox services' processes of a test world in /proc (by the folder they run in, never by name alone).
// Rule: a test asks /proc and the disk what is left; it never trusts the daemon's word for it.

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import type { World } from "./sandbox-env.js";

/** the world's sandbox services folder: <runtime>/devsecrets/services */
export function servicesRoot(world: World): string {
  return join(world.env.XDG_RUNTIME_DIR as string, "devsecrets", "services");
}

/** pids of live (not zombie) processes whose working folder is inside the world's services folder */
export function serviceProcessesOf(world: World): number[] {
  const root = servicesRoot(world);
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (!cwd.startsWith(`${root}/`)) continue;
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${entry}/status`, "latin1"))) continue;
      pids.push(Number(entry));
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return pids;
}

/** sends RESP commands (inline form) over TCP and returns each reply's first line */
export function redisTalk(port: number, commands: string[], host = "127.0.0.1"): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let text = "";
    const replies: string[] = [];
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`redis on ${port} did not answer: ${JSON.stringify(text)}`));
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(replies));
    socket.on("connect", () => socket.write(commands.map((command) => `${command}\r\n`).join("")));
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      // a bulk reply ($n) spans two lines: take its payload as the answer
      for (;;) {
        const end = text.indexOf("\r\n");
        if (end < 0) break;
        const line = text.slice(0, end);
        if (line.startsWith("$") && line !== "$-1") {
          const rest = text.slice(end + 2);
          const next = rest.indexOf("\r\n");
          if (next < 0) break;
          replies.push(rest.slice(0, next));
          text = rest.slice(next + 2);
        } else {
          replies.push(line);
          text = text.slice(end + 2);
        }
        if (replies.length === commands.length) socket.end();
      }
    });
  });
}

/** the TCP ports (v4 and v6) in LISTEN state whose socket one of `pids` holds open, read from /proc */
export function tcpListenersOf(pids: readonly number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1] as string);
      } catch {
        // closed while we looked
      }
    }
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "latin1").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is fields[1] (hex ip:port), st fields[3] (0A = LISTEN), inode fields[9]
      if (fields[3] === "0A" && inodes.has(fields[9] as string))
        ports.push(Number.parseInt((fields[1] as string).split(":")[1] as string, 16));
    }
  }
  return ports;
}

/** sends `request` on a Unix socket and resolves with everything it answered before closing (5 s at most) */
export function unixExchange(path: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let text = "";
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(text);
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" || error.code === "EPIPE" ? resolve(text) : reject(error),
    );
    socket.on("connect", () => socket.write(request));
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
    });
    socket.on("close", () => resolve(text));
  });
}
