// Issue 17: the last-resort handler. A real daemon with the test-only fault route throws and rejects outside every
// handler's catch. Rule: the request is answered DS_INTERNAL, the log keeps name and frames but no line of the
// message, the daemon keeps serving; a burst of faults ends it with a wipe first.

import test from "ava";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait, startDaemon, type StartedDaemon } from "../helpers/daemon-process.js";
import { socketRequest } from "../../daemon/client/socket-request.js";

const HOOKS = { DEVSECRETS_TEST_HOOKS: "1", DEVSECRETS_TEST_FAULTS: "1" };

async function withFaultyDaemon(fn: (world: World, daemon: StartedDaemon) => Promise<void>): Promise<void> {
  const world = makeWorld();
  try {
    const daemon = startDaemon(world, HOOKS);
    await waitFor(
      async () => {
        try {
          return (await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" })).status === 200;
        } catch {
          return false;
        }
      },
      20_000,
      "the daemon to answer",
    );
    await fn(world, daemon);
  } finally {
    for (const pid of daemonPidsOf(world)) await killAndWait(pid, "SIGKILL");
    await world.cleanup();
  }
}

const logOf = (world: World) =>
  readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const fault = (world: World, kind: string, canary: string) =>
  socketRequest({
    socket: world.socket,
    method: "POST",
    path: "/v1/test/fault",
    body: { kind, canary },
    timeoutMs: 20_000,
  });

test("a throw or rejection outside every catch is answered DS_INTERNAL, logged by name and frames only, and survived", async (t) => {
  await withFaultyDaemon(async (world, daemon) => {
    const canary = `CANARY-${randomBytes(8).toString("hex")}`;
    for (const [kind, name] of [
      ["exception", "RangeError"],
      ["rejection", "TypeError"],
    ] as const) {
      const answer = await fault(world, kind, canary);
      t.is(answer.status, 500, answer.body);
      t.is((JSON.parse(answer.body) as { error: { code: string } }).error.code, "DS_INTERNAL");
      // the answer may reach the test before the daemon's log line lands: wait for the line
      await waitFor(() => logOf(world).some((line) => line.name === name), 10_000, `the ${kind}'s log line`);
      const logged = logOf(world).filter((line) => line.event === "unexpected-error" && line.name === name);
      t.is(logged.length, 1, `one unexpected-error line for the ${kind}`);
      t.is(logged[0]?.kind, kind);
      t.is(logged[0]?.answered, true);
      const frames = logged[0]?.frames as string[];
      t.true(frames.length > 0 && frames.every((frame) => frame.startsWith("at ")), JSON.stringify(frames));
      // the built daemon runs from its bundle (scripts/build.mjs): there a frame names the bundle's file and line
      t.true(
        frames.some(
          (frame) => frame.includes("test-fault.js") || /dist\/bundle\/daemon\/[\w-]+\.mjs:\d+:\d+/.test(frame),
        ),
        `the frames say where it was thrown: ${JSON.stringify(frames)}`,
      );
    }
    // answered first, failing later in the request's scope: logged, nothing left to answer
    const after = await fault(world, "after", canary);
    t.is(after.status, 200);
    await waitFor(() => logOf(world).some((line) => line.name === "SyntaxError"), 10_000, "the late fault's log line");
    t.is(logOf(world).find((line) => line.name === "SyntaxError")?.answered, false);

    const health = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" });
    t.is((JSON.parse(health.body) as { pid: number }).pid, daemon.pid, "the same daemon still serves");
    const text = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
    t.false(text.includes(canary), "no line of the message reached the log, not even the frame-shaped one");
  });
});

test("a burst of faults ends the daemon with exit 70, and it wipes first", async (t) => {
  await withFaultyDaemon(async (world, daemon) => {
    const canary = `CANARY-${randomBytes(8).toString("hex")}`;
    const minted = await socketRequest({
      socket: world.socket,
      method: "POST",
      path: "/v1/sandbox/mint",
      body: { kind: "stripe/secret-key" },
    });
    t.is(minted.status, 200, minted.body);
    // 10 within a minute are survived; the 11th ends the process
    for (let i = 0; i < 10; i++) t.is((await fault(world, "rejection", canary)).status, 500);
    t.deepEqual(daemonPidsOf(world), [daemon.pid]);
    await fault(world, "rejection", canary).catch(() => undefined);
    const exit = await Promise.race([
      daemon.exit,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
    ]);
    t.not(exit, null, "the daemon ended");
    t.is(exit?.code, 70);
    const events = logOf(world).map((line) => `${line.event}${line.reason === "fault" ? ":fault" : ""}`);
    const wiped = events.indexOf("wipe:fault");
    t.true(wiped > events.indexOf("fault-exit") && events.indexOf("fault-exit") >= 0, events.join(" "));
    const wipeLine = logOf(world).find((line) => line.event === "wipe" && line.reason === "fault");
    t.is(wipeLine?.ok, true, JSON.stringify(wipeLine));
    t.is(events.filter((event) => event === "unexpected-error").length, 11);
  });
});
