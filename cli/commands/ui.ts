// `devsecrets ui [--port N] [--no-open] [--stop]`: the daemon serves the dashboard on 127.0.0.1 and this prints its
// address with a one-time token (60 s, single use), opening the browser when stdout is a terminal.
// Rule: the address is printed on stdout only; the page never receives a value.

import { spawn } from "node:child_process";
import { Command, Option } from "commander";
import { DevsecretsError } from "../../common/errors.js";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { withVariable } from "../options.js";

interface UiOptions extends JsonOption {
  port?: string;
  open?: boolean;
  stop?: boolean;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new DevsecretsError("DS_USAGE", "--port must be a number from 0 to 65535");
  return port;
}

export function uiCommand(): Command {
  return new Command("ui")
    .description("open the local dashboard: the session, projects, leases and the audit trail, live (never values)")
    .addOption(
      withVariable(new Option("--port <port>", "the loopback port (default: a free one)"), "DEVSECRETS_UI_PORT"),
    )
    .addOption(
      withVariable(new Option("--no-open", "print the address without opening a browser"), "DEVSECRETS_UI_NO_OPEN"),
    )
    .option("--stop", "stop serving the dashboard")
    .option("--json", "print JSON ({url, port, tokenExpiresAt} or {closed})")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets ui                 # prints http://127.0.0.1:41234/?token=… and opens it
  $ devsecrets ui --stop`,
    )
    .action(async (options: UiOptions) => {
      const client = daemonClient();
      if (options.stop) {
        const answer = await client.uiClose();
        if (options.json) return printJson(answer);
        return say(answer.closed ? "the dashboard is closed" : "the dashboard was not open");
      }
      const port = parsePort(options.port);
      const opened = await client.uiOpen(port === undefined ? {} : { port });
      if (options.json) printJson(opened);
      else process.stdout.write(`${opened.url}\n`);
      if (options.open !== false && process.stdout.isTTY) openBrowser(opened.url);
      if (!options.json) say("the address works once, within 60 seconds; the page closes at logout or the idle lock");
    });
}

/** xdg-open or open, detached; silent when neither exists (the address is printed) */
function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : "xdg-open";
  try {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // no opener: the printed address is enough
  }
}
