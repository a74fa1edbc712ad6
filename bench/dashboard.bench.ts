// What an open dashboard costs the daemon (issue 20): two daemons started alike, one with the page's traffic
// attached (its server-sent events on the dashboard's port, the snapshot the page fetches after events, and a
// `devsecrets events` subscription on the socket), the other without; a warm POST /v1/resolve interleaved between the
// two, then both daemons' RSS. Target: a resolve within 1.1x while the page is open.
// Rule: one run, medians and ratios; the page is simulated by its own requests (a browser would add nothing the
// daemon sees beyond them), so the figures are the daemon's alone.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { socketRequest, type SocketRequest } from "../daemon/client/socket-request.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../daemon/protocol/version.js";
import { median } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";
import { type BenchWorld, makeBenchWorld, projectFiles } from "./world.js";

const BENCH = "dashboard";
const here = dirname(fileURLToPath(import.meta.url));

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

/** starts bench/dashboard-page.js against the world's daemon; its counts come back when it is stopped */
async function attachPage(world: BenchWorld): Promise<{ stop(): Promise<{ events: number; snapshots: number }> }> {
  const child = spawn(process.execPath, [join(here, "dashboard-page.js"), world.socket], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  await new Promise<void>((resolve, reject) => {
    child.once("exit", () => reject(new Error("bench/dashboard-page ended before it was ready")));
    const check = () => (out.includes("ready") ? resolve() : setTimeout(check, 20));
    check();
  });
  return {
    async stop() {
      const exited = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(out.split("\n").find((line) => line.startsWith("{")) ?? "{}") as {
        events: number;
        snapshots: number;
      };
    },
  };
}

async function timed(request: SocketRequest): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await socketRequest(request);
  if (response.status !== 200) throw new Error(`${request.socket} answered ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e3;
}

export async function run(): Promise<void> {
  const plain = makeBenchWorld();
  const watched = makeBenchWorld();
  let page: Awaited<ReturnType<typeof attachPage>> | undefined;
  try {
    const pids = { plain: await plain.startDaemon(), watched: await watched.startDaemon() };
    const headers = { [VERSION_HEADER]: PACKAGE_VERSION };
    const requestIn = (world: BenchWorld): SocketRequest => {
      const cwd = world.project("p10", projectFiles(10, "all"));
      return {
        socket: world.socket,
        method: "POST",
        path: "/v1/resolve",
        body: { cwd, env: "dev", environ: world.env, override: false },
        headers,
      };
    };
    const requests = { plain: requestIn(plain), watched: requestIn(watched) };
    await timed(requests.plain);
    await timed(requests.watched);
    const idle = { plain: rssKiB(pids.plain), watched: rssKiB(pids.watched) };
    page = process.env.BENCH_DASHBOARD_CONTROL ? undefined : await attachPage(watched);
    const open = { plain: rssKiB(pids.plain), watched: rssKiB(pids.watched) };

    const total = Number.parseInt(process.env.BENCH_REQUESTS ?? "", 10) || 3_000;
    const warm = Math.min(300, total >> 2);
    const latency = { plain: [] as number[], watched: [] as number[] };
    for (let i = 1; i < total; i++) {
      const order = i % 2 ? (["plain", "watched"] as const) : (["watched", "plain"] as const);
      for (const who of order) {
        const us = await timed(requests[who]);
        if (i >= warm) latency[who].push(us);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const counts = (await page?.stop()) ?? { events: 0, snapshots: 0 };
    page = undefined;
    const after = { plain: rssKiB(pids.plain), watched: rssKiB(pids.watched) };
    const plainMed = median(latency.plain);
    const watchedMed = median(latency.watched);
    printTable(
      BENCH,
      `POST /v1/resolve, 10 references; ${latency.plain.length} interleaved requests each after ${warm} warm-up`,
      ["daemon", "median µs", "ratio"],
      [
        ["no page, no stream", plainMed, 1],
        ["page open + events stream attached", watchedMed, watchedMed / plainMed],
      ],
    );
    checkAtMost(BENCH, "resolve with the page open / without", watchedMed / plainMed, 1.1);
    const mib = (kib: number) => kib / 1024;
    printTable(
      BENCH,
      "RSS (VmRSS, MiB)",
      ["daemon", "idle", "page attached", `after ${total} resolves`],
      [
        ["no page, no stream", mib(idle.plain), mib(open.plain), mib(after.plain)],
        ["page open + events stream", mib(idle.watched), mib(open.watched), mib(after.watched)],
        ["ratio", idle.watched / idle.plain, open.watched / open.plain, after.watched / after.plain],
      ],
    );
    note(
      BENCH,
      `the page (its own process) received ${counts.events} events and fetched ${counts.snapshots} snapshots during the run; Node ${process.version}`,
    );
  } finally {
    await page?.stop();
    plain.cleanup();
    watched.cleanup();
  }
}
