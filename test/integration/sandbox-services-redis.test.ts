import test from "ava";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, waitFor, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait, withWorld } from "../helpers/daemon-process.js";
import { redisTalk, serviceProcessesOf, servicesRoot } from "../helpers/service-processes.js";

const PROJECT = {
  "devsecrets.env": [
    "REDIS_URL=sandbox://redis/server#url",
    "REDIS_HOST=sandbox://redis/server#host",
    "REDIS_PORT=sandbox://redis/server#port",
    "REDIS_PASSWORD=sandbox://redis/server#password",
    "",
  ].join("\n"),
};

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

async function resolveRedis(world: World, project: string): Promise<Record<string, string>> {
  return JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
}

function leftovers(world: World): { pids: number[]; folders: string[] } {
  const root = servicesRoot(world);
  return { pids: serviceProcessesOf(world), folders: existsSync(root) ? readdirSync(root) : [] };
}

test("redis/server: a real redis-server behind a loopback proxy enforces the minted password; logout leaves no process and no folder", async (t) => {
  await withWorld(async (world) => {
    await ok(world, ["login", "--store", "memory"]);
    const project = world.project(PROJECT);
    const vars = await resolveRedis(world, project);
    t.is(vars.REDIS_HOST, "127.0.0.1");
    t.regex(vars.REDIS_PORT as string, /^\d+$/);
    t.is(
      vars.REDIS_URL,
      `redis://default:${encodeURIComponent(vars.REDIS_PASSWORD as string)}@127.0.0.1:${vars.REDIS_PORT}`,
    );
    const port = Number(vars.REDIS_PORT);
    t.deepEqual(await redisTalk(port, ["PING"]), ["-NOAUTH Authentication required."]);
    const wrong = await redisTalk(port, ["AUTH default made-up-password"]);
    t.regex(wrong[0] as string, /^-WRONGPASS/);
    t.deepEqual(await redisTalk(port, [`AUTH default ${vars.REDIS_PASSWORD}`, "SET k v1", "GET k"]), [
      "+OK",
      "+OK",
      "v1",
    ]);
    // the same session answers the same server: a second resolve starts nothing new
    t.deepEqual(await resolveRedis(world, project), vars);
    const pids = serviceProcessesOf(world);
    t.is(pids.length, 1, "one redis-server, running in the private services folder");
    t.is(readdirSync(servicesRoot(world)).length, 1, "one session folder");

    await ok(world, ["logout"]);
    t.deepEqual(leftovers(world), { pids: [], folders: [] }, "logout stopped it and removed its folder");
    await t.throwsAsync(redisTalk(port, ["PING"]), undefined, "the proxy is closed");
  });
});

test("redis/server: host and port are not masked by run, the password is", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      ...PROJECT,
      "show.cjs":
        "console.log(`host=${process.env.REDIS_HOST} port=${process.env.REDIS_PORT} pw=${process.env.REDIS_PASSWORD}`)",
    });
    const vars = await resolveRedis(world, project);
    const out = await ok(world, ["run", "--", process.execPath, "show.cjs"], project);
    t.true(out.includes(`host=127.0.0.1 port=${vars.REDIS_PORT} pw=`), out);
    t.false(out.includes(vars.REDIS_PASSWORD as string), "the password is masked");
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.deepEqual(leftovers(world), { pids: [], folders: [] }, "daemon stop stopped it and removed its folder");
  });
});

test("redis/server: after a SIGKILL of the daemon the service dies with it (PDEATHSIG) and the next start removes its folder", async (t) => {
  await withWorld(async (world) => {
    const project = world.project(PROJECT);
    const vars = await resolveRedis(world, project);
    t.deepEqual(await redisTalk(Number(vars.REDIS_PORT), [`AUTH default ${vars.REDIS_PASSWORD}`]), ["+OK"]);
    const [service] = serviceProcessesOf(world);
    t.truthy(service);
    const [daemon] = daemonPidsOf(world);
    await killAndWait(daemon as number, "SIGKILL");
    await waitFor(() => serviceProcessesOf(world).length === 0, 10_000, "the service to die with the daemon");
    t.true(readdirSync(servicesRoot(world)).length > 0, "the crash left the folder (the journal names it)");
    // any command starts the daemon again; its recovery undoes the journal in the background
    await ok(world, ["status"]);
    await waitFor(() => leftovers(world).folders.length === 0, 10_000, "the next start to remove the folder");
    t.deepEqual(leftovers(world), { pids: [], folders: [] });
  });
});

test("redis/server: a missing redis-server is DS_SANDBOX_SERVICE_MISSING naming what to install", async (t) => {
  await withWorld(async (world) => {
    world.env.DEVSECRETS_REDIS_BIN = `${world.root}/no-such-redis-server`;
    const project = world.project(PROJECT);
    const result = await cli(world, ["env", "--format", "json"], { cwd: project });
    t.is(result.code, 1);
    t.regex(result.stderr, /DS_SANDBOX_SERVICE_MISSING/);
    t.regex(result.stderr, /apt-get install redis-server/);
    t.deepEqual(leftovers(world), { pids: [], folders: [] });
  });
});

