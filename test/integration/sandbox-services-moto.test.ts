import test from "ava";
import { AWS_SERVICE_LINES, REDIS_SERVICE_LINES, envFile } from "../helpers/service-projects.js";
import { request } from "node:http";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { cli, type World } from "../helpers/sandbox-env.js";
import { withWorld } from "../helpers/daemon-process.js";
import { redisTalk, serviceProcessesOf } from "../helpers/service-processes.js";

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** a GET to the loopback endpoint that names another Host (DNS rebinding); the connection goes to 127.0.0.1 only */
function statusWithHost(endpoint: string, host: string): Promise<number> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: Number(url.port), path: "/", headers: { Host: `${host}:${url.port}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function client(endpoint: string, accessKeyId: string, secretAccessKey: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

test("aws/endpoint: the daemon's moto enforces IAM: the minted aws/access-key works, a made-up key gets moto's 403; daemon stop stops it", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": envFile(AWS_SERVICE_LINES),
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const endpoint = vars.AWS_ENDPOINT_URL as string;
    t.regex(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const minted = client(endpoint, vars.AWS_ACCESS_KEY_ID as string, vars.AWS_SECRET_ACCESS_KEY as string);
    await minted.send(new CreateSecretCommand({ Name: "app/db", SecretString: "offline works" }));
    const got = await minted.send(new GetSecretValueCommand({ SecretId: "app/db" }));
    t.is(got.SecretString, "offline works");

    const madeUp = client(endpoint, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    const refused = await t.throwsAsync(madeUp.send(new GetSecretValueCommand({ SecretId: "app/db" })));
    t.is((refused as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 403);
    // the right id with a wrong secret is refused too: the signature is checked
    const wrongSecret = client(endpoint, vars.AWS_ACCESS_KEY_ID as string, "x".repeat(40));
    const forged = await t.throwsAsync(wrongSecret.send(new GetSecretValueCommand({ SecretId: "app/db" })));
    t.is((forged as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 403);

    // a pair minted after moto started is registered too
    const later = JSON.parse(await ok(world, ["sandbox", "mint", "aws/access-key", "--json"])) as {
      fields: { id: string; secret: string };
    };
    const second = await client(endpoint, later.fields.id, later.fields.secret).send(
      new GetSecretValueCommand({ SecretId: "app/db" }),
    );
    t.is(second.SecretString, "offline works");

    // moto's control API (reset, state dumps) is not reachable through the proxy; a foreign Host is refused
    t.is((await fetch(`${endpoint}/moto-api/data.json`)).status, 403);
    t.is((await fetch(`${endpoint}/moto-api/reset`, { method: "POST" })).status, 403);
    t.is((await minted.send(new GetSecretValueCommand({ SecretId: "app/db" }))).SecretString, "offline works");
    t.is(await statusWithHost(endpoint, "rebound.example"), 421);

    t.is(serviceProcessesOf(world).length, 1);
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.deepEqual(serviceProcessesOf(world), []);
  });
});

// 8 s of grace: the old values' checks right after rotate must answer within it on a loaded CI machine
test("sandbox rotate --grace 8s: a new AWS pair works at once, the old one until the grace ends, then moto's 403; a Redis password the same way", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": envFile(AWS_SERVICE_LINES, REDIS_SERVICE_LINES),
    });
    const before = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const endpoint = before.AWS_ENDPOINT_URL as string;
    const oldAws = client(endpoint, before.AWS_ACCESS_KEY_ID as string, before.AWS_SECRET_ACCESS_KEY as string);
    await oldAws.send(new CreateSecretCommand({ Name: "rotating", SecretString: "v" }));
    const port = Number(before.REDIS_PORT);
    t.deepEqual(await redisTalk(port, [`AUTH default ${before.REDIS_PASSWORD}`]), ["+OK"]);

    const rotatedAt = Date.now();
    const out = await ok(world, ["sandbox", "rotate", "--grace", "8s"], project);
    // the grace starts inside the daemon between these two times: "within" counts from the first, "after" from the second
    const rotateAnsweredAt = Date.now();
    t.regex(out, /rotated AWS_ACCESS_KEY_ID/);
    t.regex(out, /rotated REDIS_PASSWORD/);
    // within the grace the old values still work, so an app mid-request is not cut off
    t.is((await oldAws.send(new GetSecretValueCommand({ SecretId: "rotating" }))).SecretString, "v");
    t.deepEqual(await redisTalk(port, [`AUTH default ${before.REDIS_PASSWORD}`]), ["+OK"]);
    t.true(Date.now() - rotatedAt < 8_000, "the old values were tried within the grace");
    const after = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.not(after.AWS_ACCESS_KEY_ID, before.AWS_ACCESS_KEY_ID);
    t.not(after.REDIS_PASSWORD, before.REDIS_PASSWORD);
    t.is(after.REDIS_PORT, before.REDIS_PORT, "the same server");
    const newAws = client(
      after.AWS_ENDPOINT_URL as string,
      after.AWS_ACCESS_KEY_ID as string,
      after.AWS_SECRET_ACCESS_KEY as string,
    );
    t.is((await newAws.send(new GetSecretValueCommand({ SecretId: "rotating" }))).SecretString, "v");
    t.deepEqual(await redisTalk(port, [`AUTH default ${after.REDIS_PASSWORD}`]), ["+OK"]);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, rotateAnsweredAt + 8_000 + 1_000 - Date.now())));
    const refused = await t.throwsAsync(oldAws.send(new GetSecretValueCommand({ SecretId: "rotating" })));
    t.is((refused as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 403);
    t.regex((await redisTalk(port, [`AUTH default ${before.REDIS_PASSWORD}`]))[0] as string, /^-WRONGPASS/);
    t.is(
      (await newAws.send(new GetSecretValueCommand({ SecretId: "rotating" }))).SecretString,
      "v",
      "the new pair stays",
    );
    t.deepEqual(await redisTalk(port, [`AUTH default ${after.REDIS_PASSWORD}`]), ["+OK"]);
  });
});

test("aws/session: minted temporary credentials (id, secret, session token) work against the daemon's moto; a made-up token, or none, is refused", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": [
        "AWS_ENDPOINT_URL=sandbox://aws/endpoint",
        "AWS_ACCESS_KEY_ID=sandbox://aws/session#id",
        "AWS_SECRET_ACCESS_KEY=sandbox://aws/session#secret",
        "AWS_SESSION_TOKEN=sandbox://aws/session#token",
        "",
      ].join("\n"),
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.regex(vars.AWS_ACCESS_KEY_ID as string, /^ASIA/);
    const endpoint = vars.AWS_ENDPOINT_URL as string;
    const session = (sessionToken?: string) =>
      new SecretsManagerClient({
        endpoint,
        region: "us-east-1",
        credentials: {
          accessKeyId: vars.AWS_ACCESS_KEY_ID as string,
          secretAccessKey: vars.AWS_SECRET_ACCESS_KEY as string,
          ...(sessionToken === undefined ? {} : { sessionToken }),
        },
        maxAttempts: 1,
      });
    const minted = session(vars.AWS_SESSION_TOKEN as string);
    await minted.send(new CreateSecretCommand({ Name: "temporary", SecretString: "works" }));
    t.is((await minted.send(new GetSecretValueCommand({ SecretId: "temporary" }))).SecretString, "works");

    const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const madeUpToken = `IQoJb3JpZ2luX2Vj${"A".repeat(800)}`;
    const forged = await t.throwsAsync(session(madeUpToken).send(new GetSecretValueCommand({ SecretId: "temporary" })));
    t.is(status(forged), 403, "the right pair with a made-up session token");
    const tokenless = await t.throwsAsync(session().send(new GetSecretValueCommand({ SecretId: "temporary" })));
    t.is(status(tokenless), 403, "the pair without its token");
    const otherSession = await t.throwsAsync(
      new SecretsManagerClient({
        endpoint,
        region: "us-east-1",
        credentials: {
          accessKeyId: "ASIAIOSFODNN7EXAMPLE",
          secretAccessKey: vars.AWS_SECRET_ACCESS_KEY as string,
          sessionToken: vars.AWS_SESSION_TOKEN as string,
        },
        maxAttempts: 1,
      }).send(new GetSecretValueCommand({ SecretId: "temporary" })),
    );
    t.is(status(otherSession), 403, "a made-up id with the minted token");

    // a rotation retires the old session after the grace, like a long-term pair
    await ok(world, ["sandbox", "rotate", "AWS_SESSION_TOKEN", "--grace", "0s"], project);
    const gone = await t.throwsAsync(minted.send(new GetSecretValueCommand({ SecretId: "temporary" })));
    t.is(status(gone), 403, "the rotated session is refused");
    const after = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const renewed = new SecretsManagerClient({
      endpoint,
      region: "us-east-1",
      credentials: {
        accessKeyId: after.AWS_ACCESS_KEY_ID as string,
        secretAccessKey: after.AWS_SECRET_ACCESS_KEY as string,
        sessionToken: after.AWS_SESSION_TOKEN as string,
      },
      maxAttempts: 1,
    });
    t.is((await renewed.send(new GetSecretValueCommand({ SecretId: "temporary" }))).SecretString, "works");
  });
});
