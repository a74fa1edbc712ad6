// A journaled undo whose server never answers must not hold the daemon's start (issue 17).
// Rule: a real server on loopback that accepts and stays silent; the daemon answers at once and lists the retry.

import test from "ava";
import { mkdirSync, writeFileSync } from "node:fs";
import { silentServer } from "../helpers/loopback-port.js";
import { join } from "node:path";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, waitFor } from "../helpers/sandbox-env.js";

test("a journaled role on a server that never answers: the start is not held, status lists the retry", async (t) => {
  const world = makeWorld();
  // accepts every connection and never says a word, as a firewalled or hung PostgreSQL would
  const silent = await silentServer();
  const { port } = silent;
  try {
    const state = join(world.env.XDG_STATE_HOME as string, "devsecrets");
    mkdirSync(state, { recursive: true, mode: 0o700 });
    const entry = {
      id: "ds_left_behind",
      kind: "postgres-role",
      session: "dead-session",
      data: { adminUrl: `postgres://admin@127.0.0.1:${port}/postgres`, db: "postgres" },
    };
    writeFileSync(join(state, "journal.jsonl"), `${JSON.stringify({ op: "add", entry })}\n`, { mode: 0o600 });

    const started = Date.now();
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    const first = await cli(world, ["env"], { cwd: project });
    const firstMs = Date.now() - started;
    t.is(first.code, 0, first.stderr);
    t.true(firstMs < 5_000, `the first command took ${firstMs} ms`);

    // the try is cut off after 5 s and booked with its back-off; status lists it, doctor names it
    await waitFor(
      async () => {
        const status = JSON.parse((await cli(world, ["status", "--json"])).stdout) as {
          pendingRevocations?: { id: string; attempts: number }[];
        };
        return (status.pendingRevocations ?? []).some((p) => p.id === "ds_left_behind" && p.attempts >= 1);
      },
      20_000,
      "status to list the failed try",
    );
    const human = await cli(world, ["status"]);
    t.regex(human.stdout, /undo\s+1 retrying in the background, 0 abandoned/);
    const doctor = await cli(world, ["doctor", "--json"]);
    const checks = (JSON.parse(doctor.stdout) as { checks: { name: string; detail: string }[] }).checks;
    t.truthy(checks.find((c) => c.name === "revocations" && c.detail.includes("ds_left_behind")));
  } finally {
    silent.close();
    await disposeWorld(world);
  }
});
