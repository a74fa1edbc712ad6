// Targets 2 and 3: a warm POST /v1/resolve of 10 references against a bare node:http server answering a same-size
// JSON body (bench/bare-server.ts), same client, requests interleaved; then both servers' RSS after 10,000 requests.
// Rule: a fresh daemon, started as autostart starts it, and a fresh peer; medians and ratios from one run.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { socketRequest, type SocketRequest } from "../daemon/client/socket-request.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../daemon/protocol/version.js";
import { makeBenchWorld, projectFiles } from "./world.js";
import { median } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "daemon-edge";
const here = dirname(fileURLToPath(import.meta.url));

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

function startPeer(socket: string, bytes: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "bare-server.js"), socket, String(bytes)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.once("error", reject);
    child.stdout!.setEncoding("utf8").once("data", () => resolve(child));
  });
}

async function timed(request: SocketRequest): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await socketRequest(request);
  if (response.status !== 200) throw new Error(`${request.socket} answered ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e3;
}

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  let peer: ChildProcess | undefined;
  try {
    const daemonPid = await world.startDaemon();
    const cwd = world.project("p10", projectFiles(10, "all"));
    const body = { cwd, env: "dev", environ: world.env, override: false };
    const headers = { [VERSION_HEADER]: PACKAGE_VERSION };
    const ours: SocketRequest = { socket: world.socket, method: "POST", path: "/v1/resolve", body, headers };
    const first = await socketRequest(ours);
    const answerBytes = Buffer.byteLength(first.body);
    const peerSocket = join(world.root, "run", "bare.sock");
    peer = await startPeer(peerSocket, answerBytes);
    const theirs: SocketRequest = { ...ours, socket: peerSocket };
    const idle = { daemon: rssKiB(daemonPid), peer: rssKiB(peer.pid!) };

    const total = Number.parseInt(process.env.BENCH_REQUESTS ?? "", 10) || 10_000;
    const warm = Math.min(500, total >> 2);
    const latency = { daemon: [] as number[], peer: [] as number[] };
    for (let i = 1; i < total; i++) {
      // alternate which goes first, so neither always follows the other's GC
      const pair =
        i % 2
          ? ([
              ["daemon", ours],
              ["peer", theirs],
            ] as const)
          : ([
              ["peer", theirs],
              ["daemon", ours],
            ] as const);
      for (const [who, request] of pair) {
        const us = await timed(request);
        if (i >= warm) latency[who].push(us);
      }
    }
    await timed(theirs);
    const after = { daemon: rssKiB(daemonPid), peer: rssKiB(peer.pid!) };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const settled = { daemon: rssKiB(daemonPid), peer: rssKiB(peer.pid!) };

    const dMed = median(latency.daemon);
    const pMed = median(latency.peer);
    printTable(
      BENCH,
      `POST /v1/resolve, 10 references, ${answerBytes}-byte answer; ${latency.daemon.length} interleaved requests each after ${warm} warm-up, one connection per request (as the CLI does)`,
      ["server", "median µs", "p90 µs", "ratio"],
      [
        ["bare node:http (bench/bare-server)", pMed, percentile(latency.peer, 0.9), 1],
        ["devsecrets daemon", dMed, percentile(latency.daemon, 0.9), dMed / pMed],
      ],
    );
    checkAtMost(BENCH, "warm POST /v1/resolve (10 refs) / bare node:http", dMed / pMed, 2.5);
    const mib = (kib: number) => kib / 1024;
    printTable(
      BENCH,
      `RSS (VmRSS, MiB) after ${total} requests each`,
      ["server", "idle at start", "right after", "2 s later"],
      [
        ["bare node:http", mib(idle.peer), mib(after.peer), mib(settled.peer)],
        ["devsecrets daemon", mib(idle.daemon), mib(after.daemon), mib(settled.daemon)],
        ["ratio", idle.daemon / idle.peer, after.daemon / after.peer, settled.daemon / settled.peer],
      ],
    );
    // idle: started as `daemon start` starts it, after health and one resolve (express is not loaded for those)
    checkAtMost(BENCH, "idle daemon RSS / idle bare node:http RSS", idle.daemon / idle.peer, 1.15);
    checkAtMost(BENCH, `daemon RSS / bare node:http RSS right after ${total} requests`, after.daemon / after.peer, 1.2);
    const argv = readFileSync(`/proc/${daemonPid}/cmdline`, "utf8").split("\0").filter(Boolean).slice(1);
    // the Node flags before the entry (main.js), not the daemon's own arguments after it
    const flags = argv.slice(
      0,
      argv.findIndex((arg) => !arg.startsWith("--")),
    );
    note(
      BENCH,
      `daemon node flags (autostart): ${flags.join(" ") || "none"}; the peer runs with none; ${process.version}`,
    );
  } finally {
    peer?.kill("SIGTERM");
    world.cleanup();
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}
