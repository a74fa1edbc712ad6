// The daemon process's entry: the start guard first, then either the middle of a double fork (--daemonize) or the
// daemon itself (run-daemon.ts), loaded as one bundle when the build made it.
// Rule: the only place in the daemon that exits the process; nothing heavy is imported before the start guard ran.

// first: refuses a debugger and re-executes with the start flags before anything else runs
import "./start/start-guard.js";
import { existsSync } from "node:fs";
import type { DevsecretsError } from "../common/errors.js";
import { useCompileCache } from "./start/compile-cache.js";

const exit = (code: number): never => process.exit(code);

/**
 * the daemon's body: the bundle of scripts/build.mjs when it is there (one file to load instead of ~150 modules:
 * ~5 MiB less resident when idle and a shorter cold start, bench/daemon-edge), else tsc's modules
 */
async function loadDaemon(): Promise<typeof import("./run-daemon.js")> {
  useCompileCache();
  const bundle = new URL("../bundle/daemon/run-daemon.mjs", import.meta.url);
  if (existsSync(bundle)) return (await import(bundle.href)) as typeof import("./run-daemon.js");
  return import("./run-daemon.js");
}

async function daemonizeAndEnd(): Promise<never> {
  const { daemonize } = await import("./start/daemonize.js");
  const passOn = process.argv.slice(2).filter((arg) => arg !== "--daemonize" && !arg.startsWith("--ready-fd="));
  return exit(await daemonize(process.argv[1] as string, passOn));
}

const start = process.argv.includes("--daemonize")
  ? daemonizeAndEnd()
  : loadDaemon().then((daemon) => daemon.runDaemon(exit));
start.catch((error: unknown) => {
  // duck-typed: an error thrown inside the bundle is an instance of the bundle's copy of DevsecretsError
  const coded = error as Partial<DevsecretsError> | null;
  if (typeof coded?.code === "string" && coded.code.startsWith("DS_") && typeof coded.hint === "string") {
    process.stderr.write(`devsecrets: ${coded.code} ${coded.message}\ndevsecrets: hint: ${coded.hint}\n`);
  } else {
    process.stderr.write(`devsecrets: the daemon failed to start (${(error as Error)?.name ?? "error"})\n`);
  }
  exit(1);
});
