// A private world for benchmarks: own HOME, XDG dirs and TMPDIR, so the daemon measured is ours alone.
// Rule: the daemon started here is stopped here, by its socket; every folder is removed at cleanup.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { socketRequest } from "../daemon/client/socket-request.js";
import type { HealthResponse } from "../daemon/protocol/messages.js";
import { NODE_CLI, REPO_ROOT, makeWorld } from "../test/helpers/sandbox-env.js";

export { CLI, NATIVE_RUN, NODE_CLI, REPO_ROOT } from "../test/helpers/sandbox-env.js";
export const DOTENVX = join(REPO_ROOT, "node_modules", ".bin", "dotenvx");

export interface BenchWorld {
  root: string;
  env: Record<string, string>;
  socket: string;
  project(name: string, files: Record<string, string>): string;
  /** starts the daemon as a user's first command would (autostart), returns its pid */
  startDaemon(): Promise<number>;
  stopDaemon(): void;
  cleanup(): void;
}

/** the tests' private world (test/helpers/sandbox-env.ts), with the daemon started and stopped as a user would */
export function makeBenchWorld(): BenchWorld {
  const world = makeWorld();
  // the tests' longer start timeout would hide a slow start: benchmarks measure the default
  delete world.env.DEVSECRETS_START_TIMEOUT_MS;
  const { env, root, socket } = world;
  const stopDaemon = () => {
    try {
      execFileSync(process.execPath, [NODE_CLI, "daemon", "stop"], {
        env: { ...env, DEVSECRETS_NO_AUTOSTART: "1" },
        stdio: "ignore",
        timeout: 10_000,
      });
    } catch {
      // nothing was running
    }
  };
  return {
    root,
    env,
    socket,
    project: (name, files) => world.project(files, name),
    async startDaemon() {
      execFileSync(process.execPath, [NODE_CLI, "daemon", "start"], { env, stdio: "ignore", timeout: 20_000 });
      const health = await socketRequest({ socket, method: "GET", path: "/v1/health" });
      return (JSON.parse(health.body) as HealthResponse).pid;
    },
    stopDaemon,
    cleanup() {
      stopDaemon();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const KINDS = [
  "stripe/secret-key",
  "github/pat",
  "random/password?length=24",
  "aws/access-key#id",
  "aws/access-key#secret",
  "jwt/hs256",
  "npm/token",
  "random/hex",
  "slack/bot",
  "uuid",
  "sendgrid/key",
  "twilio/auth#token",
];

/** a project of `count` variables, every other one (or all) a sandbox:// reference; and the same names as literals for dotenv tools */
export function projectFiles(
  count: number,
  references: "half" | "all" = "half",
): { "devsecrets.env": string; ".env": string; "app.js": string } {
  const refs: string[] = [];
  const literals: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `VAR_${String(i).padStart(3, "0")}`;
    const literal = `value-${i}-${"x".repeat(24)}`;
    if (references === "all" || i % 2 === 1) {
      const kind = KINDS[(i >> 1) % KINDS.length]!;
      // distinct references where the kind takes an option, so the daemon mints more than a dozen values
      const ref = kind.startsWith("random/password")
        ? `sandbox://random/password?length=${16 + (i % 48)}`
        : `sandbox://${kind}`;
      refs.push(`${name}=${ref}`);
    } else {
      refs.push(`${name}=${literal}`);
    }
    literals.push(`${name}=${literal}`);
  }
  return {
    "devsecrets.env": `${refs.join("\n")}\n`,
    ".env": `${literals.join("\n")}\n`,
    // the same app runs bare and under each tool, so it only reads the environment
    "app.js": "void process.env.VAR_000;\n",
  };
}
