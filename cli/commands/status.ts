// `devsecrets status`: the daemon and the session at a glance; never values.
// Rule: counts and times only.

import { Command } from "commander";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson } from "../output.js";
import type { StatusResponse } from "../../daemon/protocol/messages.js";
import { formatDuration } from "../../common/durations.js";

export function statusCommand(): Command {
  return new Command("status")
    .description("show the daemon, the session and what it handed out (counts, never values)")
    .option("--json", "print the status as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets status --json | jq .session`,
    )
    .action(async (options: JsonOption) => {
      const status = await daemonClient().status();
      if (options.json) return printJson(status);
      const s = status.session;
      const lines = [
        `daemon   ${status.version}, pid ${status.pid}, up ${status.uptimeSeconds}s`,
        `socket   ${status.socket}`,
        `user     ${status.user}`,
        `session  ${s.kind === "anonymous" ? "none (embedded default: sandbox:// and env:// only)" : `${s.env}, ${s.store} store`}`,
        ...(status.lockedSession
          ? [`locked   the file session ${status.lockedSession.id} (\`devsecrets login\` asks its passphrase once)`]
          : []),
        ...(s.expiresInSeconds !== null ? [`expires  in ${formatDuration(s.expiresInSeconds)} (${s.expiresAt})`] : []),
        ...(s.idleInSeconds !== null ? [`idle     locks in ${formatDuration(s.idleInSeconds)} without use`] : []),
        `served   ${s.counts.valuesServed} values, ${s.counts.sandboxTokens} sandbox tokens, ${s.counts.leases} leases`,
        ...describePending(status.pendingRevocations ?? []),
        ...(status.services
          ? [`services ${status.services} running (\`devsecrets sandbox services\` lists them)`]
          : []),
        `log      ${status.logFile}`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

/** one line when anything waits to be undone: how many, how many given up (each named, so the user can act) */
function describePending(pending: NonNullable<StatusResponse["pendingRevocations"]>): string[] {
  if (pending.length === 0) return [];
  const abandoned = pending.filter((p) => p.abandoned);
  const retrying = pending.length - abandoned.length;
  const lines = [`undo     ${retrying} retrying in the background, ${abandoned.length} abandoned`];
  for (const p of abandoned)
    lines.push(`         abandoned: ${p.kind} ${p.id} after ${p.attempts} tries (see the log)`);
  return lines;
}
