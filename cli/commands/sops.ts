// `devsecrets sops key generate|import|show-recipient`: the age identity sops:// decrypts with, kept by the daemon in
// the session's store (the OS keychain when there is one).
// Rule: an imported identity comes from stdin or a no-echo prompt, never argv; only the recipient is ever printed.

import { Command } from "commander";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { readValue } from "../read-value.js";

function printRecipient(options: JsonOption, recipient: string, what: string): void {
  if (options.json) return printJson({ recipient });
  say(what);
  process.stdout.write(`${recipient}\n`);
}

export function sopsCommand(): Command {
  const key = new Command("key").description("the age identity that sops:// decrypts with");
  key
    .command("generate")
    .description("generate an age identity and keep it in the session's store; prints its recipient")
    .option("--force", "replace the identity already kept")
    .option("--json", "print {recipient} as JSON")
    .action(async (options: JsonOption & { force?: boolean }) => {
      const answer = await daemonClient().sopsKey({ action: "generate", replace: Boolean(options.force) });
      printRecipient(options, answer.recipient, "kept a new age identity; add this recipient to .sops.yaml:");
    });
  key
    .command("import")
    .description("keep an existing age identity (AGE-SECRET-KEY-1..., from stdin or typed without echo)")
    .option("--force", "replace the identity already kept")
    .option("--json", "print {recipient} as JSON")
    .action(async (options: JsonOption & { force?: boolean }) => {
      const text = await readValue("the age identity");
      // an age key file has comment lines; the identity is the line that is not one
      const identity = text.split(/\r?\n/).find((line) => line.startsWith("AGE-SECRET-KEY-")) ?? text.trim();
      const answer = await daemonClient().sopsKey({ action: "import", identity, replace: Boolean(options.force) });
      printRecipient(options, answer.recipient, "kept the age identity; its recipient:");
    });
  key
    .command("show-recipient")
    .description("print the recipient (age1...) of the kept identity")
    .option("--json", "print {recipient} as JSON")
    .action(async (options: JsonOption) => {
      const answer = await daemonClient().sopsKey({ action: "show" });
      if (options.json) return printJson(answer);
      process.stdout.write(`${answer.recipient}\n`);
    });
  return new Command("sops")
    .description("sops:// files: the age identity devsecrets decrypts them with")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets sops key generate             # prints the recipient to add to .sops.yaml
  $ devsecrets sops key import < ~/.config/sops/age/keys.txt && rm ~/.config/sops/age/keys.txt
  $ devsecrets sops key show-recipient`,
    )
    .addCommand(key);
}
