// The long project fuzz (`npm run fuzz`): 100,000 generated projects and requests (test/fuzz/project-fuzz.ts) against
// one daemon. Rule: prints inputs, crashes, hangs, peak RSS and the answers by status; any crash or hang fails the run.
// DEVSECRETS_FUZZ_PROJECT_CASES (100000), DEVSECRETS_FUZZ_SEED (1), DEVSECRETS_FUZZ_WORKERS (4 cases in flight, each
// in its own folder; the user's settings file is shared) and DEVSECRETS_FUZZ_MINUTES (no bound: a time bound stops the
// run early and says how many cases it reached) change the run.

import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeBenchWorld } from "./world.js";
import { printTable, record } from "./report.js";
import { socketRequest } from "../daemon/client/socket-request.js";
import {
  VALUE_CANARY,
  describeProjectCase,
  projectCaseArbitrary,
  runProjectCase,
  writeProject,
} from "../test/fuzz/project-fuzz.js";

const BENCH = "project-fuzz";
const BATCH = 250;
/** a case slower than this is a hang, even if it answered in the end (each request's own timeout is 30 s) */
const HANG_MS = 10_000;

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export async function run(): Promise<void> {
  const total = positive("DEVSECRETS_FUZZ_PROJECT_CASES", 100_000);
  const seed = positive("DEVSECRETS_FUZZ_SEED", 1);
  const workers = positive("DEVSECRETS_FUZZ_WORKERS", 4);
  const minutes = positive("DEVSECRETS_FUZZ_MINUTES", Number.POSITIVE_INFINITY);
  const world = makeBenchWorld();
  try {
    const pid = await world.startDaemon();
    const kinds = (
      JSON.parse((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/sandbox/kinds" })).body) as {
        kinds: { kind: string }[];
      }
    ).kinds.map((k) => k.kind);
    const arbitrary = projectCaseArbitrary(kinds);
    const dirs = Array.from({ length: workers }, (_, w) => join(world.root, `fuzzed-${w}`));
    const configFile = join(world.env.XDG_CONFIG_HOME as string, "devsecrets", "config.json");
    const statuses = new Map<number, number>();
    const crashes: string[] = [];
    let cases = 0;
    let requests = 0;
    let hangs = 0;
    let peak = rssMiB(pid);
    let slowest = 0;
    /** the cases over the hang bound, with their time: on a loaded machine one may be the machine, not the daemon */
    const slowCases: string[] = [];
    let healthFailures = 0;
    const started = Date.now();
    const deadline = started + minutes * 60_000;
    let stoppedEarly = false;
    for (let batch = 0; cases < total; batch++) {
      if (Date.now() > deadline) {
        stoppedEarly = true;
        break;
      }
      const sample = fc.sample(arbitrary, { seed: seed * 1_000_003 + batch, numRuns: Math.min(BATCH, total - cases) });
      let next = 0;
      await Promise.all(
        dirs.map(async (dir) => {
          while (next < sample.length) {
            const c = sample[next++] as (typeof sample)[number];
            writeProject(dir, c, configFile);
            const result = await runProjectCase(world.socket, dir, c);
            cases++;
            requests += result.statuses.length;
            for (const s of result.statuses) statuses.set(s, (statuses.get(s) ?? 0) + 1);
            slowest = Math.max(slowest, result.ms);
            if (result.ms > HANG_MS) {
              hangs++;
              if (slowCases.length < 5) slowCases.push(`${Math.round(result.ms)} ms: ${describeProjectCase(c, 600)}`);
            }
            if (result.crash !== null && crashes.length < 20)
              crashes.push(`${result.crash}: ${describeProjectCase(c, 600)}`);
          }
        }),
      );
      try {
        const health = await socketRequest({
          socket: world.socket,
          method: "GET",
          path: "/v1/health",
          timeoutMs: 10_000,
        });
        if ((JSON.parse(health.body) as { pid: number }).pid !== pid) healthFailures++;
      } catch {
        healthFailures++;
        break;
      }
      peak = Math.max(peak, rssMiB(pid));
      if (batch % 10 === 0)
        process.stdout.write(
          `  ${cases} cases, ${crashes.length} crashes, ${hangs} hangs, peak RSS ${peak.toFixed(0)} MiB, ${((Date.now() - started) / 60_000).toFixed(1)} min\n`,
        );
    }
    const log = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
    const unexpected = log
      .split("\n")
      .filter((l) => l.includes('"internal-error"') || l.includes('"unexpected-error"'));
    const valueInLog = log.includes(VALUE_CANARY);
    printTable(
      BENCH,
      `generated projects and requests against one daemon (seed ${seed}, ${workers} in flight, ${process.version})${stoppedEarly ? `: STOPPED at the ${minutes}-minute bound after ${cases} of ${total} cases` : ""}`,
      ["measure", "value"],
      [
        ["inputs (generated projects)", cases],
        ["requests", requests],
        ["crashes (DS_INTERNAL, 5xx, no answer, a value in an error)", crashes.length],
        [`hangs (a case over ${HANG_MS / 1000} s)`, hangs],
        ["health failures after a batch", healthFailures],
        ["unexpected lines in the daemon log", unexpected.length],
        ["a value in the daemon log", valueInLog ? "YES" : "no"],
        ["peak daemon RSS (MiB)", peak],
        ["slowest case (ms)", Math.round(slowest)],
        ["answers by status", JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))],
        ["minutes", ((Date.now() - started) / 60_000).toFixed(1)],
      ],
    );
    for (const crash of crashes) process.stdout.write(`  CRASH ${crash}\n`);
    for (const slow of slowCases) process.stdout.write(`  SLOW ${slow}\n`);
    for (const line of unexpected.slice(0, 5)) process.stdout.write(`  LOG ${line}\n`);
    record(BENCH).notes.push(
      `inputs ${cases}${stoppedEarly ? ` of ${total} (time bound)` : ""}, requests ${requests}, crashes ${crashes.length}, hangs ${hangs}, peak RSS ${peak.toFixed(0)} MiB (${process.version})`,
    );
    if (crashes.length > 0 || hangs > 0 || healthFailures > 0 || unexpected.length > 0 || valueInLog)
      throw new Error(`${crashes.length} crashes, ${hangs} hangs, ${healthFailures} health failures`);
  } finally {
    world.cleanup();
  }
}
