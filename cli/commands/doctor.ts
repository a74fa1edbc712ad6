// `devsecrets doctor`: checks what a user would otherwise debug by hand: folders, socket, daemon, versions.
// Rule: prints findings and fixes, never a value; exit 1 when a check fails.

import { Command } from "commander";
import { lstatSync } from "node:fs";
import { dirname } from "node:path";
import { DaemonClient } from "../../daemon/client/client.js";
import { checkPrivateDir } from "../../common/private-dir.js";
import { logFile, socketPath } from "../../common/paths.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";
import type { DoctorResponse } from "../../daemon/protocol/messages.js";
import { asDevsecretsError } from "../output.js";
import { printJson } from "../output.js";
import { vaultCheck } from "../vault-doctor.js";
import { awsCheck, sopsChecks } from "../stores-doctor.js";
import type { JsonOption } from "../context.js";

// the daemon's keychain probe takes up to 4 s a call; a daemon started for the question needs its start-up too
const DOCTOR_TIMEOUT_MS = 20_000;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

/** the oldest Node devsecrets runs on (package.json engines): --disable-sigusr1 and --permission arrived in 22.14 */
export const OLDEST_NODE = "22.14.0";

/** doctor's node row: ok from OLDEST_NODE on, else the hint names it and how to get a newer Node beside the old one */
export function nodeCheck(version: string): Check {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  const [oldestMajor = 0, oldestMinor = 0] = OLDEST_NODE.split(".").map((part) => Number.parseInt(part, 10));
  return {
    name: "node",
    ok: major > oldestMajor || (major === oldestMajor && minor >= oldestMinor),
    detail: `Node.js ${version}`,
    hint: "devsecrets needs Node.js 22.14 or newer (24 or 26 recommended); npx -p node@24 node runs one without touching the system's",
  };
}

async function runChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  const socket = socketPath();
  checks.push(nodeCheck(process.versions.node));
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
    const failure = asDevsecretsError(error);
    // a refused socket (DESIGN "Client checks") is no "not running": nothing is sent there, nothing starts there
    checks.push(
      failure.code === "DS_SOCKET_UNSAFE"
        ? { name: "daemon", ok: false, detail: failure.message, hint: failure.hint }
        : { name: "daemon", ok: true, detail: `not running (${failure.code}); it starts on first use` },
    );
  }
  checks.push(...(await daemonChecks()));
  checks.push(await vaultCheck());
  checks.push(await awsCheck(), ...(await sopsChecks()));
  checks.push({ name: "log", ok: true, detail: logFile() });
  return checks;
}

/**
 * what `login --store auto` would meet, as the daemon sees it: the daemon chooses the store in its own environment
 * (its D-Bus address), so it is asked (and started, as the next command would start it) rather than a probe run here
 */
async function daemonChecks(): Promise<Check[]> {
  let answer: DoctorResponse;
  try {
    answer = await new DaemonClient({ timeoutMs: DOCTOR_TIMEOUT_MS }).doctor();
  } catch (error) {
    const failure = asDevsecretsError(error);
    if (failure.code === "DS_DAEMON_UNREACHABLE")
      return [
        {
          name: "keychain",
          ok: true,
          detail: "not checked: no daemon answers and autostart is off (the daemon probes the keychain itself)",
        },
      ];
    return [{ name: "keychain", ok: false, detail: `the keychain probe failed (${failure.code})`, hint: failure.hint }];
  }
  return [keychainCheck(answer.keychain), ...revocationChecks(answer.pendingRevocations ?? [])];
}

/** what the journal still has to undo; an abandoned item fails the check: something outlived its session */
function revocationChecks(pending: NonNullable<DoctorResponse["pendingRevocations"]>): Check[] {
  if (pending.length === 0) return [{ name: "revocations", ok: true, detail: "nothing left to undo" }];
  return pending.map((p) => ({
    name: "revocations",
    ok: !p.abandoned,
    detail: p.abandoned
      ? `${p.kind} ${p.id} could not be undone after ${p.attempts} tries; it was given up`
      : `${p.kind} ${p.id} is retried in the background (${p.attempts} failed tries so far)`,
    hint: "see the daemon log for why; remove it by hand where it lives (a PostgreSQL role: DROP ROLE)",
  }));
}

function keychainCheck(keychain: DoctorResponse["keychain"]): Check {
  if (keychain.probe === "ok")
    return {
      name: "keychain",
      ok: true,
      detail: "Secret Service answers and is unlocked; login --store auto uses the keychain",
    };
  if (keychain.probe === "locked") {
    return {
      name: "keychain",
      ok: false,
      detail: "Secret Service answers but the collection is locked; login --store auto fails with DS_KEYCHAIN_LOCKED",
      hint: "unlock your keyring (or log in to the desktop), or use `devsecrets login --store file`",
    };
  }
  const bus = keychain.bus
    ? `the daemon's DBUS_SESSION_BUS_ADDRESS=${keychain.bus}`
    : "the daemon's DBUS_SESSION_BUS_ADDRESS is not set";
  return {
    name: "keychain",
    ok: true,
    detail: `no Secret Service answered within ${keychain.timeoutMs / 1000} s (${bus}); login --store auto keeps the session in memory, use --store file to keep it across restarts`,
  };
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
