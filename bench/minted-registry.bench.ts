// The first sandbox mint after a daemon start opens the minted registry: with a registry of a heavy user (60,000 lines,
// ~5 MB, under the 80,000-line trim) against a registry of one line, in one run. Before the head-only open, reading
// and splitting the whole file cost every start 20-40 ms before its first sandbox answer (issue 17's cold start).
// Rule: real files in a private temporary folder, removed at the end; a fresh writer per round, as a fresh daemon.

import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MintedRegistryWriter } from "../common/minted-registry.js";
import { median, roundsFromEnv } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "minted-registry";
const LINES = 60_000;

function firstMintMs(template: string, path: string, round: number): number {
  copyFileSync(template, path);
  const writer = new MintedRegistryWriter(path);
  const started = performance.now();
  writer.remember("stripe/secret-key", [`sk_test_${String(round).padStart(40, "x")}`]);
  return performance.now() - started;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-registry-"));
  try {
    const header = `devsecrets minted registry v1 ${"ab".repeat(32)}\n`;
    const small = join(dir, "small");
    const big = join(dir, "big");
    writeFileSync(small, header, { mode: 0o600 });
    const lines = [header];
    for (let i = 0; i < LINES; i++)
      lines.push(`${createHash("sha256").update(String(i)).digest("hex")} stripe/secret-key\n`);
    writeFileSync(big, lines.join(""), { mode: 0o600 });
    const rounds = roundsFromEnv(30);
    const times = { small: [] as number[], big: [] as number[] };
    for (let round = 0; round < rounds + 2; round++) {
      const s = firstMintMs(small, join(dir, "registry-s"), round);
      const b = firstMintMs(big, join(dir, "registry-b"), round);
      if (round < 2) continue;
      times.small.push(s);
      times.big.push(b);
    }
    const ratio = median(times.big) / median(times.small);
    printTable(
      BENCH,
      `first mint of a fresh writer (a daemon's first sandbox answer), ${rounds} interleaved rounds`,
      ["registry", "median ms", "/ one-line registry"],
      [
        ["one line", median(times.small), 1],
        [`${LINES.toLocaleString("en")} lines (~5 MB)`, median(times.big), ratio],
      ],
    );
    checkAtMost(BENCH, "first mint with a 5 MB registry / with a one-line registry", ratio, 5);
    note(BENCH, `${process.version}; the whole file is read only past ${"80,000"} lines' worth of bytes (the trim)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
