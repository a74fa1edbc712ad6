// Fuzzes every JSON route of ONE real daemon in a private world with arbitrary bodies (fast-check, fixed seed).
// Rule: every answer is a 2xx or a JSON DS_ error other than DS_INTERNAL, and the daemon is alive and unchanged after.

import test from "ava";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { caseArbitrary, describeCase, FUZZ_PROJECT_ENV, runCase } from "./route-fuzz.js";

const RUNS = { seed: 20_240_611, numRuns: 350 };

test("every JSON route answers arbitrary bodies with a 2xx or a DS_ code, never a crash or DS_INTERNAL", async (t) => {
  const world = makeWorld();
  try {
    const project = world.project({ "devsecrets.env": FUZZ_PROJECT_ENV });
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const health = async () =>
      JSON.parse((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" })).body) as {
        pid: number;
      };
    const { pid } = await health();
    const kinds = (
      JSON.parse((await socketRequest({ socket: world.socket, method: "GET", path: "/v1/sandbox/kinds" })).body) as {
        kinds: { kind: string }[];
      }
    ).kinds.map((k) => k.kind);
    t.true(kinds.length > 0);
    // found by this fuzzer: a cwd through a missing folder ("/p/missing/..") once gave DS_INTERNAL on keychain/set
    t.is(
      (await socketRequest({ socket: world.socket, method: "POST", path: "/v1/session", body: { store: "memory" } }))
        .status,
      200,
    );
    const through = await socketRequest({
      socket: world.socket,
      method: "POST",
      path: "/v1/keychain/set",
      body: { cwd: `${project}/missing/..`, name: "db-password", value: "v" },
    });
    t.is(through.status, 200, through.body);

    const statuses = new Map<number, number>();
    let slowest = { ms: 0, what: "" };
    const crashes: string[] = [];
    await fc
      .assert(
        fc.asyncProperty(caseArbitrary(project, kinds), async (c) => {
          const result = await runCase(world.socket, c);
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          if (result.ms > slowest.ms) slowest = { ms: result.ms, what: describeCase(c) };
          if (result.crash !== null) crashes.push(`${result.crash}: ${describeCase(c, 2000)}`);
          return result.crash === null;
        }),
        RUNS,
      )
      .catch((error: unknown) => {
        throw new Error(`${crashes[0] ?? "a crash"} (${crashes.length} crashing cases)\n${(error as Error).message}`);
      });
    t.log(
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.what}`,
    );
    t.true((statuses.get(200) ?? 0) > 0, "some cases reached the core and were served");
    t.true(
      [...statuses.keys()].some((s) => s >= 400),
      "some cases were refused",
    );
    t.is((await health()).pid, pid, "the same daemon is still serving");
    t.deepEqual(daemonPidsOf(world), [pid]);
    const log = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
    t.false(log.includes('"internal-error"'));
  } finally {
    for (const pid of daemonPidsOf(world)) await killAndWait(pid, "SIGKILL");
    await world.cleanup();
  }
});
