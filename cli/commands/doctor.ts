// `devsecrets doctor`: checks what a user would otherwise debug by hand: folders, socket, daemon, versions.
// Rule: prints findings and fixes, never a value; exit 1 when a check fails.

import { Command } from "commander";
import { lstatSync } from "node:fs";
import { dirname } from "node:path";
import { DaemonClient } from "../../daemon/client/client.js";
import { checkPrivateDir } from "../../common/private-dir.js";
import { logFile, socketPath } from "../../common/paths.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";
import { KeychainStore } from "../../daemon/session/stores/keychain-store.js";
import { asDevsecretsError } from "../output.js";
import { printJson } from "../output.js";
import { vaultCheck } from "../vault-doctor.js";
import type { JsonOption } from "../context.js";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

async function runChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  const socket = socketPath();
  const major = Number.parseInt(process.versions.node.split(".")[0] ?? "0", 10);
  checks.push({
    name: "node",
    ok: major >= 20,
    detail: `Node.js ${process.versions.node}`,
    hint: "devsecrets needs Node.js 20.19 or newer",
  });
  try {
    checkPrivateDir(dirname(socket), "socket folder");
    checks.push({ name: "socket folder", ok: true, detail: `${dirname(socket)} is private (0700, yours)` });
  } catch (error) {
    const failure = asDevsecretsError(error);
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    checks.push(
      missing
        ? { name: "socket folder", ok: true, detail: `${dirname(socket)} does not exist yet (made on first start)` }
        : { name: "socket folder", ok: false, detail: failure.message, hint: failure.hint },
    );
  }
  try {
    const mode = lstatSync(socket).mode & 0o777;
    checks.push({
      name: "socket",
      ok: mode === 0o600,
      detail: `${socket} mode ${mode.toString(8)}`,
      hint: "stop the daemon; it recreates the socket 0600",
    });
  } catch {
    checks.push({ name: "socket", ok: true, detail: `${socket} absent (no daemon running)` });
  }
  try {
    const health = await new DaemonClient({ autostart: false, timeoutMs: 3_000 }).health();
    checks.push({
      name: "daemon",
      ok: health.version === PACKAGE_VERSION,
      detail: `pid ${health.pid}, version ${health.version} (this CLI ${PACKAGE_VERSION})`,
      hint: "run `devsecrets daemon stop`; the next command starts the matching version",
    });
  } catch (error) {
    checks.push({
      name: "daemon",
      ok: true,
      detail: `not running (${asDevsecretsError(error).code}); it starts on first use`,
    });
  }
  checks.push(await keychainCheck());
  checks.push(await vaultCheck());
  checks.push({ name: "log", ok: true, detail: logFile() });
  return checks;
}

// bounded: doctor must answer even when a bus accepts calls and never replies (the helper is killed at the bound);
// below login's 5 s, above what a helper's start-up and three calls take on a busy machine
const KEYCHAIN_PROBE_MS = 4_000;

/** what `login --store auto` would meet: a Secret Service that answers, one that is locked, or none */
async function keychainCheck(): Promise<Check> {
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
  const store = new KeychainStore({ timeoutMs: KEYCHAIN_PROBE_MS });
  try {
    const answer = await store.probe();
    if (answer === "ok")
      return {
        name: "keychain",
        ok: true,
        detail: "Secret Service answers and is unlocked; login --store auto uses the keychain",
      };
    if (answer === "locked") {
      return {
        name: "keychain",
        ok: false,
        detail: "Secret Service answers but the collection is locked; login --store auto fails with DS_KEYCHAIN_LOCKED",
        hint: "unlock your keyring (or log in to the desktop), or use `devsecrets login --store file`",
      };
    }
    return {
      name: "keychain",
      ok: true,
      detail: `no Secret Service answered within ${KEYCHAIN_PROBE_MS / 1000} s (${bus ? `DBUS_SESSION_BUS_ADDRESS=${bus}` : "DBUS_SESSION_BUS_ADDRESS is not set"}); login --store auto keeps the session in memory, use --store file to keep it across restarts`,
    };
  } catch (error) {
    const failure = asDevsecretsError(error);
    return { name: "keychain", ok: false, detail: `the keychain probe failed (${failure.code})`, hint: failure.hint };
  } finally {
    await store.close();
  }
}

export function doctorCommand(): Command {
  return new Command("doctor")
    .description("check the socket, its permissions, the daemon and versions, and say how to fix what is wrong")
    .option("--json", "print the checks as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets doctor`,
    )
    .action(async (options: JsonOption) => {
      const checks = await runChecks();
      if (options.json) printJson({ ok: checks.every((c) => c.ok), checks });
      else {
        for (const c of checks) {
          process.stdout.write(`${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(13)} ${c.detail}\n`);
          if (!c.ok && c.hint) process.stdout.write(`      ${"".padEnd(13)} fix: ${c.hint}\n`);
        }
      }
      if (!checks.every((c) => c.ok)) process.exitCode = 1;
    });
}
