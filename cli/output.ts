// How the CLI speaks: data on stdout, everything else on stderr behind "devsecrets:".
// Rule: the only renderer of errors; a value is printed only where the user asked for it.

import { DevsecretsError } from "../common/errors.js";
import type { Notice } from "../daemon/protocol/messages.js";
import { permissionDenied } from "../daemon/client/permission-denied.js";

export function say(message: string): void {
  process.stderr.write(`devsecrets: ${message}\n`);
}

export function printNotices(notices: readonly Notice[]): void {
  for (const notice of notices) say(notice.message);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function asDevsecretsError(error: unknown): DevsecretsError {
  if (error instanceof DevsecretsError) return error;
  // node --permission (NODE_OPTIONS reaches the CLI too): the flags, not "unexpected failure"
  const denied = permissionDenied(error, cliFlags());
  if (denied) return new DevsecretsError("DS_PERMISSION", denied.message, { cause: error });
  return new DevsecretsError("DS_INTERNAL", `unexpected failure (${(error as Error)?.name ?? typeof error})`, {
    cause: error,
  });
}

/** what the CLI needs under node --permission: its state and the socket, the daemon's start; --allow-net where Node has it */
function cliFlags(): string {
  const net = process.allowedNodeEnvironmentFlags.has("--allow-net") ? ", --allow-net" : "";
  return `--allow-fs-read, --allow-fs-write (its state and runtime folders), --allow-child-process${net}`;
}

/** renders an error for a person (stderr) or a program (--json on stdout); returns the exit code */
export function renderError(error: unknown, json: boolean): number {
  const failure = asDevsecretsError(error);
  if (json) {
    printJson(failure.toBody());
  } else {
    say(`error ${failure.code}: ${failure.message}`);
    say(`hint: ${failure.hint}`);
  }
  return failure.exitCode;
}
