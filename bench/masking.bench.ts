// Masking throughput: 100 MB of a child's output through `devsecrets run` (50 served values; the native launcher's masker,
// and the Node path's) against a plain Node pipe and `cat` alone, interleaved in one run; what masking adds to
// `devsecrets run` for a short child; Masker.push in-process.
// Rule: ratios from one run; the masked pipe must keep at least half the plain pipe's throughput.

import { randomBytes } from "node:crypto";
import { writeFileSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createMasker } from "../common/masking/masker.js";
import { existsSync } from "node:fs";
import { CLI, NATIVE_RUN, NODE_CLI, makeBenchWorld } from "./world.js";
import { differences, interleave, median, roundsFromEnv, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "masking";
const MB = 100;
const here = dirname(fileURLToPath(import.meta.url));

/** log-like text with the served values nowhere in it: the common case the masker must not slow */
function output(bytes: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    lines.push(
      `2026-11-22T10:00:${String(i % 60).padStart(2, "0")}.123Z INFO request id=${randomBytes(6).toString("hex")} path=/api/v1/items/${i} status=200 ms=${i % 97} token=${randomBytes(12).toString("base64url")}\n`,
    );
  }
  const block = Buffer.from(lines.join(""));
  const out = Buffer.alloc(bytes);
  for (let o = 0; o < bytes; o += block.length) block.copy(out, o);
  return out;
}

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    const file = join(world.root, "output.txt");
    writeFileSync(file, output(MB * 1e6));
    const node = process.execPath;
    const pipe = join(here, "masking-pipe.js");
    // the whole `devsecrets run` as a user runs it: a project of 50 sensitive values, a warm daemon
    await world.startDaemon();
    const refs = Array.from({ length: 50 }, (_, i) => `S${i}=sandbox://random/password?length=${20 + i}`).join("\n");
    const cwd = world.project("masked", { "devsecrets.env": `${refs}\n` });
    const throughput: Variant[] = [
      { name: "cat", command: "cat", args: [file] },
      { name: "node pipe", command: node, args: [pipe, "plain", file] },
      { name: "devsecrets run -- cat", command: CLI, args: ["run", "--", "cat", file], cwd, env: world.env },
      {
        name: "node bin/devsecrets.js run -- cat",
        command: node,
        args: [NODE_CLI, "run", "--", "cat", file],
        cwd,
        env: world.env,
      },
      { name: "Node masker pipe", command: node, args: [pipe, "masked", file, "50"] },
    ];
    const rounds = roundsFromEnv(7);
    const times = await interleave(throughput, rounds, 1);
    const rate = (name: string) => MB / (median(times.get(name)!) / 1000);
    printTable(
      BENCH,
      `${MB} MB of child output to /dev/null, 50 served values: ${rounds} interleaved rounds, medians`,
      ["path", "median ms", "MB/s", "/ node pipe"],
      throughput.map((v) => [v.name, median(times.get(v.name)!), rate(v.name), rate(v.name) / rate("node pipe")]),
    );
    note(
      BENCH,
      existsSync(NATIVE_RUN)
        ? "devsecrets run = bin/devsecrets -> dist/native/devsecrets-run (Go masker); node bin/devsecrets.js run = the Node path (no Go at build)"
        : "dist/native/devsecrets-run is missing (no Go at build): devsecrets run took the Node path",
    );
    checkAtMost(
      BENCH,
      "devsecrets run -- cat: time / node pipe time (50 values)",
      median(times.get("devsecrets run -- cat")!) / median(times.get("node pipe")!),
      2,
    );
    note(
      BENCH,
      `Node path (node bin/devsecrets.js run): ${(rate("node bin/devsecrets.js run -- cat") / rate("node pipe")).toFixed(2)}x the node pipe's throughput`,
    );

    // in-process: Masker.push alone over the same bytes, in 64 KiB chunks as a pipe delivers them
    const bytes = readFileSync(file);
    const secrets = Array.from({ length: 50 }, (_, i) => ({
      name: `SECRET_${i}`,
      value: randomBytes(24).toString("base64url"),
    }));
    const pushRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      const masker = createMasker(secrets);
      const started = process.hrtime.bigint();
      for (let o = 0; o < bytes.length; o += 65536) masker.push(bytes.subarray(o, o + 65536));
      masker.end();
      pushRates.push(MB / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    note(
      BENCH,
      `Masker.push in-process, 50 values, ${MB} MB in 64 KiB chunks: ${median(pushRates).toFixed(0)} MB/s (median of 3)`,
    );

    // what masking adds to `devsecrets run` for a short child (compiling the automaton, the pipes)
    const short: Variant[] = [
      { name: "node -e 0", command: node, args: ["-e", "0"], cwd, env: world.env },
      { name: "run (masked)", command: CLI, args: ["run", "--", node, "-e", "0"], cwd, env: world.env },
      { name: "run --no-mask", command: CLI, args: ["run", "--no-mask", "--", node, "-e", "0"], cwd, env: world.env },
      {
        name: "Node path run (masked)",
        command: node,
        args: [NODE_CLI, "run", "--", node, "-e", "0"],
        cwd,
        env: world.env,
      },
      {
        name: "Node path run --no-mask",
        command: node,
        args: [NODE_CLI, "run", "--no-mask", "--", node, "-e", "0"],
        cwd,
        env: world.env,
      },
    ];
    const shortRounds = roundsFromEnv(20);
    const t = await interleave(short, shortRounds, 3);
    const added = median(differences(t.get("run (masked)")!, t.get("run --no-mask")!));
    printTable(
      BENCH,
      `devsecrets run -- node -e 0 with 50 sensitive values: ${shortRounds} interleaved rounds`,
      ["command", "median ms"],
      short.map((v) => [v.name, median(t.get(v.name)!)]),
    );
    const addedNode = median(differences(t.get("Node path run (masked)")!, t.get("Node path run --no-mask")!));
    note(BENCH, `Node path: masking adds ${addedNode.toFixed(1)} ms per run`);
    note(
      BENCH,
      `masking adds ${added.toFixed(1)} ms per run (median of per-round differences, masked - --no-mask); ${(added / median(t.get("node -e 0")!)).toFixed(2)}x a bare node start`,
    );
  } finally {
    world.cleanup();
  }
}
