// `devsecrets trust [--yes|--revoke|--list]`: shows what a project asks for (credential references, variables that
// change how programs run, settings that route credentials) and records the user's decision in the daemon.
// Rule: the daemon is the only writer of trust.json; a trust quotes the digest the user saw, asked y/N on a terminal.

import { Command } from "commander";
import { DevsecretsError } from "../../common/errors.js";
import type { TrustShowResponse } from "../../daemon/protocol/trust-messages.js";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { canAsk, confirm } from "../prompt/confirm.js";

interface TrustOptions extends JsonOption {
  yes?: boolean;
  revoke?: boolean;
  list?: boolean;
}

const REASONS: Record<TrustShowResponse["reason"], string> = {
  "trust-all": "trusted: DEVSECRETS_TRUST_ALL is set in the daemon's environment",
  "nothing-to-trust": "nothing to trust: literals, sandbox:// and env:// only",
  trusted: "trusted",
  "never-trusted": "not trusted",
  changed: "not trusted since it changed",
};

/** the listing, on stdout: it is the data the user decides on */
function printListing(show: TrustShowResponse): void {
  const lines = [`project ${show.root}`, `  state: ${REASONS[show.reason]}`];
  const origin = show.origin ? `git origin ${show.origin}` : "no git origin: the id comes from the path";
  const items =
    show.keychainItems === null
      ? "log in to see whether its keychain items already hold values"
      : `${show.keychainItems} of the keychain items it references already hold a value under this id`;
  lines.push(`  project id ${show.projectId} (${origin}); ${items}`);
  if (show.items.length > 0) lines.push("  it asks for:");
  for (const item of show.items) {
    const where = item.line > 0 ? `${item.file}:${item.line}` : item.file;
    const text = item.text.length > 100 ? `${item.text.slice(0, 99)}…` : item.text;
    lines.push(`    ${item.trusted ? " " : "+"} ${where} ${item.name}=${text}`, `        ${item.why}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function trustCommand(): Command {
  return (
    new Command("trust")
      .description(
        "show what this project asks for (credentials, settings, variables that change how programs run) and trust it",
      )
      // no DEVSECRETS_* variables on purpose: a variable that says yes would be a trust-all in disguise
      .option("--yes", "trust without asking (for scripts; read the listing first)")
      .option("--revoke", "forget this project's trust")
      .option("--list", "list the projects you trusted")
      .option("--json", "print the listing (only shown, unless --yes) or the result as JSON")
      .addHelpText(
        "after",
        `
Examples:
  $ devsecrets trust              # shows the listing, asks y/N
  $ devsecrets trust --list
  $ devsecrets trust --revoke

Until trusted, a project gets literals, sandbox:// and env://; vault:// gets sandbox stand-ins, keychain:// is
refused, and variables such as NODE_OPTIONS or LD_PRELOAD are withheld. Set DEVSECRETS_TRUST_ALL=1 in CI.`,
      )
      .action(async (options: TrustOptions) => {
        const client = daemonClient();
        const cwd = process.cwd();
        if (options.list) {
          const list = await client.trustList();
          if (options.json) return printJson(list);
          if (list.trustAll) say("DEVSECRETS_TRUST_ALL is set in the daemon's environment: every project is trusted");
          for (const p of list.projects)
            process.stdout.write(`${p.root}  id ${p.projectId}  trusted ${p.trustedAt}  (${p.items} items)\n`);
          if (list.projects.length === 0) say("no project is trusted yet");
          return;
        }
        if (options.revoke) {
          const answer = await client.trustRevoke({ cwd });
          if (options.json) return printJson(answer);
          return say(answer.revoked ? `${answer.root}: trust revoked` : `${answer.root} was not trusted`);
        }
        const show = await client.trustShow({ cwd });
        // --json without --yes only shows: a program reads the listing, then decides with --yes
        if (show.trusted || (options.json && !options.yes)) return options.json ? printJson(show) : printListing(show);
        if (!options.json) printListing(show);
        if (!options.yes) {
          if (!canAsk())
            throw new DevsecretsError("DS_USAGE", `${show.root} is not trusted and there is no terminal to ask on`, {
              hint: "read the listing (devsecrets trust --json), then run `devsecrets trust --yes`",
            });
          if (!(await confirm(`trust ${show.root} with what is marked +?`)))
            throw new DevsecretsError("DS_CANCELLED", `${show.root} was not trusted`);
        }
        const trusted = await client.trust({ cwd, digest: show.digest });
        if (options.json) return printJson(trusted);
        say(`${trusted.root}: trusted`);
      })
  );
}
