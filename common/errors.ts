// The one error type of devsecrets: data (code, message, hint) until an edge renders it.
// Rule: a message names files, lines, variables and references, never a secret value.

import { ERROR_CODES, isErrorCode, type ErrorBody, type ErrorCode } from "../daemon/protocol/error-codes.js";

/** a DS_ code a newer daemon sent that this build's table does not hold: passed through as sent, exit 1 */
export type PassedThroughCode = string & { readonly passedThrough: true };

export class DevsecretsError extends Error {
  readonly code: ErrorCode | PassedThroughCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DevsecretsError";
    this.code = code;
    this.hint = options.hint ?? ERROR_CODES[code].hint;
  }

  /** the daemon's failure under a code this client does not know (DESIGN "Client checks": passed through, never DS_INTERNAL) */
  static passedThrough(code: string, message: string, hint: string): DevsecretsError {
    const error = new DevsecretsError("DS_INTERNAL", message, { hint });
    (error as { code: string }).code = code;
    return error;
  }

  get status(): number {
    return isErrorCode(this.code) ? ERROR_CODES[this.code].status : 500;
  }

  get exitCode(): 1 | 2 | 130 {
    return isErrorCode(this.code) ? ERROR_CODES[this.code].exit : 1;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code as ErrorCode, message: this.message, hint: this.hint } };
  }
}

export function isDevsecretsError(value: unknown): value is DevsecretsError {
  return value instanceof DevsecretsError;
}
