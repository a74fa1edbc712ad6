// What one resolve ends in for a preload: the answer, or a failure with the code, message and hint every shim says.
// Rule: plain data, never a throw, so the preload's bundle and its cold files (fetch-after-start.js) pass it freely.

import type { Failure, Outcome } from "../../daemon/client/answer.js";
import type { ResolveResponse } from "../../daemon/protocol/messages.js";
import { permissionDenied } from "../../daemon/client/permission-denied.js";

export type ShimFailure = Failure;

export type ShimOutcome = Outcome<ResolveResponse>;

/**
 * a failure that carries its own DS_ code (DS_SOCKET_UNSAFE from the client's checks, a DevsecretsError from another
 * bundle) as it is; a refusal of Node's permission model as DS_PERMISSION; anything else that went wrong in the shim
 * itself as DS_INTERNAL
 */
export function internal(error: unknown): ShimFailure {
  const failure = error as { code?: unknown; message?: unknown; hint?: unknown } | null;
  if (typeof failure?.code === "string" && /^DS_[A-Z_]+$/.test(failure.code)) {
    return { code: failure.code, message: String(failure.message), hint: String(failure.hint ?? "") };
  }
  const denied = permissionDenied(error);
  if (denied) return denied;
  return {
    code: "DS_INTERNAL",
    message: `the shim failed (${(error as Error)?.message ?? String(error)})`,
    hint: "report the issue with `devsecrets doctor` output",
  };
}
