// What `devsecrets run` does once its flags are read: one resolve request, then the child with the variables.
// Rule: shared by the commander command and the fast path (cli/run-fast.ts); no commander here, values only in the child's env.

import { spawn } from "node:child_process";
import { DevsecretsError } from "../common/errors.js";
import { hardenProcess } from "../common/process-hygiene.js";
import { DEFAULT_ENV, refuseInvalid } from "../common/environment.js";
import { clientFlag, clientText } from "../daemon/client/client-environment.js";
import { debug } from "../daemon/client/debug-log.js";
import { daemonClient, requestFor, type EnvOption } from "./context.js";
import { printNotices, say } from "./output.js";
import { runMaskedChild } from "./run/masked-child.js";

export interface RunOptions extends EnvOption {
  override?: boolean;
  mask?: boolean;
}

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"] as const;

/**
 * A stray SIGUSR1 (any process of the user may send one) opens Node's inspector on 127.0.0.1:9229, to every local
 * user, in the process that holds the child's values; `run` cannot start with --disable-sigusr1 without a second
 * Node start, so a listener takes the signal from the inspector for run's whole life (the forwarders add theirs).
 */
function ignoreStraySigusr1(): void {}

export async function runChild(argv: string[], options: RunOptions): Promise<number> {
  process.on("SIGUSR1", ignoreStraySigusr1);
  // bin/devsecrets chose this path by DEVSECRETS_NATIVE, and sends a value it cannot read here to be refused
  clientFlag(process.env, "DEVSECRETS_NATIVE", refuseInvalid);
  const [command, ...args] = argv;
  if (!command)
    throw new DevsecretsError("DS_USAGE", "run needs a command after --, e.g. `devsecrets run -- npm start`");
  const request = requestFor({ env: options.env ?? DEFAULT_ENV, override: options.override === true });
  const environ = request.environ ?? {};
  const answer = await daemonClient().resolve(request);
  // this process now holds values: no core file, no same-uid ptrace or /proc/<pid>/mem (as the daemon and the Go
  // launcher); only after the request, because the daemon reads /proc/<pid>/exe of its caller for the audit
  hardenProcess();
  debug(
    () =>
      `run ${command}: ${Object.keys(answer.variables).length} variables (${Object.keys(answer.variables).join(", ")})`,
  );
  printNotices(answer.notices);
  if (answer.kept.length > 0) {
    say(`kept from your environment: ${answer.kept.join(", ")} (--override to use the project's)`);
  }
  if (answer.sensitive.length > 0) {
    if (options.mask !== false) {
      const secrets = answer.sensitive.map((name) => ({ name, value: answer.variables[name] ?? "" }));
      return runMaskedChild({ command, args, env: { ...environ, ...answer.variables }, secrets });
    }
    say("masking is off (--no-mask): secrets may appear in this output");
  }
  const child = spawn(command, args, { stdio: "inherit", env: { ...environ, ...answer.variables } });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(new DevsecretsError("DS_CHILD_SPAWN", `could not start ${command} (${error.code ?? "error"})`));
    });
    child.once("exit", (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      if (signal) {
        // die of the same signal, so the caller's shell sees what the child did
        process.kill(process.pid, signal);
        resolve(128 + (signalNumber(signal) ?? 1));
        return;
      }
      resolve(code ?? 1);
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return (
    { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGPIPE: 13, SIGTERM: 15 } as Record<
      string,
      number
    >
  )[signal];
}

export interface ParsedRun {
  options: RunOptions;
  argv: string[];
}

/**
 * Reads `run`'s flags exactly as commander does for cli/commands/run.ts (options until the first operand or `--`,
 * the rest passed through; a flag wins over its DEVSECRETS_* variable, read in the dialect of common/environment.ts as
 * cli/options.ts reads it for commander). Returns null for anything else (--help, an unknown flag, a missing value or
 * command): the full CLI handles and explains it. Throws DS_USAGE for a variable outside the dialect.
 */
export function readRunArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedRun | null {
  let envName: string | undefined;
  let override: boolean | undefined;
  let mask: boolean | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (!(arg.length > 1 && arg[0] === "-")) break;
    if (arg === "--override") override = true;
    else if (arg === "--no-mask") mask = false;
    else if (arg === "--env") {
      if (i + 1 >= args.length) return null;
      envName = args[++i];
    } else if (arg.startsWith("--env=")) envName = arg.slice("--env=".length);
    else return null;
  }
  const argv = args.slice(i);
  if (argv.length === 0) return null;
  const options: RunOptions = {
    env: envName ?? clientText(env, "DEVSECRETS_ENV") ?? DEFAULT_ENV,
    mask: mask ?? !clientFlag(env, "DEVSECRETS_NO_MASK", refuseInvalid),
  };
  // as commander's path (cli/options.ts): a variable that says false is a value too
  const overriding = override ?? clientFlag(env, "DEVSECRETS_OVERRIDE", refuseInvalid);
  if (overriding !== undefined) options.override = overriding;
  return { options, argv };
}
