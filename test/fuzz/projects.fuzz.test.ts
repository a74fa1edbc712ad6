// Fuzzes ONE real daemon with generated projects (test/fuzz/project-fuzz.ts): 2,000 cases, fixed seed, in batches.
// Rule: after each batch the same daemon answers health and its RSS stays under a bound; no crash, hang or leaked value.

import test from "ava";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import {
  VALUE_CANARY,
  describeProjectCase,
  projectCaseArbitrary,
  runProjectCase,
  writeProject,
} from "./project-fuzz.js";

const CASES = 2_000;
const BATCH = 100;
const SEED = 17_017;
/** a daemon idles near 80 MiB; a project is bounded to 1 MiB of values and a file to 1 MiB */
const RSS_BOUND_MIB = 400;

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

test("2,000 generated projects and requests: answered with a value or a DS_ code, no value in any error, the daemon unchanged", async (t) => {
  t.timeout(15 * 60_000);
  const world = makeWorld();
  try {
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const health = async () =>
      (
        JSON.parse((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" })).body) as {
          pid: number;
        }
      ).pid;
    const pid = await health();
    const kinds = (
      JSON.parse((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/sandbox/kinds" })).body) as {
        kinds: { kind: string }[];
      }
    ).kinds.map((k) => k.kind);
    const dir = join(world.root, "fuzzed");
    const logFile = join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log");
    const configFile = join(world.env.XDG_CONFIG_HOME as string, "devsecrets", "config.json");
    const statuses = new Map<number, number>();
    let peak = 0;
    let slowest = 0;
    for (let batch = 0; batch * BATCH < CASES; batch++) {
      const cases = fc.sample(projectCaseArbitrary(kinds), { seed: SEED + batch, numRuns: BATCH });
      for (const c of cases) {
        writeProject(dir, c, configFile);
        const result = await runProjectCase(world.socket, dir, c);
        for (const s of result.statuses) statuses.set(s, (statuses.get(s) ?? 0) + 1);
        slowest = Math.max(slowest, result.ms);
        if (result.crash !== null) {
          // the daemon's own account of it: names and frames only, never a value (daemon/error-fields.ts)
          const unexpected = readFileSync(logFile, "utf8")
            .split("\n")
            .filter((line) => line.includes('"internal-error"') || line.includes('"unexpected-error"'));
          t.fail(`${result.crash}\ndaemon log: ${unexpected.join("\n")}\ncase: ${describeProjectCase(c)}`);
          return;
        }
      }
      t.is(await health(), pid, `batch ${batch}: the same daemon answers health`);
      peak = Math.max(peak, rssMiB(pid));
      t.true(peak < RSS_BOUND_MIB, `batch ${batch}: daemon RSS ${peak.toFixed(0)} MiB`);
    }
    t.log(
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}; peak RSS ${peak.toFixed(0)} MiB; slowest case ${slowest.toFixed(0)} ms`,
    );
    t.true((statuses.get(200) ?? 0) > 0, "some cases were served");
    t.true((statuses.get(422) ?? 0) > 0, "some cases were refused");
    const log = readFileSync(logFile, "utf8");
    t.false(log.includes('"internal-error"') || log.includes('"unexpected-error"'), "nothing unexpected was logged");
    t.false(log.includes(VALUE_CANARY), "no value in the daemon log");
    t.deepEqual(daemonPidsOf(world), [pid]);
  } finally {
    for (const running of daemonPidsOf(world)) await killAndWait(running, "SIGKILL");
    await world.cleanup();
  }
});
