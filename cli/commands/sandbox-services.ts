// `devsecrets sandbox services [--json]` and `sandbox services pause SERVICE --for D`: the sandbox services the daemon
// runs (redis-server, PostgreSQL) and the outage drill.
// Rule: prints names, ports, pids and times, never a password (the URLs are the proxies', without credentials).

import { Command } from "commander";
import { parseDuration } from "../../common/durations.js";
import type { SandboxServiceInfo } from "../../daemon/protocol/service-messages.js";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson } from "../output.js";

function memory(bytes: number | null): string {
  return bytes === null ? "-" : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function row(info: SandboxServiceInfo): string[] {
  return [
    info.kind,
    info.url,
    String(info.pid),
    info.since,
    memory(info.rssBytes),
    info.pausedUntil ? `paused until ${info.pausedUntil}` : "serving",
  ];
}

/** `devsecrets sandbox rotate [NAME...] [--grace 30s]`: the rotation drill */
export function sandboxRotateCommand(): Command {
  return new Command("rotate")
    .description(
      "new sandbox values for the project's variables (all sandbox:// ones without names); old ones are refused after the grace where the service can",
    )
    .argument("[names...]", "variables to rotate (default: every sandbox:// variable)")
    .option("--grace <duration>", "how long old values keep working in their service, e.g. 30s, 0s (default 30s)")
    .option("--json", "print {rotated: [{name, reference}]}")
    .addHelpText(
      "after",
      `
Apps started with a shim re-resolve on the rotate event; a client that kept an old value is refused after the
grace by redis/server (WRONGPASS), PostgreSQL (NOLOGIN) and aws/endpoint (moto's 403); stripe-mock enforces no key.

Example:
  $ devsecrets sandbox rotate AWS_ACCESS_KEY_ID --grace 1s`,
    )
    .action(async (names: string[], options: JsonOption & { grace?: string }) => {
      const graceSeconds = parseDuration(options.grace ?? "30s", "--grace", { min: 0, max: 86400 });
      const answer = await daemonClient().rotate({
        cwd: process.cwd(),
        ...(names.length > 0 ? { names } : {}),
        graceSeconds,
      });
      if (options.json) return printJson(answer);
      for (const item of answer.rotated) process.stdout.write(`rotated ${item.name} (${item.reference})\n`);
      if (answer.rotated.length === 0)
        process.stdout.write("nothing to rotate: the project has no sandbox:// variable\n");
      else
        process.stdout.write(
          `old values are refused after ${graceSeconds}s where the service can (redis/server, postgres/database, postgres/role, aws/access-key and aws/session with aws/endpoint)\n`,
        );
    });
}

export function sandboxServicesCommand(): Command {
  const services = new Command("services")
    .description("list the sandbox services the daemon runs (kind, URL, pid, since, memory)")
    .option("--json", "print {services: [...]}")
    .addHelpText(
      "after",
      `
A service starts on the first resolve that needs it (sandbox://redis/server, sandbox://postgres/database)
and stops at logout or daemon stop.

Examples:
  $ devsecrets sandbox services
  $ devsecrets sandbox services pause redis --for 10s`,
    )
    .action(async (options: JsonOption) => {
      const answer = await daemonClient().services();
      if (options.json) return printJson(answer);
      if (answer.services.length === 0) {
        process.stdout.write("no sandbox service is running (one starts on the first resolve that needs it)\n");
        return;
      }
      const rows = [["KIND", "URL", "PID", "SINCE", "MEMORY", "STATE"], ...answer.services.map(row)];
      const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
      for (const r of rows)
        process.stdout.write(
          `${r
            .map((cell, i) => cell.padEnd(widths[i] ?? 0))
            .join("  ")
            .trimEnd()}\n`,
        );
    });
  services
    .command("pause")
    .description("an outage drill: the service's proxy refuses and resets every connection for a while")
    .argument("<service>", "redis or postgres (or its kind, redis/server)")
    .requiredOption("--for <duration>", "how long, e.g. 10s (at most 1h)")
    .option("--json", "print {service, pausedUntil}")
    .action(async (service: string, options: JsonOption & { for: string }) => {
      const seconds = parseDuration(options.for, "--for", { min: 1, max: 3600 });
      const paused = await daemonClient().pauseService({ service, seconds });
      if (options.json) return printJson(paused);
      process.stdout.write(
        `paused ${paused.service} until ${paused.pausedUntil}: its connections are refused and reset, then it serves again\n`,
      );
    });
  return services;
}
