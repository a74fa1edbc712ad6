// examples/offline-app with no network beyond loopback (unshare -n, lo up): the Node app (S3, Stripe, pg, Redis) and
// its Python twin (boto3) complete every call against the daemon's services; a made-up AWS key gets moto's 403.
// Rule: the daemon and its services start inside the namespace (autostart from the first run), so nothing can reach
// any address but loopback.

import test from "ava";
import { join } from "node:path";
import { withWorld } from "../helpers/daemon-process.js";
import { CLI, REPO_ROOT, runProcess, type World } from "../helpers/sandbox-env.js";

const APP = join(REPO_ROOT, "examples", "offline-app");

/** runs `devsecrets ARGS` and then `devsecrets daemon stop` in a new network namespace with only lo, up */
function offline(world: World, args: string[], env: Record<string, string> = {}) {
  const quoted = [CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const script = `ip link set lo up && ${quoted}; code=$?; '${CLI}' daemon stop >/dev/null 2>&1; exit $code`;
  return runProcess("unshare", ["-n", "sh", "-c", script], {
    cwd: APP,
    env: { ...world.env, ...env },
    timeoutMs: 120_000,
  });
}

test("offline: the Node app completes S3, Stripe, PostgreSQL and Redis calls with only sandbox references and no network", async (t) => {
  await withWorld(async (world) => {
    const result = await offline(world, ["run", "--", process.execPath, "app.mjs"]);
    t.is(result.code, 0, `${result.stdout}\n${result.stderr}`);
    t.regex(result.stdout, /s3 put\/get: hello offline/);
    t.regex(result.stdout, /stripe customer: cus_/);
    t.regex(result.stdout, /postgres rows: 1/);
    t.regex(result.stdout, /redis get: offline/);
    t.regex(result.stdout, /every call completed/);
  });
});

test("offline: the Python twin (boto3) completes its S3 calls; with a made-up AWS key the app gets moto's 403", async (t) => {
  await withWorld(async (world) => {
    const python = await offline(world, ["run", "--", "python3", "app.py"]);
    t.is(python.code, 0, `${python.stdout}\n${python.stderr}`);
    t.regex(python.stdout, /s3 put\/get: hello offline/);
    // the caller's own variables win over the project's: the app signs with a key moto never heard of
    const madeUp = await offline(world, ["run", "--", process.execPath, "app.mjs"], {
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    });
    t.is(madeUp.code, 1, madeUp.stdout);
    t.regex(madeUp.stdout, /s3 failed: .*\(HTTP 403\)/);
  });
});
