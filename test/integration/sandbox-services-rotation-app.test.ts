// The rotation drill against a running app (issue 19): an app started with the Node preload calls S3 (moto) and
// Redis every 100 ms with the values in its process.env; `sandbox rotate --grace 1s` gives it new ones through the
// `rotate` event, and no call fails.

import test from "ava";
import { AWS_SERVICE_LINES, REDIS_SERVICE_LINES, envFile } from "../helpers/service-projects.js";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REGISTER_ESM } from "../fixtures/shims/real-daemon.js";
import { withWorld } from "../helpers/daemon-process.js";
import { REPO_ROOT, cli, waitFor } from "../helpers/sandbox-env.js";

const S3 = join(REPO_ROOT, "node_modules", "@aws-sdk", "client-s3", "dist-cjs", "index.js");

const APP = `
import { createRequire } from "node:module";
import { connect } from "node:net";
import { events } from ${JSON.stringify(REGISTER_ESM)};
const { S3Client, CreateBucketCommand, PutObjectCommand } = createRequire(import.meta.url)(${JSON.stringify(S3)});
const env = process.env;
const s3 = () => new S3Client({
  endpoint: env.AWS_ENDPOINT_URL, region: "us-east-1", forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
});
const redisAuth = () => new Promise((resolve) => {
  const socket = connect({ host: "127.0.0.1", port: Number(env.REDIS_PORT) });
  let text = "";
  socket.on("error", (e) => resolve("error " + e.code));
  socket.on("connect", () => socket.write("AUTH default " + env.REDIS_PASSWORD + "\\r\\n"));
  socket.on("data", (c) => { text += c; if (text.includes("\\r\\n")) { socket.end(); resolve(text.split("\\r\\n")[0]); } });
});
const keys = new Set([env.AWS_ACCESS_KEY_ID]);
const passwords = new Set([env.REDIS_PASSWORD]);
let calls = 0, failures = [], rotated = 0, lastOk = 0, rotatedAt = 0;
const firstKey = env.AWS_ACCESS_KEY_ID;
// a failure says which key it used and when, relative to the rotate event, so a failed run tells why
const when = (key) => (key === firstKey ? "old" : "new") + " key, " + (rotatedAt ? Date.now() - rotatedAt + " ms after the event" : "before the event");
events.on("rotate", () => { rotated++; rotatedAt = Date.now(); keys.add(env.AWS_ACCESS_KEY_ID); passwords.add(env.REDIS_PASSWORD); });
events.on("subscribed", () => console.log("subscribed"));
if (events.subscribed) console.log("subscribed");
await s3().send(new CreateBucketCommand({ Bucket: "drill" }));
const until = Date.now() + Number(env.RUN_MS);
while (Date.now() < until) {
  calls++;
  const key = env.AWS_ACCESS_KEY_ID;
  try { await s3().send(new PutObjectCommand({ Bucket: "drill", Key: "k", Body: String(calls) })); }
  catch (e) { failures.push("s3 " + e.name + " " + (e.$metadata?.httpStatusCode ?? "") + " (" + when(key) + ")"); }
  const auth = await redisAuth();
  if (auth !== "+OK") failures.push("redis " + auth + " (" + when(key) + ")");
  else lastOk = calls;
  await new Promise((r) => setTimeout(r, 100));
}
console.log(JSON.stringify({ calls, failures, rotated, keys: keys.size, passwords: passwords.size, last: lastOk }));
process.exit(0);
`;

/** both drills' app: S3 through the sandbox moto and the sandbox Redis */
const DRILL_ENV = envFile(AWS_SERVICE_LINES, REDIS_SERVICE_LINES);

test("rotation drill: an app with the Node preload calling S3 and Redis every 100 ms keeps working across sandbox rotate --grace 1s", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": DRILL_ENV,
      "app.mjs": APP,
    });
    // the services start before the app, so the app's first resolve is quick
    t.is((await cli(world, ["env", "--format", "json"], { cwd: project })).code, 0);
    const child = spawn(process.execPath, ["--import", REGISTER_ESM, "app.mjs"], {
      cwd: project,
      env: { ...world.env, RUN_MS: "6000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await waitFor(() => stdout.includes("subscribed"), 15_000, "the app's subscription");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rotate = await cli(world, ["sandbox", "rotate", "--grace", "1s"], { cwd: project });
    t.is(rotate.code, 0, rotate.stderr);
    t.is(await exited, 0, stderr);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1) as string) as {
      calls: number;
      failures: string[];
      rotated: number;
      keys: number;
      passwords: number;
    };
    t.deepEqual(summary.failures, [], "no call failed");
    t.true(summary.rotated >= 1, "the app saw the rotate event");
    t.is(summary.keys, 2, "the app switched to the new AWS pair");
    t.is(summary.passwords, 2, "the app switched to the new Redis password");
    t.true(summary.calls >= 15, `calls kept going after the grace: ${summary.calls}`);
  });
});

test("outage drill: during sandbox services pause redis --for 2s the app's Redis calls fail, then recover with no restart", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": DRILL_ENV,
      "app.mjs": APP,
    });
    t.is((await cli(world, ["env", "--format", "json"], { cwd: project })).code, 0);
    const before = JSON.parse((await cli(world, ["sandbox", "services", "--json"])).stdout) as {
      services: { pid: number }[];
    };
    const child = spawn(process.execPath, ["--import", REGISTER_ESM, "app.mjs"], {
      cwd: project,
      env: { ...world.env, RUN_MS: "6000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await waitFor(() => stdout.includes("subscribed"), 15_000, "the app's subscription");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    t.is((await cli(world, ["sandbox", "services", "pause", "redis", "--for", "2s"])).code, 0);
    t.is(await exited, 0);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1) as string) as {
      calls: number;
      failures: string[];
      last: number;
    };
    const redisFailures = summary.failures.filter((f) => f.startsWith("redis"));
    t.true(redisFailures.length >= 5, `Redis calls failed during the pause: ${redisFailures.length}`);
    t.deepEqual(
      summary.failures.filter((f) => f.startsWith("s3")),
      [],
      "the other service was not touched",
    );
    t.is(summary.last, summary.calls, "the last call succeeded: it recovered");
    const after = JSON.parse((await cli(world, ["sandbox", "services", "--json"])).stdout) as {
      services: { pid: number }[];
    };
    t.deepEqual(
      after.services.map((s) => s.pid).sort(),
      before.services.map((s) => s.pid).sort(),
      "no service restarted",
    );
  });
});
