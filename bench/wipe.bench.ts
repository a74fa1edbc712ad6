// Wipe time against the number of sandbox tokens outstanding, and login/status latency beside a /v1/health baseline.
// Rule: figures and ratios from one run; nothing asserted. The wipe runs in-process on the real core; latencies over the real socket.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDaemonCore } from "../daemon/daemon-core.js";
import { WipeRegistry } from "../daemon/wipe/wipe-registry.js";
import type { Logger } from "../daemon/log.js";
import { socketRequest } from "../daemon/client/socket-request.js";
import { makeBenchWorld } from "./world.js";
import { median, roundsFromEnv } from "./paired.js";
import { note, printTable } from "./report.js";

const BENCH = "wipe";
const BATCH = 200;

const quietLog: Logger = { file: "/dev/null", info() {}, warn() {}, error() {} };

/**
 * `count` distinct sandbox references. The session keeps one token per distinct reference (its text), and the kinds
 * bound their options (hex length 16..1024), so past ~2,000 the references differ by zero-padding (`length=064`):
 * the parser reads the same number, the session counts another token.
 */
function distinctReferences(count: number): string[] {
  const refs: string[] = [];
  for (let pad = 0; refs.length < count && pad < 8; pad++) {
    for (const [kind, option, min, max] of [
      ["random/hex", "length", 16, 1024],
      ["random/base64", "bytes", 8, 1024],
    ] as const) {
      for (let n = min; n <= max && refs.length < count; n++) {
        const digits = String(n);
        if (digits.length + pad > 9) continue;
        refs.push(`sandbox://${kind}?${option}=${"0".repeat(pad)}${digits}`);
      }
    }
  }
  if (refs.length < count) throw new Error(`only ${refs.length} distinct references`);
  return refs;
}

async function wipeWith(
  count: number,
): Promise<{ minted: number; undone: number; ms: number; reportMs: number; mintMs: number }> {
  const root = mkdtempSync(join(tmpdir(), "ds-bench-wipe-"));
  try {
    const state = join(root, "state");
    mkdirSync(state, { recursive: true, mode: 0o700 });
    const project = join(root, "project");
    mkdirSync(project);
    const names = distinctReferences(count).map((ref, i) => [`T${i}`, ref] as const);
    writeFileSync(join(project, "devsecrets.env"), `${names.map(([name, ref]) => `${name}=${ref}`).join("\n")}\n`);
    const wipe = new WipeRegistry();
    const core = createDaemonCore({
      socket: join(root, "unused.sock"),
      log: quietLog,
      wipe,
      env: { HOME: root, XDG_STATE_HOME: state, PATH: process.env.PATH ?? "" },
    });
    const mintStarted = performance.now();
    for (let i = 0; i < names.length; i += BATCH) {
      const batch = names.slice(i, i + BATCH).map(([name]) => name);
      const answer = await core.resolve({ cwd: project, env: "dev", environ: {}, names: batch });
      if (Object.keys(answer.variables).length !== batch.length)
        throw new Error(`a batch resolved ${Object.keys(answer.variables).length} of ${batch.length}`);
    }
    const mintMs = performance.now() - mintStarted;
    const minted = core.status().session.counts.sandboxTokens;
    const started = performance.now();
    const report = await wipe.wipe("logout");
    const ms = performance.now() - started;
    if (core.status().session.counts.sandboxTokens !== 0) throw new Error("the wipe left tokens in the session");
    return { minted, undone: report.parts.sandbox ?? 0, ms, reportMs: report.durationMs, mintMs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function timed(send: () => Promise<{ status: number; body: string }>): Promise<number> {
  const started = performance.now();
  const response = await send();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`answered ${response.status}: ${response.body.slice(0, 200)}`);
  return ms;
}

async function socketLatencies(rounds: number): Promise<Map<string, number[]>> {
  const world = makeBenchWorld();
  try {
    await world.startDaemon();
    const socket = world.socket;
    const health = () => socketRequest({ socket, method: "GET", path: "/v1/health" });
    const status = () => socketRequest({ socket, method: "GET", path: "/v1/status" });
    const login = () =>
      socketRequest({ socket, method: "POST", path: "/v1/session", body: { store: "memory", ttlSeconds: 3600 } });
    const logout = () => socketRequest({ socket, method: "DELETE", path: "/v1/session" });
    const times = new Map<string, number[]>([
      ["GET /v1/health", []],
      ["GET /v1/status", []],
      ["login (new session)", []],
      ["login (extend)", []],
    ]);
    for (let round = 0; round < rounds + 5; round++) {
      const row: [string, number][] = [];
      row.push(["GET /v1/health", await timed(health)]);
      row.push(["login (new session)", await timed(login)]);
      row.push(["login (extend)", await timed(login)]);
      row.push(["GET /v1/status", await timed(status)]);
      await timed(logout);
      if (round >= 5) for (const [name, ms] of row) times.get(name)!.push(ms);
    }
    return times;
  } finally {
    world.cleanup();
  }
}

export async function run(): Promise<void> {
  const sizes = [1, 100, 10_000];
  const repeats = 5;
  await wipeWith(100); // warm-up: JIT, module loading
  const rows: (string | number)[][] = [];
  const perToken = new Map<number, number>();
  for (const n of sizes) {
    const runs: Awaited<ReturnType<typeof wipeWith>>[] = [];
    for (let i = 0; i < repeats; i++) runs.push(await wipeWith(n));
    const minted = runs[0]!.minted;
    if (runs.some((r) => r.minted !== n || r.undone < n))
      throw new Error(
        `wanted ${n} tokens minted and undone, got ${JSON.stringify(runs.map((r) => [r.minted, r.undone]))}`,
      );
    const ms = median(runs.map((r) => r.ms));
    perToken.set(n, ms / minted);
    rows.push([
      n,
      runs[0]!.undone,
      ms,
      (ms / minted) * 1000,
      median(runs.map((r) => r.reportMs)),
      median(runs.map((r) => r.mintMs)),
    ]);
  }
  printTable(
    BENCH,
    `wipe with N sandbox tokens outstanding (in-process core, reason logout, median of ${repeats})`,
    ["tokens", "undone", "wipe ms", "µs / token", "wipe ms (report)", "minting ms"],
    rows,
  );
  note(
    BENCH,
    `growth: per-token wipe cost at 10,000 / at 100 = ${(perToken.get(10_000)! / perToken.get(100)!).toFixed(2)} (≤ 1: linear or better)`,
  );
  note(
    BENCH,
    `total wipe at 10,000 / at 100 = ${((perToken.get(10_000)! * 10_000) / (perToken.get(100)! * 100)).toFixed(2)} (100 would be exactly linear)`,
  );
  note(
    BENCH,
    "the sandbox part drops the session's value map whole (values are strings, not zeroed buffers), so its cost barely grows with N",
  );

  const rounds = roundsFromEnv(50);
  const times = await socketLatencies(rounds);
  const base = median(times.get("GET /v1/health")!);
  printTable(
    BENCH,
    `socket latency, memory store: median of ${rounds} interleaved rounds (after 5 warm-up)`,
    ["request", "median ms", "/ health"],
    [...times].map(([name, values]) => [name, median(values), median(values) / base]),
  );
}
