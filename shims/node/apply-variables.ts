// Puts a resolve answer into process.env and says, on stderr, what the user should know.
// Rule: names only on stderr, never values; a variable the caller set stays unless override was asked.

import type { ResolveResponse } from "../../daemon/protocol/messages.js";
import { clientText } from "../../daemon/client/client-environment.js";
import type { ShimFailure } from "./shim-outcome.js";

type Env = Record<string, string | undefined>;

/** names a parent's shim already put in the environment: its children need not call them "kept" */
export const LOADED_MARKER = "DEVSECRETS_LOADED";

export function say(message: string): void {
  process.stderr.write(`devsecrets: ${message}\n`);
}

export function sayError(error: ShimFailure): void {
  say(`error ${error.code}: ${error.message}`);
  if (error.hint) say(`hint: ${error.hint}`);
}

export function applyVariables(env: Env, answer: ResolveResponse): void {
  for (const notice of answer.notices ?? []) say(notice.message);
  const inherited = new Set((clientText(env, LOADED_MARKER) ?? "").split(",").filter(Boolean));
  const kept = (answer.kept ?? []).filter((name) => !inherited.has(name));
  if (kept.length > 0)
    say(`kept from your environment: ${kept.join(", ")} (DEVSECRETS_OVERRIDE=1 to use the project's)`);
  for (const [name, value] of Object.entries(answer.variables)) env[name] = value;
  env[LOADED_MARKER] = [...new Set([...inherited, ...Object.keys(answer.variables), ...(answer.kept ?? [])])].join(",");
}
