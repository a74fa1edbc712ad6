// SIGKILL at seeded random points of a session with PostgreSQL roles, Vault leases and sandbox tokens out (5 runs here;
// `npm run bench -- faults` does 50), and a torn journal line after a kill: the next start revokes every journaled item.
// Rule: real OpenBao, PostgreSQL and gnome-keyring; the figures are logged, and any failure fails the test.

import test from "ava";
import { runCrashFaults } from "./crash-faults.js";

test("SIGKILL at 5 seeded points of a session (roles, leases, tokens out; torn journal lines): the next start revokes every journaled item", async (t) => {
  t.timeout(600_000);
  const report = await runCrashFaults({ runs: 5, seed: 20_250_101, log: (line) => t.log(line) });
  t.log(`totals: ${JSON.stringify(report.totals)}; a whole session takes ${report.workloadMs} ms`);
  t.is(report.totals.runs, 5);
  t.true(report.totals.tornRuns >= 1, "at least one run has a torn journal line");
  t.true(report.totals.journaled > 0, "the kills came while items were outstanding");
  t.is(report.totals.revoked, report.totals.journaled);
  t.deepEqual(
    report.runs.flatMap((r) => r.failures.map((f) => `run ${r.run}: ${f}`)),
    [],
  );
  // a known gap (docs/security.md): a kill between Vault's answer and the journal's fsync leaves a lease no journal names;
  // counted here, not asserted, and revoked with the session's child token at logout (checked by every run)
  t.log(`leases never journaled: ${report.totals.unjournaledLeases}`);
});
