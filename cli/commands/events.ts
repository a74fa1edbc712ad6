// `devsecrets events [--json]`: the daemon's events as they happen (rotate, wipe, expiring, resolve-failed, audit),
// for scripts and tools that watch without the dashboard.
// Rule: prints what the daemon sends, names and codes only; watching never counts as activity (no idle reset).

import { Command, Option } from "commander";
import { daemonClient } from "../context.js";
import { say } from "../output.js";
import { withVariable } from "../options.js";
import { subscribeEvents } from "../../daemon/client/event-subscription.js";
import type { EventLine } from "../../daemon/protocol/events.js";

interface EventsOptions {
  json?: boolean;
}

export function eventsCommand(): Command {
  return new Command("events")
    .description("print the daemon's events as they happen: rotations, wipes, expiry warnings, failed resolves, audit")
    .addOption(
      withVariable(new Option("--json", 'one JSON line an event: {"event","time","data"}'), "DEVSECRETS_EVENTS_JSON"),
    )
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets events --json | jq -c 'select(.event == "rotate")'`,
    )
    .action(async (options: EventsOptions) => {
      const client = daemonClient();
      // the socket's checks (folder, peer uid) and autostart, before the stream opens
      await client.health();
      await new Promise<void>((resolve) => {
        // the subscription's socket is unref'd (it serves the preloads too): this keeps the command alive
        const keepAlive = setInterval(() => {}, 1 << 30);
        subscribeEvents(client.socket, {
          onEvent: ({ event, data }) => process.stdout.write(`${formatEvent(event, data, options.json === true)}\n`),
          onEnd: () => {
            clearInterval(keepAlive);
            say("the daemon ended the event stream");
            resolve();
          },
        });
      });
    });
}

function formatEvent(event: string, raw: unknown, json: boolean): string {
  const { time, ...data } = (raw ?? {}) as Record<string, unknown> & { time?: string };
  const at = typeof time === "string" ? time : new Date().toISOString();
  if (json) return JSON.stringify({ event, time: at, data } satisfies EventLine);
  return `${at}  ${event.padEnd(14)}  ${summary(event, data)}`;
}

function summary(event: string, data: Record<string, unknown>): string {
  switch (event) {
    case "rotate":
      return `${(data.names as string[] | undefined)?.join(", ") ?? ""} (${(data.references as string[] | undefined)?.join(", ") ?? ""})`;
    case "wipe":
      return `reason ${String(data.reason)}`;
    case "expiring":
      return `${String(data.what)} ends in ${String(data.inSeconds)}s (${String(data.at)})`;
    case "resolve-failed":
      return `${String(data.code)} in ${String(data.root ?? data.cwd)}: ${String(data.message)}`;
    case "audit":
      return ((data.entries ?? []) as Record<string, unknown>[])
        .map(
          (e) =>
            `#${String(e.seq)} ${String(e.action)} ${String(e.variable ?? e.reference ?? "")} ${String(e.outcome)}`,
        )
        .join("; ");
    default:
      return JSON.stringify(data);
  }
}
