// How the CLI speaks: data on stdout, everything else on stderr behind "devsecrets:".
// Rule: the only renderer of errors; a value is printed only where the user asked for it.

import { DevsecretsError } from "../common/errors.js";
import type { Notice } from "../daemon/protocol/messages.js";

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
  return new DevsecretsError("DS_INTERNAL", `unexpected failure (${(error as Error)?.name ?? typeof error})`, {
    cause: error,
  });
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
