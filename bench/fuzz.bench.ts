// The long fuzz run (`npm run fuzz`): arbitrary JSON bodies at every JSON route of one daemon, for a bounded time.
// Rule: bounded by DEVSECRETS_FUZZ_SECONDS (60) and DEVSECRETS_FUZZ_CASES (20000); prints cases, crashes, slowest case and RSS.

import fc from "fast-check";
import { readFileSync } from "node:fs";
import { makeBenchWorld } from "./world.js";
import { printTable, record } from "./report.js";
import { socketRequest } from "../daemon/client/socket-request.js";
import { caseArbitrary, describeCase, FUZZ_PROJECT_ENV, runCase } from "../test/fuzz/route-fuzz.js";

const BENCH = "fuzz";
const BATCH = 250;

function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0);
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export async function run(): Promise<void> {
  const seconds = positive("DEVSECRETS_FUZZ_SECONDS", 60);
  const maxCases = positive("DEVSECRETS_FUZZ_CASES", 20_000);
  const seed = positive("DEVSECRETS_FUZZ_SEED", 1);
  const world = makeBenchWorld();
  try {
    const project = world.project("fuzzed", { "devsecrets.env": FUZZ_PROJECT_ENV });
    const pid = await world.startDaemon();
    const kinds = (
      JSON.parse((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/sandbox/kinds" })).body) as {
        kinds: { kind: string }[];
      }
    ).kinds.map((k) => k.kind);
    const arbitrary = caseArbitrary(project, kinds);
    const deadline = Date.now() + seconds * 1000;
    const statuses = new Map<number, number>();
    const crashes: string[] = [];
    let cases = 0;
    let slowest = { ms: 0, what: "" };
    let rssStart = 0;
    for (let batch = 0; cases < maxCases && Date.now() < deadline; batch++) {
      for (const c of fc.sample(arbitrary, { seed: seed + batch, numRuns: BATCH })) {
        if (cases >= maxCases || Date.now() >= deadline) break;
        const result = await runCase(world.socket, c);
        cases++;
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        if (result.ms > slowest.ms) slowest = { ms: result.ms, what: describeCase(c) };
        if (result.crash !== null && crashes.length < 20) crashes.push(`${result.crash}: ${describeCase(c, 2000)}`);
      }
      // after a first batch, so start-up allocations and lazy imports are not counted as growth
      if (batch === 0) rssStart = rssKiB(pid);
    }
    const health = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" });
    const alive = health.status === 200 && (JSON.parse(health.body) as { pid: number }).pid === pid;
    const rssEnd = rssKiB(pid);
    printTable(
      BENCH,
      `fuzzing every JSON route of one daemon (seed ${seed}, ${seconds} s or ${maxCases} cases)`,
      ["measure", "value"],
      [
        ["cases run", cases],
        ["crashes (5xx, DS_INTERNAL, no answer, no DS_ code)", crashes.length],
        ["answers by status", JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))],
        ["slowest case (ms)", Math.round(slowest.ms)],
        ["daemon RSS after the first batch (MiB)", rssStart / 1024],
        ["daemon RSS at the end (MiB)", rssEnd / 1024],
        ["RSS growth (MiB)", (rssEnd - rssStart) / 1024],
        ["daemon alive, same pid", alive ? "yes" : "NO"],
      ],
    );
    process.stdout.write(`  slowest: ${slowest.what}\n`);
    for (const crash of crashes) process.stdout.write(`  CRASH ${crash}\n`);
    record(BENCH).notes.push(
      `cases ${cases}, crashes ${crashes.length}, slowest ${Math.round(slowest.ms)} ms, RSS ${(rssStart / 1024).toFixed(1)} -> ${(rssEnd / 1024).toFixed(1)} MiB`,
    );
    if (crashes.length > 0 || !alive)
      throw new Error(`${crashes.length} crashing cases${alive ? "" : ", and the daemon is gone"}`);
  } finally {
    world.cleanup();
  }
}
