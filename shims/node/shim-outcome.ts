// What one resolve ends in for a preload: the answer, or a failure with the code, message and hint every shim says.
// Rule: plain data, never a throw, so the preload's bundle and its cold files (fetch-after-start.js) pass it freely.

import type { Failure, Outcome } from "../../daemon/client/answer.js";
import type { ResolveResponse } from "../../daemon/protocol/messages.js";

export type ShimFailure = Failure;

export type ShimOutcome = Outcome<ResolveResponse>;

/** anything else that went wrong in the shim itself */
export function internal(error: unknown): ShimFailure {
  return {
    code: "DS_INTERNAL",
    message: `the shim failed (${(error as Error)?.message ?? String(error)})`,
    hint: "report the issue with `devsecrets doctor` output",
  };
}
