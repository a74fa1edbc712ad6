// Paired timing of whole processes: variants run interleaved (A,B,C,A,B,C,…) so drift and noise hit them alike.
// Rule: results are medians and per-round differences from one run; nothing here asserts an absolute time.

import { spawn } from "node:child_process";

export interface Variant {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** wall time of one run, spawn to exit, in milliseconds; rejects when it exits non-zero */
export function timeOnce(variant: Variant): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(variant.command, variant.args, {
      cwd: variant.cwd,
      env: variant.env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${variant.name} exited ${code}: ${stderr.trim().slice(0, 400)}`));
    });
  });
}

/** runs every variant once per round, in order, `rounds` times after `warmup` unrecorded rounds */
export async function interleave(
  variants: readonly Variant[],
  rounds: number,
  warmup = 2,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const variant of variants) {
      const ms = await timeOnce(variant);
      if (round >= warmup) times.get(variant.name)!.push(ms);
    }
  }
  return times;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** per-round differences a[i] - b[i] of two series measured in the same rounds */
export function differences(a: readonly number[], b: readonly number[]): number[] {
  return a.map((value, i) => value - b[i]!);
}

export function roundsFromEnv(fallback: number): number {
  const n = Number.parseInt(process.env.BENCH_ROUNDS ?? "", 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
