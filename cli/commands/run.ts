// `devsecrets run -- CMD ARGS...`: the child gets the project's variables on top of the caller's environment.
// Rule: the child's exit code and signals pass through; names of kept variables are said, values never.

import { Command, Option } from "commander";
import { spawn } from "node:child_process";
import { DevsecretsError } from "../../daemon/errors.js";
import { callerEnviron, daemonClient, type EnvOption } from "../context.js";
import { printNotices, say } from "../output.js";

interface RunOptions extends EnvOption {
  override?: boolean;
  mask?: boolean;
}

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"] as const;

export async function runChild(argv: string[], options: RunOptions): Promise<number> {
  const [command, ...args] = argv;
  if (!command) throw new DevsecretsError("DS_USAGE", "run needs a command after --, e.g. `devsecrets run -- npm start`");
  const environ = callerEnviron();
  const answer = await daemonClient().resolve({
    cwd: process.cwd(), env: options.env, environ, override: options.override === true,
  });
  printNotices(answer.notices);
  if (answer.kept.length > 0) {
    say(`kept from your environment: ${answer.kept.join(", ")} (--override to use the project's)`);
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
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[signal];
}

export function runCommand(): Command {
  return new Command("run")
    .description("run a command with the project's variables in its environment")
    .argument("<command...>", "the command and its own arguments, after --")
    .addOption(new Option("--env <env>", "overlay devsecrets.<env>.env").env("DEVSECRETS_ENV").default("dev"))
    .addOption(new Option("--override", "let the project's values replace ones already set in your environment").env("DEVSECRETS_OVERRIDE"))
    .addOption(new Option("--no-mask", "do not mask served values in the child's output").env("DEVSECRETS_NO_MASK"))
    .passThroughOptions()
    .addHelpText("after", `
Examples:
  $ devsecrets run -- npm start
  $ PORT=4000 devsecrets run -- node server.js --verbose   # your PORT wins
  $ devsecrets run --env staging --override -- ./deploy.sh`)
    .action(async (argv: string[], options: RunOptions) => {
      process.exitCode = await runChild(argv, options);
    });
}
