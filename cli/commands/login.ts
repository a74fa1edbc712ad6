// `devsecrets login` and `logout`: start, extend or end the session that keychain:// and vault:// need.
// Rule: logout runs the wipe and says what it undid; a passphrase is read without echo, never from argv.

import { dirname } from "node:path";
import { Command, Option } from "commander";
import { envOption, withVariable } from "../options.js";
import { parseDuration, formatDuration } from "../../common/durations.js";
import { readPassphrase } from "../prompt/passphrase-input.js";
import type { DevsecretsError } from "../../common/errors.js";
import { daemonClient, type EnvOption, type JsonOption } from "../context.js";
import { printJson, printNotices, say } from "../output.js";
import { vaultLoginFor, type VaultFlags } from "../vault-credentials.js";
import { awsLoginFor, type AwsFlags } from "../aws-login-settings.js";

interface LoginOptions extends EnvOption, JsonOption, VaultFlags, AwsFlags {
  offline?: boolean;
  ttl: string;
  idle: string;
  store: "auto" | "keychain" | "memory" | "file";
}

export function loginCommand(): Command {
  return new Command("login")
    .description("start a session (kept in the OS keychain), or extend the current one")
    .addOption(envOption("the session's environment"))
    .addOption(
      withVariable(new Option("--ttl <duration>", "how long the session lives").default("8h"), "DEVSECRETS_TTL"),
    )
    .addOption(
      withVariable(
        new Option("--idle <duration>", "lock after this long without use").default("1h"),
        "DEVSECRETS_IDLE",
      ),
    )
    .addOption(
      withVariable(
        new Option("--store <store>", "where the session is kept")
          .choices(["auto", "keychain", "memory", "file"])
          .default("auto"),
        "DEVSECRETS_STORE",
      ),
    )
    .addOption(
      withVariable(
        new Option(
          "--vault <addr>",
          "Vault/OpenBao address (default VAULT_ADDR, BAO_ADDR, the user config, a trusted project)",
        ),
        "DEVSECRETS_VAULT_ADDR",
      ),
    )
    .addOption(
      withVariable(
        new Option("--vault-auth <method>", "how to log in to Vault").choices(["token", "approle", "userpass"]),
        "DEVSECRETS_VAULT_AUTH",
      ),
    )
    .addOption(
      withVariable(new Option("--vault-user <name>", "user name for --vault-auth userpass"), "DEVSECRETS_VAULT_USER"),
    )
    .addOption(
      withVariable(
        new Option("--aws-profile <name>", "AWS profile for aws-sm:// and aws-ssm:// (default AWS_PROFILE)"),
        "DEVSECRETS_AWS_PROFILE",
      ),
    )
    .addOption(
      withVariable(
        new Option("--aws-region <region>", "AWS region for aws-sm:// and aws-ssm:// (default AWS_REGION)"),
        "DEVSECRETS_AWS_REGION",
      ),
    )
    .addOption(
      withVariable(
        new Option("--offline", "answer every vault:// reference with a sandbox value"),
        "DEVSECRETS_OFFLINE",
      ),
    )
    .option("--json", "print the session as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets login                         # OS keychain; memory when there is none
  $ VAULT_ADDR=http://127.0.0.1:8200 devsecrets login    # Vault token from VAULT_TOKEN, ~/.vault-token or a prompt
  $ devsecrets login --vault https://vault.example.com --vault-auth userpass --vault-user me
  $ devsecrets login --aws-profile dev --aws-region eu-west-1    # aws-sm:// and aws-ssm:// with your AWS profile
  $ devsecrets login --offline               # vault:// answered by sandbox values
  $ devsecrets login --ttl 2h --idle 15m
  $ devsecrets login --store file            # passphrase-encrypted file, for machines without a keychain
  $ DEVSECRETS_PASSPHRASE_FD=3 devsecrets login --store file 3<passfile`,
    )
    .action(async (options: LoginOptions, command: Command) => {
      // the daemon's bounds (daemon/http/validate.ts), said here about the flag or variable the user typed
      const bounds = { min: 1, max: 30 * 86400 };
      const from = (key: string, flag: string, variable: string) =>
        command.getOptionValueSource(key) === "env" ? variable : flag;
      const ttlSeconds = parseDuration(options.ttl, from("ttl", "--ttl", "DEVSECRETS_TTL"), bounds);
      const idleSeconds = parseDuration(options.idle, from("idle", "--idle", "DEVSECRETS_IDLE"), bounds);
      const passphrase =
        options.store === "file"
          ? (await readPassphrase({ prompt: "passphrase for the session file (not shown): " })).reveal()
          : undefined;
      // --offline, or DEVSECRETS_OFFLINE read by readOptionVariables (cli/options.ts)
      const offline = options.offline === true;
      // a project's Vault settings count once the daemon's trust book says the project is trusted (devsecrets trust)
      const projectTrusted = async (config: string) =>
        (await daemonClient().trustShow({ cwd: dirname(config) })).trusted;
      const vault = offline
        ? undefined
        : await vaultLoginFor(options, process.env, process.cwd(), { notify: say, projectTrusted });
      const aws = await awsLoginFor(options, process.env);
      const request = {
        env: options.env,
        ttlSeconds,
        idleSeconds,
        store: options.store,
        ...(passphrase !== undefined ? { passphrase } : {}),
        ...(vault ? { vault } : {}),
        ...(offline ? { offline } : {}),
        ...(aws ? { aws } : {}),
      };
      const answer = await daemonClient()
        .login(request)
        .catch(async (error: unknown) => {
          // a file session locked since a daemon restart: ask its passphrase once (a terminal, or the descriptor)
          const askable = passphrase === undefined && options.store === "auto";
          if ((error as DevsecretsError).code !== "DS_SESSION_LOCKED" || !askable) throw error;
          const typed = await readPassphrase({
            prompt: "passphrase of the file session, locked since the daemon restarted (not shown): ",
          }).catch((cannotAsk: unknown) => {
            // no terminal and no descriptor: the daemon's refusal says what to do, not the prompt's
            throw (cannotAsk as DevsecretsError).code === "DS_USAGE" ? error : cannotAsk;
          });
          return daemonClient().login({ ...request, store: "file", passphrase: typed.reveal() });
        });
      if (options.json) return printJson(answer);
      printNotices(answer.notices);
      const s = answer.session;
      const left = formatDuration(Math.round((Date.parse(s.expiresAt) - Date.now()) / 1000));
      say(
        answer.unlocked
          ? `session unlocked: the same ${s.store} session as before the restart, expires in ${left} (idle lock ${formatDuration(s.idleSeconds)})`
          : answer.extended
            ? `session kept and extended: expires in ${left} (idle lock ${formatDuration(s.idleSeconds)})`
            : `logged in: env ${s.env}, ${s.store} store, expires in ${left} (idle lock ${formatDuration(s.idleSeconds)})`,
      );
    });
}

export function logoutCommand(): Command {
  return new Command("logout")
    .description("end the session: revoke and forget everything it handed out, clear the keychain item")
    .option("--json", "print what was wiped as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets logout`,
    )
    .action(async (options: JsonOption) => {
      const answer = await daemonClient().logout();
      // a wipe that could not undo everything is a failure, in either output form
      if (Object.keys(answer.failed).length > 0) process.exitCode = 1;
      if (options.json) return printJson(answer);
      if (!answer.loggedOut) return say("nobody was logged in");
      const parts = Object.entries(answer.wiped)
        .map(([part, n]) => `${n} ${part}`)
        .join(", ");
      say(`logged out; wiped ${parts}`);
      for (const [part, items] of Object.entries(answer.failed)) say(`could not undo ${part}: ${items.join(", ")}`);
    });
}
