// aws-sm:// and aws-ssm:// against a real moto server on loopback, through the CLI as a user runs it (issue 21).
// Rule: moto and every daemon are started here and stopped by pid; secrets are seeded with the SDK the daemon uses.

import test from "ava";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { spawn } from "node:child_process";
import { REPO_ROOT, cli, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";
import { REGISTER_ESM } from "../fixtures/shims/real-daemon.js";
import { ANY_KEYS, createIamUser, startMoto, type Moto } from "../helpers/moto.js";
import { subscribeEvents } from "../helpers/sse.js";

let moto: Moto;
let authMoto: Moto;

const JSON_SECRET = { username: "app-user", password: "moto-pass-1", port: 5432 };

function sdkConfig(m: Moto, keys = ANY_KEYS) {
  return { endpoint: m.endpoint, region: "us-east-1", credentials: { ...keys } };
}

test.before(async () => {
  [moto, authMoto] = await Promise.all([
    startMoto(),
    // IAM checks on after the two calls that create the test's user (createIamUser)
    startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: "2" } }),
  ]);
  const sm = new SecretsManagerClient(sdkConfig(moto));
  await sm.send(new CreateSecretCommand({ Name: "app/json", SecretString: JSON.stringify(JSON_SECRET) }));
  await sm.send(new CreateSecretCommand({ Name: "app/plain", SecretString: "plain-moto-value" }));
  await sm.send(new CreateSecretCommand({ Name: "app/staged", SecretString: "current-value" }));
  await sm.send(
    new PutSecretValueCommand({ SecretId: "app/staged", SecretString: "pending-value", VersionStages: ["AWSPENDING"] }),
  );
  await sm.send(new CreateSecretCommand({ Name: "prod/payments", SecretString: "live-production-value" }));
  const ssm = new SSMClient(sdkConfig(moto));
  await ssm.send(
    new PutParameterCommand({ Name: "/app/db/password", Value: "ssm-secure-value", Type: "SecureString" }),
  );
  sm.destroy();
  ssm.destroy();
});

test.after.always(async () => {
  await Promise.all([moto?.stop(), authMoto?.stop()]);
});

const PROJECT = [
  "DB_USER=aws-sm://app/json#username",
  "DB_PASSWORD=aws-sm://app/json#password",
  "DB_PORT=aws-sm://app/json#port",
  "PLAIN=aws-sm://app/plain",
  "CURRENT=aws-sm://app/staged",
  "PENDING=aws-sm://app/staged?version-stage=AWSPENDING",
  "PARAM=aws-ssm:///app/db/password",
  "",
].join("\n");

async function withWorld(body: (world: World) => Promise<void>, trustAll = true): Promise<void> {
  const world = makeWorld({ trustAll });
  try {
    await body(world);
  } finally {
    await world.cleanup();
  }
}

async function login(world: World, cwd: string, env: Record<string, string>, ...args: string[]): Promise<void> {
  const r = await cli(world, ["login", "--store", "memory", ...args], { cwd, env });
  if (r.code !== 0) throw new Error(`login failed (${r.code}): ${r.stderr}`);
}

async function envJson(world: World, cwd: string): Promise<{ values: Record<string, string>; stderr: string }> {
  const r = await cli(world, ["env", "--format", "json"], { cwd });
  if (r.code !== 0) throw new Error(`env failed (${r.code}): ${r.stderr}`);
  return { values: JSON.parse(r.stdout) as Record<string, string>, stderr: r.stderr };
}

test.serial("a JSON secret's fields, a plain secret, a version stage and a SecureString parameter", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": PROJECT });
    await login(world, project, moto.loginEnv());
    const { values, stderr } = await envJson(world, project);
    t.is(values.DB_USER, "app-user");
    t.is(values.DB_PASSWORD, "moto-pass-1");
    t.is(values.DB_PORT, "5432");
    t.is(values.PLAIN, "plain-moto-value");
    t.is(values.CURRENT, "current-value");
    t.is(values.PENDING, "pending-value");
    t.is(values.PARAM, "ssm-secure-value");
    t.notRegex(stderr, /DS_STORE_SANDBOX|sandbox value/);
  });
});

