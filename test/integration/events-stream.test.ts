// `devsecrets events --json` and the routes behind the dashboard's actions: POST /v1/session/extend and
// POST /v1/sandbox/rotate, against a real daemon on a real socket (issue 20).
// Rule: the stream carries names, codes and times, never a served value.

import test from "ava";
import { spawn } from "node:child_process";
import { DaemonClient } from "../../daemon/client/client.js";
import type { EventLine } from "../../daemon/protocol/events.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { CLI, cli, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";

const PROJECT = {
  "devsecrets.env": [
    "STRIPE_SECRET_KEY=sandbox://stripe/secret-key",
    "AWS_ACCESS_KEY_ID=sandbox://aws/access-key#id",
    "AWS_SECRET_ACCESS_KEY=sandbox://aws/access-key#secret",
    "PLAIN=hello-literal",
    "",
  ].join("\n"),
};

function client(world: World): DaemonClient {
  return new DaemonClient({ env: world.env });
}

async function values(world: World, cwd: string): Promise<Record<string, string>> {
  const out = await cli(world, ["env", "--format", "json"], { cwd });
  if (out.code !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as Record<string, string>;
}

/** `devsecrets events --json` as a child; its lines as they come; stopped by pid */
function watchEvents(world: World) {
  const child = spawn(CLI, ["events", "--json"], { env: world.env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: EventLine[] = [];
  let raw = "";
  let buffer = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    raw += chunk;
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf("\n")) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, at)) as EventLine);
      buffer = buffer.slice(at + 1);
    }
  });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return {
    lines,
    raw: () => raw,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

test("events --json prints audit, rotate, resolve-failed and wipe lines as they happen, without a value", async (t) => {
  const world = makeWorld();
  try {
    const project = world.project(PROJECT);
    const broken = world.project({ "devsecrets.env": "BAD=sandbox://no-such-kind/x\n" }, "broken");
    t.is((await cli(world, ["login", "--store", "memory"])).code, 0);
    const watch = watchEvents(world);
    // the stream is open once the daemon counts a subscriber: an event published before is not missed below
    for (let tries = 0; !watch.lines.some((l) => l.event === "audit"); tries++) {
      if (tries > 40) throw new Error("no audit event reached `devsecrets events` in 20 s");
      await values(world, project);
      await new Promise((r) => setTimeout(r, 500));
    }
    const served = await values(world, project);
    const rotated = await client(world).rotate({ cwd: project, names: ["AWS_ACCESS_KEY_ID"] });
    t.deepEqual(rotated.rotated.map((r) => r.name).sort(), ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    const after = await values(world, project);
    t.not(after.AWS_ACCESS_KEY_ID, served.AWS_ACCESS_KEY_ID, "the rotated pair is new");
    t.not(after.AWS_SECRET_ACCESS_KEY, served.AWS_SECRET_ACCESS_KEY);
    t.is(after.STRIPE_SECRET_KEY, served.STRIPE_SECRET_KEY, "what was not named keeps its value");
    t.not((await cli(world, ["env", "--format", "json"], { cwd: broken })).code, 0);
    t.is((await cli(world, ["logout"])).code, 0);
    await waitFor(() => watch.lines.some((l) => l.event === "wipe"), 20_000, "the wipe event");
    await watch.stop();

    const byType = (type: string) => watch.lines.filter((l) => l.event === type);
    const rotate = byType("rotate")[0];
    t.deepEqual(rotate?.data.names, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    t.deepEqual(rotate?.data.references, ["sandbox://aws/access-key#id", "sandbox://aws/access-key#secret"]);
    const failed = byType("resolve-failed")[0];
    t.is(failed?.data.code, "DS_SANDBOX_KIND");
    t.is(failed?.data.root, broken);
    t.is(byType("wipe")[0]?.data.reason, "logout");
    const entries = byType("audit").flatMap((l) => l.data.entries as { action: string; variable?: string }[]);
    t.true(entries.some((e) => e.action === "serve" && e.variable === "STRIPE_SECRET_KEY"));
    t.true(entries.some((e) => e.action === "rotate" && e.variable === "AWS_ACCESS_KEY_ID"));
    // one event for a resolve's entries (the three references; a literal is not audited), not one each
    t.true(
      byType("audit").some(
        (l) => (l.data.entries as { action: string }[]).filter((e) => e.action === "serve").length >= 3,
      ),
    );
    for (const line of watch.lines) t.regex(line.time, /^\d{4}-\d\d-\d\dT/);
    for (const value of [...Object.values(served), ...Object.values(after)].filter((v) => v !== "hello-literal"))
      t.false(watch.raw().includes(value), "a served value reached the event stream");
  } finally {
    await disposeWorld(world);
  }
});

test("expiring is sent once when the session comes within five minutes of its end", async (t) => {
  const world = makeWorld();
  try {
    t.is((await cli(world, ["login", "--store", "memory", "--ttl", "4m"])).code, 0);
    const watch = watchEvents(world);
    await waitFor(() => watch.lines.some((l) => l.event === "expiring"), 20_000, "the expiring event");
    await new Promise((r) => setTimeout(r, 6_000));
    await watch.stop();
    const warnings = watch.lines.filter((l) => l.event === "expiring");
    t.is(warnings.length, 1, "told once, not at every check");
    t.is(warnings[0]?.data.what, "session");
    t.true((warnings[0]?.data.inSeconds as number) <= 240);
  } finally {
    await disposeWorld(world);
  }
});

test("POST /v1/session/extend gives the live session a new end, and needs one", async (t) => {
  const world = makeWorld();
  try {
    const c = client(world);
    const refused = await c.extend({ ttlSeconds: 3600 }).catch((error: { code?: string }) => error.code);
    t.is(refused, "DS_SESSION_NONE");
    t.is((await cli(world, ["login", "--store", "memory", "--ttl", "5m"])).code, 0);
    const before = (await c.status()).session;
    const extended = await c.extend({ ttlSeconds: 7200 });
    t.is(extended.session.id, before.id as string, "the same session");
    const status = (await c.status()).session;
    t.true((status.expiresInSeconds ?? 0) > 7000, `ends in ${status.expiresInSeconds}s`);
    const bad = await c.extend({ ttlSeconds: 5 }).catch((error: { code?: string }) => error.code);
    t.is(bad, "DS_BAD_REQUEST");
  } finally {
    await disposeWorld(world);
  }
});

test("rotate refuses a variable that is not a sandbox reference, naming its file:line", async (t) => {
  const world = makeWorld();
  try {
    const project = world.project(PROJECT);
    const error = await client(world)
      .rotate({ cwd: project, names: ["PLAIN"] })
      .catch((e: { code?: string; message: string }) => e);
    t.is((error as { code?: string }).code, "DS_SANDBOX_OPTION");
    t.regex((error as Error).message, /PLAIN \(devsecrets\.env:4\)/);
    const missing = await client(world)
      .rotate({ cwd: project, names: ["NOPE"] })
      .catch((e: { code?: string }) => e.code);
    t.is(missing, "DS_VAR_NOT_FOUND");
  } finally {
    await disposeWorld(world);
  }
});
