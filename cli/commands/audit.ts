// `devsecrets audit tail` and `audit verify`: read the hash-chained audit trail the daemon appends to.
// Rule: entries hold actions and references, never values; verify names the first broken entry.

import { Command } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "../../common/paths.js";
import { verifyAuditFile } from "../../common/audit-verify.js";
import type { AuditEntry } from "../../common/audit-entry.js";
import { DevsecretsError } from "../../common/errors.js";
import { readString } from "../../common/environment.js";
import type { JsonOption } from "../context.js";
import { printJson, say } from "../output.js";

export function auditFile(env: NodeJS.ProcessEnv = process.env): string {
  return readString(env, "DEVSECRETS_AUDIT_FILE") ?? join(stateDir(env), "audit.jsonl");
}

function describe(entry: AuditEntry): string {
  const what = entry.variable ? `${entry.variable} <- ${entry.reference ?? ""}` : (entry.reference ?? "");
  const who = entry.pid ? ` pid ${entry.pid}${entry.exe ? ` (${entry.exe})` : ""}` : "";
  const detail = entry.detail
    ? ` ${Object.entries(entry.detail)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`
    : "";
  return `${entry.time}  #${entry.seq}  ${entry.action.padEnd(6)} ${entry.outcome.padEnd(6)} ${entry.session.slice(0, 8)}  ${what}${detail}${who}`;
}

export function auditCommand(): Command {
  const audit = new Command("audit").description(
    "read and verify the audit trail (what was served, minted, revoked; never values)",
  );
  audit
    .command("tail")
    .description("print the last entries of the audit trail")
    .option("-n, --lines <count>", "how many entries", "20")
    .option("--json", "print entries as JSON lines")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets audit tail
  $ devsecrets audit tail -n 100 --json | jq 'select(.action == "serve")'`,
    )
    .action((options: JsonOption & { lines: string }) => {
      const count = Number.parseInt(options.lines, 10);
      if (!Number.isInteger(count) || count < 1)
        throw new DevsecretsError("DS_USAGE", `-n must be a positive number, got "${options.lines.slice(0, 10)}"`);
      let text = "";
      try {
        text = readFileSync(auditFile(), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      const lines = text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .slice(-count);
      for (const line of lines) {
        if (options.json) process.stdout.write(`${line}\n`);
        else {
          try {
            process.stdout.write(`${describe(JSON.parse(line) as AuditEntry)}\n`);
          } catch {
            process.stdout.write(`(unreadable entry)\n`);
          }
        }
      }
    });
  audit
    .command("verify")
    .description("check the hash chain; name the first entry that was changed, removed or inserted")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets audit verify && echo intact`,
    )
    .action((options: JsonOption) => {
      const result = verifyAuditFile(auditFile());
      if (options.json) printJson(result);
      else if (result.ok) {
        const head = result.head === "absent" ? "; no head recorded yet (trails from before 0.2.0)" : "";
        say(`audit trail intact: ${result.entries} entries (${auditFile()})${head}`);
      } else {
        const b = result.broken!;
        say(`audit trail BROKEN at line ${b.line}${b.seq !== null ? ` (entry #${b.seq})` : ""}: ${b.reason}`);
        const where =
          result.head && result.head !== "reached" && result.head !== "absent"
            ? "the trail no longer reaches the head the daemon recorded"
            : `entries before line ${b.line} are intact`;
        say(`hint: ${where}; investigate who could write ${auditFile()}`);
      }
      if (!result.ok) process.exitCode = 1;
    });
  return audit;
}