test.serial(
  "a missing secret, a missing field and a missing parameter: coded errors naming them, no SDK stack",
  async (t) => {
    await withWorld(async (world) => {
      const project = world.project({
        "devsecrets.env": [
          "GONE=aws-sm://app/nothing-here",
          "NOFIELD=aws-sm://app/json#apikey",
          "NOPARAM=aws-ssm:///app/nothing",
          "",
        ].join("\n"),
      });
      await login(world, project, moto.loginEnv());
      for (const [name, what] of [
        ["GONE", "aws-sm://app/nothing-here"],
        ["NOFIELD", "#apikey"],
        ["NOPARAM", "aws-ssm:///app/nothing"],
      ] as const) {
        const r = await cli(world, ["get", name, "--json"], { cwd: project });
        t.is(r.code, 1, name);
        const error = (JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } }).error;
        t.is(error.code, "DS_REF_NOT_FOUND", name);
        t.true(error.message.includes(what), `${name}: ${error.message}`);
        t.true(error.message.includes("devsecrets.env:"), `${name} names file:line`);
        t.truthy(error.hint, `${name} has a hint`);
        t.notRegex(r.stdout + r.stderr, /node_modules|\n\s+at |smithy|\$metadata/, `${name}: no SDK stack`);
      }
      // the fields a secret does have are named in the hint; its values are not
      const r = await cli(world, ["get", "NOFIELD", "--json"], { cwd: project });
      t.regex(r.stdout, /username, password, port/);
      t.notRegex(r.stdout, /moto-pass-1|app-user/);
    });
  },
);

test.serial("wrong credentials answer DS_STORE_AUTH, a user without a policy DS_STORE_FORBIDDEN", async (t) => {
  const keys = createIamUser(authMoto, "no-policy");
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "SECRET=aws-sm://app/json#password\nP=aws-ssm:///app/x\n" });
    await login(world, project, authMoto.loginEnv({ accessKeyId: "AKIAWRONGWRONGWRONG1", secretAccessKey: "nope" }));
    const wrong = await cli(world, ["get", "SECRET", "--json"], { cwd: project });
    t.is(wrong.code, 1);
    const error = (JSON.parse(wrong.stdout) as { error: { code: string; message: string; hint: string } }).error;
    t.is(error.code, "DS_STORE_AUTH", error.message);
    t.true(error.message.includes("aws-sm://app/json#password"));
    t.regex(error.hint, /credentials/);
    t.notRegex(wrong.stdout + wrong.stderr, /node_modules|\n\s+at |nope/);
  });
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "SECRET=aws-sm://app/json#password\nP=aws-ssm:///app/x\n" });
    await login(world, project, authMoto.loginEnv(keys));
    for (const name of ["SECRET", "P"]) {
      const r = await cli(world, ["get", name, "--json"], { cwd: project });
      t.is(r.code, 1);
      const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
      t.is(error.code, "DS_STORE_FORBIDDEN", `${name}: ${error.message}`);
    }
  });
});

test.serial(
  "offline, without a login, and untrusted: sandbox values with DS_STORE_SANDBOX, moto never asked",
  async (t) => {
    await withWorld(async (world) => {
      const project = world.project({ "devsecrets.env": PROJECT });
      const before = await envJson(world, project);
      t.regex(before.stderr, /nobody is logged in: aws-sm:\/\/ references are answered by sandbox values/);
      t.not(before.values.DB_PASSWORD, "moto-pass-1");
      t.not(before.values.PARAM, "ssm-secure-value");
      await login(world, project, moto.loginEnv(), "--offline");
      const offline = await envJson(world, project);
      t.regex(offline.stderr, /offline: aws-ssm:\/\/ references are answered by sandbox values/);
      for (const [name, real] of Object.entries({ DB_PASSWORD: "moto-pass-1", PLAIN: "plain-moto-value" })) {
        t.truthy(offline.values[name]);
        t.not(offline.values[name], real);
      }
    });
    await withWorld(async (world) => {
      const project = world.project({ "devsecrets.env": PROJECT });
      await login(world, project, moto.loginEnv());
      const untrusted = await envJson(world, project);
      t.regex(untrusted.stderr, /not trusted: its aws-sm:\/\/ references are answered by sandbox values/);
      t.not(untrusted.values.DB_PASSWORD, "moto-pass-1");
      t.not(untrusted.values.PARAM, "ssm-secure-value");
    }, false);
  },
);

