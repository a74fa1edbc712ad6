// `devsecrets daemon start|stop|restart|status`: the background process by hand (it also starts on first use).
// Rule: stop always wipes first; start --foreground keeps it attached with its log on stderr.

import { Command } from "commander";
import { spawn } from "node:child_process";
import { DaemonClient, describeRestart } from "../../daemon/client/client.js";
import { daemonEntry, daemonEnvironment } from "../../daemon/client/autostart.js";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";
import { DevsecretsError } from "../../common/errors.js";
import type { JsonOption } from "../context.js";
import { printJson, say } from "../output.js";

function client(): DaemonClient {
  return new DaemonClient({ env: process.env, autostart: false });
}

async function startForeground(): Promise<number> {
  const child = spawn(process.execPath, [...DAEMON_START_FLAGS, daemonEntry(), "--foreground"], {
    stdio: "inherit",
    env: daemonEnvironment(process.env),
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

export function daemonCommand(): Command {
  const daemon = new Command("daemon").description("start, stop or inspect the background daemon");
  daemon
    .command("start")
    .description("start the daemon (it also starts by itself on first use)")
    .option("--foreground", "stay attached and log to stderr")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets daemon start
  $ devsecrets daemon start --foreground    # see what it does; Ctrl-C stops and wipes`,
    )
    .action(async (options: { foreground?: boolean }) => {
      if (options.foreground) {
        process.exitCode = await startForeground();
        return;
      }
      const c = client();
      try {
        const health = await c.health();
        say(`already running (pid ${health.pid}, version ${health.version}) on ${c.socket}`);
        return;
      } catch (error) {
        if (!(error instanceof DevsecretsError) || error.code !== "DS_DAEMON_UNREACHABLE") throw error;
      }
      await c.startDaemon();
      const health = await c.health();
      say(`started (pid ${health.pid}) on ${c.socket}`);
    });
  daemon
    .command("stop")
    .description("wipe everything the session handed out and stop the daemon")
    .option("--json", "print what was wiped as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets daemon stop`,
    )
    .action(async (options: JsonOption) => {
      const result = await client().stop();
      if (options.json) return printJson(result ?? { stopping: false });
      if (!result) return say("no daemon was running");
      const parts = Object.entries(result.wiped)
        .map(([part, n]) => `${n} ${part}`)
        .join(", ");
      say(`stopped; wiped ${parts || "nothing"}`);
    });
  daemon
    .command("restart")
    .description("stop the daemon with a wipe and start this version (a keychain or file session resumes)")
    .option("--json", "print what was wiped as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets daemon restart    # after an upgrade, or to pick up a changed environment`,
    )
    .action(async (options: JsonOption) => {
      const c = client();
      const restarted = await c.restart();
      const health = await c.health();
      if (options.json) return printJson({ ...restarted, pid: health.pid });
      say(`${describeRestart(restarted)} (pid ${health.pid})`);
    });
  daemon
    .command("status")
    .description("say whether the daemon runs, its pid and version (exit 1 when it does not)")
    .option("--json", "print it as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets daemon status || devsecrets daemon start`,
    )
    .action(async (options: JsonOption) => {
      const c = client();
      const health = await c.health();
      if (options.json) return printJson({ running: true, pid: health.pid, version: health.version, socket: c.socket });
      process.stdout.write(`running: pid ${health.pid}, version ${health.version}, socket ${c.socket}\n`);
    });
  return daemon;
}
