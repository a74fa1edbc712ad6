// The one error type of devsecrets: data (code, message, hint) until an edge renders it.
// Rule: a message names files, lines, variables and references, never a secret value.

import { ERROR_CODES, type ErrorBody, type ErrorCode } from "../daemon/protocol/error-codes.js";

export class DevsecretsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DevsecretsError";
    this.code = code;
    this.hint = options.hint ?? ERROR_CODES[code].hint;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get exitCode(): 1 | 2 | 130 {
    return ERROR_CODES[this.code].exit;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, hint: this.hint } };
  }
}

export function isDevsecretsError(value: unknown): value is DevsecretsError {
  return value instanceof DevsecretsError;
}
