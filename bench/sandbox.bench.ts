// Sandbox costs: in-process mint throughput per kind (key generation apart), and the first `devsecrets run` of a
// project of 20 sandbox references, cold (autostarted daemon) and warm (running daemon, nothing minted yet), against node -e 0.
// Rule: one run, variants interleaved; ratios printed, nothing asserted as a timing.

import { listKinds } from "../daemon/sandbox/registry.js";
import { mintKind } from "../daemon/sandbox/mint.js";
import { MemorySandboxSession } from "../daemon/sandbox/sandbox-session.js";
import type { MintContext } from "../daemon/sandbox/sandbox-kind.js";
import { CLI, makeBenchWorld } from "./world.js";
import { median, roundsFromEnv, timeOnce, type Variant } from "./paired.js";
import { note, printTable } from "./report.js";

const BENCH = "sandbox";
/** kinds that need a real server (postgres/role) are measured by their integration tests, not here */
const NEEDS_SERVER = new Set(["postgres/role"]);
const SLICE_MS = 250;

async function mintsPerSecond(kind: string, context: () => MintContext): Promise<number> {
  const ctx = context();
  await mintKind(kind, {}, ctx); // the session's key material is made once, outside the timing
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < SLICE_MS) {
    await mintKind(kind, {}, ctx);
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

/** first mint of a fresh session: the key generation a kind pays once per session */
async function firstMintMs(kind: string, times = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const ctx: MintContext = { session: new MemorySandboxSession(), now: () => new Date() };
    const started = performance.now();
    await mintKind(kind, {}, ctx);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function mintThroughput(): Promise<void> {
  const context = (): MintContext => ({ session: new MemorySandboxSession(), now: () => new Date() });
  const rows: (string | number)[][] = [];
  for (const kind of listKinds()) {
    if (NEEDS_SERVER.has(kind.kind) || kind.live) continue;
    rows.push([kind.kind, Math.round(await mintsPerSecond(kind.kind, context))]);
  }
  rows.sort((a, b) => Number(b[1]) - Number(a[1]));
  printTable(
    BENCH,
    `mint throughput in-process (mintKind), session keys already made, ${SLICE_MS} ms per kind`,
    ["kind", "mints/s"],
    rows,
  );
  printTable(
    BENCH,
    "key generation: the first mint of a fresh session (median of 5)",
    ["kind (key)", "first mint ms"],
    [
      ["jwt/rs256 (RSA 2048)", await firstMintMs("jwt/rs256")],
      ["jwt/es256 (EC P-256)", await firstMintMs("jwt/es256")],
      ["tls/ca (EC P-256 CA)", await firstMintMs("tls/ca")],
      ["tls/cert (CA + leaf)", await firstMintMs("tls/cert")],
    ],
  );
  note(
    BENCH,
    "postgres/role is left out: its cost is PostgreSQL's (CREATE ROLE + grants), see test/integration/sandbox-postgres",
  );
}

const TWENTY = [
  "stripe/secret-key",
  "stripe/publishable-key",
  "github/pat",
  "github/fine-grained",
  "npm/token",
  "openai/key",
  "slack/bot",
  "sendgrid/key",
  "aws/access-key#id",
  "aws/access-key#secret",
  "aws/session#token",
  "twilio/auth#token",
  "random/password",
  "random/hex",
  "uuid",
  "jwt/hs256",
  "jwt/rs256",
  "jwt/es256",
  "tls/cert#cert",
  "tls/cert#key",
];

async function firstRun(): Promise<void> {
  const world = makeBenchWorld();
  try {
    const cwd = world.project("twenty", {
      "devsecrets.env": `${TWENTY.map((ref, i) => `VAR_${String(i).padStart(2, "0")}=sandbox://${ref}`).join("\n")}\n`,
    });
    const node = process.execPath;
    const bare: Variant = { name: "node -e 0", command: node, args: ["-e", "0"], cwd, env: world.env };
    const ours: Variant = {
      name: "devsecrets run -- node -e 0",
      command: CLI,
      args: ["run", "--", node, "-e", "if(!process.env.VAR_19)process.exit(3)"],
      cwd,
      env: world.env,
    };
    const rounds = roundsFromEnv(7);
    const times = { bare: [] as number[], cold: [] as number[], warm: [] as number[], repeat: [] as number[] };
    for (let round = 0; round < rounds + 1; round++) {
      const keep = round > 0; // round 0 warms the disk cache
      world.stopDaemon();
      const b = await timeOnce(bare);
      const cold = await timeOnce(ours); // autostarts a daemon, mints all 20
      world.stopDaemon();
      await world.startDaemon();
      const warm = await timeOnce(ours); // running daemon, fresh session: mints all 20
      const repeat = await timeOnce(ours); // same session: answered from memory
      if (keep) {
        times.bare.push(b);
        times.cold.push(cold);
        times.warm.push(warm);
        times.repeat.push(repeat);
      }
    }
    const base = median(times.bare);
    const row = (name: string, series: number[]) => [name, median(series), median(series) / base];
    printTable(
      BENCH,
      `first devsecrets run of a project with 20 sandbox references: ${rounds} interleaved rounds, median ms`,
      ["command", "median ms", "/ node -e 0"],
      [
        ["node -e 0", base, 1],
        row("cold: no daemon (autostart + 20 mints + child)", times.cold),
        row("warm: running daemon, first run (20 mints + child)", times.warm),
        row("warm: second run (values from the session)", times.repeat),
      ],
    );
    note(
      BENCH,
      `the 20 first mints cost ${(median(times.warm) - median(times.repeat)).toFixed(1)} ms over a repeat run (RSA 2048 key generation dominates)`,
    );
  } finally {
    world.cleanup();
  }
}

export async function run(): Promise<void> {
  await mintThroughput();
  await firstRun();
}
