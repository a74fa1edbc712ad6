// `devsecrets scan` against gitleaks (the Go binary) on one generated corpus, one run: recall and false positives per
// family, and the time of each (interleaved rounds, medians). gitleaks is the anchor the issue names.
// Rule: both are run as a user runs them (a process on the folder); the corpus is generated here and removed after.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mintedRegistryPath } from "../common/minted-registry.js";
import { FAMILIES, type Family, type Planted, writeCorpus } from "./leak-corpus.js";
import { median } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "leak-scan";
const FILES = Number(process.env.DEVSECRETS_BENCH_SCAN_FILES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bundle", "cli", "main.mjs");
const GITLEAKS = process.env.DEVSECRETS_GITLEAKS ?? "gitleaks";

/** where each tool says a secret is: "file:line" (relative path, 1-based line) */
type Hits = Set<string>;

interface Outcome {
  ms: number;
  hits: Hits;
}

function spawnTimed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<{ ms: number; code: number; out: string; err: string }> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (err.length < 4000) err += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) =>
      resolvePromise({
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        code: code ?? -1,
        out: Buffer.concat(out).toString("utf8"),
        err,
      }),
    );
  });
}

/** the environment both run in: no extra CA file (it adds ~50 ms to every Node start here) */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

async function devsecrets(root: string, state: string): Promise<Outcome> {
  // no daemon: served values are not what is compared; the minted registry is read from the corpus's state folder
  const env = { ...baseEnv(), XDG_STATE_HOME: state, DEVSECRETS_SOCKET: join(state, "no-daemon", "daemon.sock") };
  const r = await spawnTimed(process.execPath, [CLI, "scan", "--json", "."], env, root);
  if (r.code !== 0 && r.code !== 1) throw new Error(`devsecrets scan exited ${r.code}: ${r.err.slice(0, 400)}`);
  const report = JSON.parse(r.out) as { findings: Array<{ file: string; line: number; sandbox: boolean }> };
  const hits: Hits = new Set();
  for (const f of report.findings) if (!f.sandbox) hits.add(`${f.file}:${f.line}`);
  return { ms: r.ms, hits };
}

async function gitleaks(root: string, reportDir: string): Promise<Outcome> {
  const report = join(reportDir, "gitleaks.json");
  const args = ["dir", root, "--no-banner", "--log-level", "error", "--exit-code", "0"];
  const r = await spawnTimed(GITLEAKS, [...args, "--report-format", "json", "--report-path", report], baseEnv()).catch(
    (error: NodeJS.ErrnoException) => {
      throw new Error(
        error.code === "ENOENT"
          ? "gitleaks is not installed: go install github.com/zricethezav/gitleaks/v8@v8.30.1 (or set DEVSECRETS_GITLEAKS)"
          : String(error),
      );
    },
  );
  if (r.code !== 0) throw new Error(`gitleaks exited ${r.code}: ${r.err.slice(0, 400)}`);
  const findings = JSON.parse(readFileSync(report, "utf8")) as Array<{ File: string; StartLine: number }>;
  const hits: Hits = new Set();
  for (const f of findings) hits.add(`${f.File.slice(root.length + 1)}:${f.StartLine}`);
  return { ms: r.ms, hits };
}

interface Score {
  live: number;
  found: number;
  negatives: number;
  flagged: number;
}

function score(planted: readonly Planted[], hits: Hits): { perFamily: Map<Family, Score>; stray: number } {
  const perFamily = new Map<Family, Score>(FAMILIES.map((f) => [f, { live: 0, found: 0, negatives: 0, flagged: 0 }]));
  const expected = new Set<string>();
  for (const p of planted) {
    const key = `${p.file}:${p.line}`;
    expected.add(key);
    const s = perFamily.get(p.family) as Score;
    if (p.sort === "live") {
      s.live++;
      if (hits.has(key)) s.found++;
    } else {
      s.negatives++;
      if (hits.has(key)) s.flagged++;
    }
  }
  // a finding where nothing was planted: a false positive in the filler
  const stray = [...hits].filter((key) => !expected.has(key)).length;
  return { perFamily, stray };
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "ds-bench-leaks-"));
  try {
    const root = join(work, "corpus");
    const state = join(work, "state");
    mkdirSync(join(state, "devsecrets"), { recursive: true, mode: 0o700 });
    const corpus = await writeCorpus(root, FILES, mintedRegistryPath(join(state, "devsecrets")));
    // one unrecorded round each, then interleaved rounds
    let ours = await devsecrets(root, state);
    let theirs = await gitleaks(root, work);
    const oursMs: number[] = [];
    const theirsMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours = await devsecrets(root, state);
      theirs = await gitleaks(root, work);
      oursMs.push(ours.ms);
      theirsMs.push(theirs.ms);
    }
    const a = score(corpus.planted, ours.hits);
    const b = score(corpus.planted, theirs.hits);
    const rows: (string | number)[][] = [];
    let recallOk = true;
    let falseOk = true;
    for (const family of FAMILIES) {
      const x = a.perFamily.get(family) as Score;
      const y = b.perFamily.get(family) as Score;
      recallOk &&= x.found >= y.found;
      falseOk &&= x.flagged <= y.flagged;
      rows.push([family, x.live, `${x.found}`, `${y.found}`, x.negatives, `${x.flagged}`, `${y.flagged}`]);
    }
    rows.push(["(files with nothing planted)", "", "", "", "", `${a.stray}`, `${b.stray}`]);
    printTable(
      BENCH,
      `leak scan of ${corpus.files} generated files (${corpus.planted.length} planted), Node ${process.version}`,
      [
        "family",
        "live",
        "found: devsecrets",
        "found: gitleaks",
        "near misses",
        "flagged: devsecrets",
        "flagged: gitleaks",
      ],
      rows,
    );
    const ms = [median(oursMs), median(theirsMs)];
    printTable(
      BENCH,
      `time on the same corpus, median of ${ROUNDS} interleaved rounds, ms`,
      ["tool", "ms", "× gitleaks"],
      [
        [
          "devsecrets scan --json (bundled CLI, no daemon)",
          Math.round(ms[0] as number),
          (ms[0] as number) / (ms[1] as number),
        ],
        ["gitleaks dir (8.30.1 expected)", Math.round(ms[1] as number), 1],
      ],
    );
    checkAtMost(BENCH, "scan time / gitleaks", (ms[0] as number) / (ms[1] as number), 2);
    note(BENCH, `recall at least gitleaks' in every family: ${recallOk ? "yes" : "NO"}`);
    note(BENCH, `false positives at most gitleaks' in every family: ${falseOk ? "yes" : "NO"}`);
    const version = await spawnTimed(GITLEAKS, ["version"], baseEnv());
    note(BENCH, `gitleaks version: ${version.out.trim() || "(unknown)"} (go install …@v8.30.1 prints none)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