test.serial("a production path of the user config is never fetched for a dev session", async (t) => {
  await withWorld(async (world) => {
    const config = join(world.env.XDG_CONFIG_HOME as string, "devsecrets");
    mkdirSync(config, { recursive: true });
    const project = world.project({
      "devsecrets.env": "PAY=aws-sm://prod/payments\nMARKED=aws-sm://app/plain?env=prod\n",
    });
    await login(world, project, moto.loginEnv());
    const control = await envJson(world, project);
    t.is(control.values.PAY, "live-production-value", "control: without the pattern the dev session fetches it");
    t.not(control.values.MARKED, "plain-moto-value", "a reference marked ?env=prod is never fetched for dev");
    writeFileSync(join(config, "config.json"), JSON.stringify({ production: ["aws-sm://prod/**"] }));
    await cli(world, ["logout"], { cwd: project });
    await login(world, project, moto.loginEnv());
    const guarded = await envJson(world, project);
    t.not(guarded.values.PAY, "live-production-value");
    t.regex(guarded.stderr, /production by your user config \(aws-sm:\/\/prod\/\*\*\)/);
  });
});

test.serial(
  "rotation: put-secret-value while an app with the Node preload runs reaches its process.env; put-parameter too",
  async (t) => {
    const sm = new SecretsManagerClient(sdkConfig(moto));
    await sm.send(
      new CreateSecretCommand({ Name: "app/rotating", SecretString: JSON.stringify({ token: "value-one" }) }),
    );
    await withWorld(async (world) => {
      const project = world.project({
        "devsecrets.env": "ROTATING=aws-sm://app/rotating#token\nPINNED=aws-sm://app/plain\n",
      });
      // the daemon autostarted by login polls every 300 ms instead of 30 s
      await login(world, project, { ...moto.loginEnv(), DEVSECRETS_POLL_MS: "300" });
      const child = spawn(
        process.execPath,
        ["--import", REGISTER_ESM, join(REPO_ROOT, "test", "fixtures", "shims", "apps", "waits-for-events.mjs")],
        { cwd: project, env: { ...world.env, WAIT_FOR: "rotate" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      try {
        await waitFor(() => stdout.includes('"subscribed"'), 20_000, "the app's subscription");
        await sm.send(
          new PutSecretValueCommand({ SecretId: "app/rotating", SecretString: JSON.stringify({ token: "value-two" }) }),
        );
        await waitFor(() => stdout.includes('"rotate"'), 20_000, "the rotate event in the app");
        // the app exits by itself once it has seen the rotation (its subscription is unref'd)
        await waitFor(() => child.exitCode !== null, 10_000, "the app to exit");
      } finally {
        if (child.exitCode === null) child.kill("SIGTERM");
      }
      t.is(await exited, 0, stderr);
      const lines = stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      t.deepEqual(lines, [
        { event: "start", ROTATING: "value-one" },
        { event: "subscribed" },
        { event: "rotate", names: ["ROTATING"], ROTATING: "value-two" },
      ]);
      // the next resolve of the session sees the new version too
      t.is((await cli(world, ["get", "ROTATING"], { cwd: project })).stdout, "value-two");
      // a parameter: overwritten while a subscriber listens, the session's copy is forgotten and the variable named
      const ssm = new SSMClient(sdkConfig(moto));
      await ssm.send(new PutParameterCommand({ Name: "/app/rotating", Value: "param-one", Type: "SecureString" }));
      writeFileSync(
        join(project, "devsecrets.env"),
        "ROTATING=aws-sm://app/rotating#token\nPARAM=aws-ssm:///app/rotating\n",
      );
      t.is((await cli(world, ["get", "PARAM"], { cwd: project })).stdout, "param-one");
      const events = await subscribeEvents(world.socket);
      try {
        await ssm.send(
          new PutParameterCommand({ Name: "/app/rotating", Value: "param-two", Type: "SecureString", Overwrite: true }),
        );
        const rotate = await events.nextData<{ names: string[]; references: string[] }>("rotate", 20_000);
        t.deepEqual(rotate.names, ["PARAM"]);
        t.false(JSON.stringify(rotate).includes("param-two"));
      } finally {
        events.close();
        ssm.destroy();
      }
      t.is((await cli(world, ["get", "PARAM"], { cwd: project })).stdout, "param-two");
    });
    sm.destroy();
  },
);
