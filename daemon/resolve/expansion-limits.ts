// The bounds every value a resolver answers lives within: what execve accepts for one variable, 1 MiB for a project,
// and no NUL byte (no environment can carry one). Rule: errors name the variable and file:line, never a value.

import { DevsecretsError } from "../../common/errors.js";

/** Linux's MAX_ARG_STRLEN: one "NAME=value\0" string of a child's environment may take at most 32 pages */
export const MAX_ARG_STRLEN = 128 * 1024;
/** every answered "NAME=value\0" of one request together */
export const PROJECT_LIMIT_BYTES = 1024 * 1024;

/** the most bytes NAME's value may take so that "NAME=value\0" still fits what execve accepts */
export function valueLimit(name: string): number {
  return MAX_ARG_STRLEN - Buffer.byteLength(name) - 2;
}

export function valueTooLong(name: string, where: string): DevsecretsError {
  return new DevsecretsError(
    "DS_EXPANSION_LIMIT",
    `${where}: ${name} expands to more than ${valueLimit(name)} bytes, the most a child's environment accepts for it`,
  );
}

export function projectTooLarge(name: string, where: string): DevsecretsError {
  return new DevsecretsError(
    "DS_EXPANSION_LIMIT",
    `${where}: the project's values pass ${PROJECT_LIMIT_BYTES / 1024 / 1024} MiB together at ${name}`,
  );
}

export function nulInValue(name: string, where: string): DevsecretsError {
  return new DevsecretsError("DS_VALUE_INVALID", `${where}: the value of ${name} holds a NUL byte`);
}

/** measures answered values one by one: each within its own limit, all of them together within the project's */
export class ValueBudget {
  #total = 0;

  /** throws DS_EXPANSION_LIMIT or DS_VALUE_INVALID; `where` is the variable's file:line */
  measure(name: string, value: string, where: string): void {
    const bytes = Buffer.byteLength(value);
    if (bytes > valueLimit(name)) throw valueTooLong(name, where);
    if (value.includes("\0")) throw nulInValue(name, where);
    this.#total += bytes + Buffer.byteLength(name) + 2;
    if (this.#total > PROJECT_LIMIT_BYTES) throw projectTooLarge(name, where);
  }
}
