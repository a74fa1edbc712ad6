// Load: 50 concurrent clients resolving a 10-reference project against one daemon for 60 s (DEVSECRETS_LOAD_SECONDS).
// Rule: bounded in time; prints errors, p50/p99 latency and the daemon's RSS before and after, never asserts a timing.

import { readFileSync } from "node:fs";
import { makeBenchWorld, projectFiles } from "./world.js";
import { printTable, record } from "./report.js";
import { socketRequest } from "../daemon/client/socket-request.js";

const BENCH = "load";
const CLIENTS = 50;

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(): Promise<void> {
  const requested = Number(process.env.DEVSECRETS_LOAD_SECONDS);
  const seconds = Number.isFinite(requested) && requested > 0 ? requested : 60;
  const world = makeBenchWorld();
  try {
    const project = world.project("loaded", projectFiles(10, "all"));
    const pid = await world.startDaemon();
    const resolveOnce = async (): Promise<boolean> => {
      const response = await socketRequest({
        socket: world.socket,
        method: "POST",
        path: "/v1/resolve",
        body: { cwd: project, environ: {} },
        timeoutMs: 30_000,
      });
      return (
        response.status === 200 &&
        Object.keys((JSON.parse(response.body) as { variables: object }).variables).length === 10
      );
    };
    // warm-up: the first resolve mints the ten values and loads the minters' libraries
    for (let i = 0; i < 20; i++) await resolveOnce();
    const rssBefore = rssMiB(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 1000);

    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    const client = async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const ok = await resolveOnce().catch(() => false);
        latencies.push(performance.now() - started);
        if (!ok) errors++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const rssAfter = rssMiB(pid);
    latencies.sort((a, b) => a - b);
    printTable(
      BENCH,
      `${CLIENTS} concurrent clients resolving a 10-reference project for ${seconds} s (one connection per request)`,
      ["measure", "value"],
      [
        ["resolves", latencies.length],
        ["errors", errors],
        ["throughput (resolves/s)", latencies.length / elapsed],
        ["p50 latency (ms)", percentile(latencies, 50)],
        ["p99 latency (ms)", percentile(latencies, 99)],
        ["max latency (ms)", latencies.at(-1) ?? 0],
        ["daemon RSS after warm-up (MiB)", rssBefore],
        ["daemon RSS peak (MiB)", rssPeak],
        ["daemon RSS after (MiB)", rssAfter],
        ["RSS growth (MiB)", rssAfter - rssBefore],
      ],
    );
    record(BENCH).notes.push(
      `${latencies.length} resolves, ${errors} errors, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ` +
        `RSS ${rssBefore.toFixed(1)} -> ${rssAfter.toFixed(1)} MiB (peak ${rssPeak.toFixed(1)})`,
    );
    if (errors > 0) throw new Error(`${errors} of ${latencies.length} resolves failed`);
  } finally {
    world.cleanup();
  }
}