test("sandbox services lists the running service and status counts it; pause --for 2s refuses connections, then the same server serves again", async (t) => {
  await withWorld(async (world) => {
    const project = world.project(PROJECT);
    t.regex(await ok(world, ["sandbox", "services"]), /no sandbox service is running/);
    const vars = await resolveRedis(world, project);
    const port = Number(vars.REDIS_PORT);
    const auth = `AUTH default ${vars.REDIS_PASSWORD}`;
    t.deepEqual(await redisTalk(port, [auth, "SET k kept"]), ["+OK", "+OK"]);
    const { services } = JSON.parse(await ok(world, ["sandbox", "services", "--json"])) as {
      services: { service: string; kind: string; url: string; pid: number; rssBytes: number; pausedUntil: null }[];
    };
    t.is(services.length, 1);
    const [redis] = services;
    t.like(redis, { service: "redis", kind: "redis/server", url: `tcp://127.0.0.1:${port}`, pausedUntil: null });
    t.deepEqual(serviceProcessesOf(world), [redis?.pid]);
    t.true((redis?.rssBytes ?? 0) > 1024 * 1024, "its resident memory is reported");
    const listing = await ok(world, ["sandbox", "services"]);
    t.regex(listing, new RegExp(`redis/server +tcp://127\\.0\\.0\\.1:${port} +${redis?.pid} `));
    t.false(listing.includes(vars.REDIS_PASSWORD as string), "no password in the listing");
    t.regex(await ok(world, ["status"]), /services 1 running/);

    const paused = await ok(world, ["sandbox", "services", "pause", "redis", "--for", "2s"]);
    t.regex(paused, /^paused redis until /);
    const during = await redisTalk(port, [auth]).catch((error: NodeJS.ErrnoException) => error.code ?? "error");
    t.true(typeof during === "string" || (Array.isArray(during) && during.length === 0), `refused: ${String(during)}`);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    t.deepEqual(await redisTalk(port, [auth, "GET k"]), ["+OK", "kept"], "the same server, its data kept");
    t.deepEqual(serviceProcessesOf(world), [redis?.pid], "no restart");
    const audit = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl"), "utf8");
    t.regex(audit, /"action":"pause"[^\n]*"reference":"redis"/);
    const unknown = await cli(world, ["sandbox", "services", "pause", "postgres", "--for", "2s"]);
    t.regex(unknown.stderr, /DS_SANDBOX_SERVICE_NOT_RUNNING/);
  });
});

test("redis/server: a service that dies is restarted once in place (same port and password), a second death is reported and it leaves the listing", async (t) => {
  await withWorld(async (world) => {
    const project = world.project(PROJECT);
    const vars = await resolveRedis(world, project);
    const port = Number(vars.REDIS_PORT);
    const auth = `AUTH default ${vars.REDIS_PASSWORD}`;
    const [first] = serviceProcessesOf(world);
    await killAndWait(first as number, "SIGKILL");
    await waitFor(() => serviceProcessesOf(world).some((pid) => pid !== first), 15_000, "the service to be restarted");
    const [second] = serviceProcessesOf(world);
    await waitFor(
      async () => (await redisTalk(port, [auth]).catch(() => []))[0] === "+OK",
      15_000,
      "the restarted service to answer",
    );
    t.deepEqual(await redisTalk(port, [auth, "PING"]), ["+OK", "+PONG"], "the values handed out still work");
    // the second death must come after the daemon has seen the restart through: redis answers through the proxy a
    // poll (50 ms) before the daemon's readiness check does, and a kill in between is a death before ready
    const { logFile } = JSON.parse(await ok(world, ["status", "--json"])) as { logFile: string };
    await waitFor(
      () => readFileSync(logFile, "utf8").includes("service-restarted"),
      15_000,
      "the daemon to log the restart",
    );
    await killAndWait(second as number, "SIGKILL");
    await waitFor(
      async () => {
        const { services } = JSON.parse(await ok(world, ["sandbox", "services", "--json"])) as { services: unknown[] };
        return services.length === 0;
      },
      15_000,
      "the twice-dead service to leave the listing",
    );
    t.deepEqual(leftovers(world), { pids: [], folders: [] });
    const log = readFileSync(logFile, "utf8");
    t.regex(log, /service-restarted/);
    t.regex(log, /service-failed/);
  });
});

test("redis/server: a restart after a rotation comes back with the rotated password", async (t) => {
  await withWorld(async (world) => {
    const project = world.project(PROJECT);
    await resolveRedis(world, project);
    t.is((await cli(world, ["sandbox", "rotate", "--grace", "0s"], { cwd: project })).code, 0);
    const vars = await resolveRedis(world, project);
    const port = Number(vars.REDIS_PORT);
    const [first] = serviceProcessesOf(world);
    await killAndWait(first as number, "SIGKILL");
    const auth = `AUTH default ${vars.REDIS_PASSWORD}`;
    await waitFor(
      async () => (await redisTalk(port, [auth]).catch(() => []))[0] === "+OK",
      15_000,
      "the restarted service to take the rotated password",
    );
    t.deepEqual(await redisTalk(port, [auth, "PING"]), ["+OK", "+PONG"]);
  });
});
