// Fault injection at length: 50 SIGKILLs at seeded random points of a session with PostgreSQL roles, Vault leases and
// sandbox tokens out, some followed by a torn journal line. DEVSECRETS_FAULT_RUNS and DEVSECRETS_FAULT_SEED change the run.
// Rule: prints runs, items journaled, items revoked on restart and failures; a failure is printed with its run and seed.

import { runCrashFaults } from "../test/faults/crash-faults.js";
import { note, printTable } from "./report.js";

export async function run(): Promise<void> {
  const runs = Number.parseInt(process.env.DEVSECRETS_FAULT_RUNS ?? "", 10) || 50;
  const seed = Number.parseInt(process.env.DEVSECRETS_FAULT_SEED ?? "", 10) || 1;
  const report = await runCrashFaults({ runs, seed, log: (line) => process.stdout.write(`  ${line}\n`) });
  const t = report.totals;
  printTable(
    "faults",
    `SIGKILL fault runs (seed ${seed})`,
    [
      "runs",
      "torn lines",
      "journaled at kill",
      "revoked on restart",
      "failures",
      "leases never journaled",
      "sandbox tokens",
      "session ms",
    ],
    [[t.runs, t.tornRuns, t.journaled, t.revoked, t.failures, t.unjournaledLeases, t.sandboxTokens, report.workloadMs]],
  );
  for (const r of report.runs) for (const f of r.failures) note("faults", `run ${r.run}: ${f}`);
  for (const r of report.runs)
    if (r.unjournaledLeases.length)
      note("faults", `run ${r.run}: never journaled (known gap): ${r.unjournaledLeases.join(", ")}`);
  if (t.failures > 0) throw new Error(`${t.failures} failures in ${t.runs} runs (seed ${seed})`);
}
