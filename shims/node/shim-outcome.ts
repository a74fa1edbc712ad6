// What one resolve ends in for a preload: the answer, or a failure with the code, message and hint every shim says.
// Rule: plain data, never a throw, so the preload's bundle and its cold files (fetch-after-start.js) pass it freely.

import type { Failure, Outcome } from "../../daemon/client/answer.js";
import type { ResolveResponse } from "../../daemon/protocol/messages.js";
import { permissionDenied } from "../../daemon/client/permission-denied.js";

export type ShimFailure = Failure;

export type ShimOutcome = Outcome<ResolveResponse>;

/** what went wrong in the shim itself: a refusal of Node's permission model (DS_PERMISSION), else DS_INTERNAL */
export function internal(error: unknown): ShimFailure {
  const denied = permissionDenied(error);
  if (denied) return denied;
  return {
    code: "DS_INTERNAL",
    message: `the shim failed (${(error as Error)?.message ?? String(error)})`,
    hint: "report the issue with `devsecrets doctor` output",
  };
}
