// The `devsecrets` command: builds the commander program from cli/commands/<verb>.ts and exits.
// Rule: the only place in devsecrets that calls process.exit; exit codes 0 ok, 1 error, 2 usage.

import { Command, CommanderError, Option } from "commander";
import { join } from "node:path";
import { DevsecretsError } from "../common/errors.js";
import { debug, setVerbose } from "../daemon/client/debug-log.js";
import { PACKAGE_VERSION } from "../daemon/protocol/version.js";
import { readString } from "../common/environment.js";
import { renderError } from "./output.js";
import { packageRoot } from "./package-root.js";
import { describeOption, readOptionVariables } from "./options.js";
import { runCommand } from "./commands/run.js";
import { envCommand } from "./commands/env.js";
import { getCommand } from "./commands/get.js";
import { lsCommand } from "./commands/ls.js";
import { checkCommand } from "./commands/check.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { statusCommand } from "./commands/status.js";
import { daemonCommand } from "./commands/daemon.js";
import { doctorCommand } from "./commands/doctor.js";
import { auditCommand } from "./commands/audit.js";
import { loginCommand, logoutCommand } from "./commands/login.js";
import { setCommand, unsetCommand } from "./commands/set.js";
import { shimCommand } from "./commands/shim.js";
import { direnvCommand } from "./commands/direnv.js";
import { scanCommand } from "./commands/scan.js";
import { hookCommand } from "./commands/hook.js";
import { initCommand } from "./commands/init.js";
import { eventsCommand } from "./commands/events.js";
import { uiCommand } from "./commands/ui.js";
import { versionCommand } from "./commands/version.js";
import { trustCommand } from "./commands/trust.js";
import { sopsCommand } from "./commands/sops.js";
import { explainCommand } from "./commands/explain.js";
import { completionCommand } from "./commands/completion.js";

/** the command whose arguments commander refused last: its --help is named in the DS_USAGE hint */
let refusedBy: Command | undefined;

function applyManners(command: Command): void {
  command
    .exitOverride()
    // commander's own error line is replaced by one DS_USAGE rendering in main(), as text or --json
    .configureOutput({ outputError: () => (refusedBy = command) })
    .configureHelp({ optionDescription: describeOption })
    .addOption(new Option("--verbose", "write the CLI's and the client's steps to stderr, never values"));
  for (const sub of command.commands) applyManners(sub);
}

function commandPath(command: Command | undefined): string {
  const names: string[] = [];
  for (let at = command; at; at = at.parent ?? undefined) names.unshift(at.name());
  return names.join(" ") || "devsecrets";
}

/** a commander refusal as the one usage error every command speaks: DS_USAGE, exit 2 */
function usageError(error: CommanderError): DevsecretsError {
  const message = error.message
    .replace(/^error: /, "")
    .replace(/\n/g, " ")
    .trim();
  return new DevsecretsError("DS_USAGE", message, {
    hint: `run \`${commandPath(refusedBy)} --help\` for its usage and an example`,
  });
}

/** --verbose on any command, or DEVSECRETS_LOG (debug or info; anything else is bad usage) */
function readVerbosity(command: Command): void {
  const level = readString(process.env, "DEVSECRETS_LOG");
  if (level !== undefined && level !== "debug" && level !== "info")
    throw new DevsecretsError("DS_USAGE", `DEVSECRETS_LOG=${level} is not one of debug, info`, {
      hint: "set DEVSECRETS_LOG=debug for the client's steps on stderr, or unset it",
    });
  for (let at: Command | null = command; at; at = at.parent) if (at.opts().verbose === true) setVerbose(true);
  debug(() => `devsecrets ${PACKAGE_VERSION} on Node ${process.versions.node}: ${commandPath(command)}`);
}

/** docs/*.md of this package, as absolute paths: an installed package has no checkout to be relative to */
function docsHelp(): string {
  const docs = join(packageRoot(), "docs");
  return ["references.md", "sandbox.md", "errors.md", "environment.md"]
    .map((file) => `  ${join(docs, file)}`)
    .join("\n");
}

export function buildProgram(): Command {
  const program = new Command("devsecrets")
    .description("local development secrets: references in git, values from the daemon, sandbox tokens offline")
    .version(PACKAGE_VERSION, "-V, --version")
    .enablePositionalOptions()
    .addHelpText(
      "after",
      () => `
Quick start:
  $ echo 'STRIPE_SECRET_KEY=sandbox://stripe/secret-key' > devsecrets.env
  $ devsecrets run -- node app.js   # the app gets a sandbox key, its output masked
  $ devsecrets ls                   # what the project needs, never values
  $ devsecrets sandbox kinds        # stand-in credentials you can reference

Docs:
${docsHelp()}`,
    );
  for (const make of [
    loginCommand,
    logoutCommand,
    setCommand,
    unsetCommand,
    runCommand,
    envCommand,
    getCommand,
    lsCommand,
    checkCommand,
    sandboxCommand,
    statusCommand,
    auditCommand,
    eventsCommand,
    uiCommand,
    daemonCommand,
    doctorCommand,
    shimCommand,
    direnvCommand,
    scanCommand,
    hookCommand,
    initCommand,
    versionCommand,
    trustCommand,
    sopsCommand,
    explainCommand,
    completionCommand,
  ]) {
    program.addCommand(make());
  }
  applyManners(program);
  // every command's DEVSECRETS_* variables, read in the dialect once commander has read the flags
  program.hook("preAction", (_program, command) => {
    readVerbosity(command);
    readOptionVariables(command);
  });
  return program;
}

/** a reader that went away (`devsecrets ls | head -1`) ends the command quietly, with success, as cat and ls do */
function quietOnClosedPipe(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

export async function main(argv: string[]): Promise<number> {
  // `run` passes a closed pipe on to its child, which finds out itself (cli/run/masked-output.ts)
  if (argv[0] !== "run") quietOnClosedPipe();
  // -v as well as commander's -V and --version
  if (argv.length === 1 && argv[0] === "-v") argv = ["--version"];
  const program = buildProgram();
  const wantsJson = argv.includes("--json");
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are successes; every other commander error is bad usage
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      )
        return 0;
      return renderError(usageError(error), wantsJson);
    }
    return renderError(error, wantsJson);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
