// Starts Stripe's official API mock (stripe-mock) on a free loopback port for SDK acceptance tests.
// Rule: a missing binary fails the test with what to run; it is never skipped.

import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitForPort } from "./loopback-port.js";

export interface StripeMock {
  port: number;
  stop(): void;
}

export const STRIPE_MOCK_INSTALL = "go install github.com/stripe/stripe-mock@latest";

export function stripeMockPath(): string {
  const gopath = execFileSync("go", ["env", "GOPATH"], { encoding: "utf8" }).trim();
  return join(gopath, "bin", "stripe-mock");
}

export async function startStripeMock(): Promise<StripeMock> {
  let binary: string;
  try {
    binary = stripeMockPath();
  } catch (error) {
    throw new Error(
      `cannot run \`go env GOPATH\` to find stripe-mock; run \`bash .ci/run\` (it runs \`${STRIPE_MOCK_INSTALL}\`)`,
      { cause: error },
    );
  }
  if (!existsSync(binary)) {
    throw new Error(
      `stripe-mock is not installed at ${binary}; run \`bash .ci/run\` (it runs \`${STRIPE_MOCK_INSTALL}\`)`,
    );
  }
  const port = await freePort();
  const child = spawn(binary, ["-http-addr", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  try {
    await waitForPort(port, child, 20_000);
  } catch (error) {
    child.kill("SIGTERM");
    throw new Error(`stripe-mock did not start on 127.0.0.1:${port}: ${(error as Error).message}\n${stderr}`);
  }
  return {
    port,
    stop() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGTERM");
    },
  };
}
