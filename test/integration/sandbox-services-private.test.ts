import test from "ava";
import { AWS_SERVICE_LINES, envFile } from "../helpers/service-projects.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { GetSecretValueCommand, CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { cli, type World } from "../helpers/sandbox-env.js";
import { withWorld } from "../helpers/daemon-process.js";
import { serviceProcessesOf, servicesRoot, tcpListenersOf, unixExchange } from "../helpers/service-processes.js";

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** the one session folder's service folder (<runtime>/devsecrets/services/<session>/<service>) */
function serviceDir(world: World, service: string): string {
  const sessions = readdirSync(servicesRoot(world));
  if (sessions.length !== 1) throw new Error(`expected one session folder, found ${sessions.join(", ")}`);
  return join(servicesRoot(world), sessions[0] as string, service);
}

test("sandbox services are reachable only through the daemon's proxies: no service process listens on TCP, and moto's own socket answers nobody but the daemon", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": envFile(AWS_SERVICE_LINES, [
        "STRIPE_API_BASE=sandbox://stripe/api-base",
        "PG_URL=sandbox://postgres/database#url",
        "REDIS_URL=sandbox://redis/server#url",
      ]),
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const pids = serviceProcessesOf(world);
    t.true(pids.length >= 4, `moto, stripe-mock, postgres and redis-server run (${pids.length} processes)`);
    // the old moto listened on a private 127.0.0.1 port that any local user (or any process of the user's) could
    // reach without the proxy: POST /moto-api/reset there wiped the emulator
    t.deepEqual(tcpListenersOf(pids), [], "no service process holds a listening TCP socket");

    // a process of the same user (the test runs as the daemon's user) that finds moto's socket gets no answer from it
    const sock = join(serviceDir(world, "moto"), "moto.sock");
    t.is(await unixExchange(sock, "POST /moto-api/reset HTTP/1.0\r\nHost: localhost\r\n\r\n"), "");
    t.is(await unixExchange(sock, "GET /moto-api/data.json HTTP/1.0\r\nHost: localhost\r\n\r\n"), "");

    // through the proxy the minted pair still works
    const client = new SecretsManagerClient({
      endpoint: vars.AWS_ENDPOINT_URL as string,
      region: "us-east-1",
      credentials: {
        accessKeyId: vars.AWS_ACCESS_KEY_ID as string,
        secretAccessKey: vars.AWS_SECRET_ACCESS_KEY as string,
      },
      maxAttempts: 1,
    });
    await client.send(new CreateSecretCommand({ Name: "private", SecretString: "kept" }));
    t.is((await client.send(new GetSecretValueCommand({ SecretId: "private" }))).SecretString, "kept");

    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.deepEqual(serviceProcessesOf(world), []);
  });
});
