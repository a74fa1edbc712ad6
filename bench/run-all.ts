// Runs every benchmark in dist/bench (files named *.bench.js exporting `run()`), then writes dist/bench-results.json.
// Rule: benchmarks print their own tables; this file only discovers, runs in order and saves what they recorded.
// usage: node dist/bench/run-all.js [name-filter ...]

import { readdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { records } from "./report.js";

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.js"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file.replace(/\.bench\.js$/, "")} ==\n`);
  try {
    const module = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
    if (typeof module.run !== "function") throw new Error(`${file} exports no run()`);
    await module.run();
  } catch (error) {
    failed++;
    process.stdout.write(`  FAILED: ${(error as Error).message}\n`);
  }
}

const output = join(here, "..", "bench-results.json");
writeFileSync(output, `${JSON.stringify({ node: process.version, at: new Date().toISOString(), records }, null, 2)}\n`);
const checks = records.flatMap((r) => r.checks);
process.stdout.write(`\n${checks.filter((c) => c.pass).length}/${checks.length} targets met; results in ${output}\n`);
if (failed > 0) process.exitCode = 1;
