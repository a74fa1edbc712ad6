// Starts a real moto server (AWS emulator) on a free loopback port for the platform-store tests, and seeds it through
// the same AWS SDK clients the daemon uses. `auth` turns on moto's IAM checks after the users the test needs exist.
// Rule: a missing moto fails the test with what to install; the server is stopped by its pid.

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { freePort, waitForPort } from "./loopback-port.js";

export const MOTO_INSTALL = "python3 -m pip install 'moto[server]'";

export interface Moto {
  endpoint: string;
  port: number;
  pid: number;
  /** the environment `devsecrets login` reads to reach this moto with keys it accepts */
  loginEnv(keys?: { accessKeyId: string; secretAccessKey: string }): Record<string, string>;
  stop(): Promise<void>;
}

/** keys moto accepts while IAM checks are off (any key is accepted then) */
export const ANY_KEYS = { accessKeyId: "AKIAEMULATORTESTKEY1", secretAccessKey: "emulator-test-secret" };

export async function startMoto(options: { env?: Record<string, string> } = {}): Promise<Moto> {
  try {
    execFileSync("python3", ["-c", "import moto.server, flask, werkzeug"], { stdio: "ignore" });
  } catch (error) {
    throw new Error(`moto's server is not installed for python3; run \`bash .ci/run\` (it runs \`${MOTO_INSTALL}\`)`, {
      cause: error,
    });
  }
  const port = await freePort();
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", ...options.env },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  try {
    await waitForPort(port, child, 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`moto did not start on 127.0.0.1:${port}: ${(error as Error).message}\n${stderr}`);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    pid: child.pid as number,
    loginEnv: (keys = ANY_KEYS) => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    }),
    stop: () => stopChild(child),
  };
}

/**
 * Creates an IAM user with an access key on a moto started with INITIAL_NO_AUTH_ACTION_COUNT=2 (these are the two
 * unauthenticated calls); `policy` is attached with the new key itself, so only when the user may do so.
 */
export function createIamUser(moto: Moto, name: string): { accessKeyId: string; secretAccessKey: string } {
  const script = `
import boto3, json, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="unauthenticated", aws_secret_access_key="unauthenticated")
iam.create_user(UserName=sys.argv[2])
key = iam.create_access_key(UserName=sys.argv[2])["AccessKey"]
print(json.dumps({"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}))
`;
  const out = execFileSync("python3", ["-c", script, moto.endpoint, name], { encoding: "utf8" });
  return JSON.parse(out) as { accessKeyId: string; secretAccessKey: string };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  process.kill(child.pid as number, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null) process.kill(child.pid as number, "SIGKILL");
  }, 5_000);
  await closed;
  clearTimeout(timer);
}
