// The daemon's first module: refuses a debugger, and re-executes Node with the start flags when they are missing.
// Rule: imported first by daemon/main.ts, so nothing else runs before it; it never holds a secret.

import { url } from "node:inspector";
import { DAEMON_START_FLAGS, missingStartFlags } from "../../common/daemon-start-flags.js";

const DEBUG_FLAGS =
  /^--(inspect|inspect-brk|inspect-port|inspect-wait|debug|debug-brk|heapsnapshot-signal|heapsnapshot-near-heap-limit|heap-snapshot|cpu-prof|heap-prof|trace-|prof)/;

/** a flag that would expose the daemon's memory, from its own command line or NODE_OPTIONS, or undefined */
function debuggingFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  const flags = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  return flags.find((flag) => DEBUG_FLAGS.test(flag))?.split("=")[0];
}

function refuse(message: string, hint: string): never {
  process.stderr.write(`devsecrets: DS_DAEMON_START_FAILED ${message}\ndevsecrets: hint: ${hint}\n`);
  process.exit(1);
}

const flag = debuggingFlag(process.execArgv, process.env.NODE_OPTIONS);
if (flag) {
  refuse(
    `refusing to start with ${flag}: it would expose secrets in memory`,
    "start the daemon without debugger, profiler or heap-snapshot flags (check NODE_OPTIONS)",
  );
}
if (url() !== undefined) {
  refuse("refusing to start with the inspector open", "start the daemon without --inspect (check NODE_OPTIONS)");
}

const missing = missingStartFlags(process.execArgv);
if (missing.length > 0) {
  const args = [...DAEMON_START_FLAGS, ...process.execArgv.filter((f) => !DAEMON_START_FLAGS.includes(f))];
  const argv = [process.execPath, ...args, ...process.argv.slice(1)];
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (typeof execve === "function") execve.call(process, process.execPath, argv, process.env);
  // Node 22.14 has no execve: run the flagged daemon as a child that owns this process's stdio, and end with it
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, argv.slice(1), { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  await new Promise<never>(() => {
    child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
  });
}
