// Mint contexts for sandbox tests, on the daemon's real MemorySandboxSession (no fake needed).
// Rule: tests reveal values only to check them; nothing here prints a value.

import type { JWTPayload } from "jose";
import { mintKind } from "../../daemon/sandbox/mint.js";
import type { MintContext } from "../../daemon/sandbox/sandbox-kind.js";
import { MemorySandboxSession } from "../../daemon/sandbox/sandbox-session.js";

export interface TestContext extends MintContext {
  session: MemorySandboxSession;
}

export function mintContext(
  options: { session?: MemorySandboxSession; claims?: JWTPayload; now?: Date } = {},
): TestContext {
  const context: TestContext = {
    session: options.session ?? new MemorySandboxSession(),
    now: () => options.now ?? new Date(),
  };
  if (options.claims !== undefined) context.claims = options.claims as Record<string, unknown>;
  return context;
}

/** the revealed value of a one-field kind */
export async function mintValue(
  kind: string,
  context: MintContext = mintContext(),
  query: Record<string, string> = {},
): Promise<string> {
  const { minted } = await mintKind(kind, query, context);
  if (!("value" in minted)) throw new Error(`${kind} is a multi-field kind`);
  return minted.value.reveal();
}

/** the revealed fields of a multi-field kind */
export async function mintFields(
  kind: string,
  context: MintContext = mintContext(),
  query: Record<string, string> = {},
): Promise<Record<string, string>> {
  const { minted } = await mintKind(kind, query, context);
  if (!("fields" in minted)) throw new Error(`${kind} is a one-field kind`);
  return Object.fromEntries(Object.entries(minted.fields).map(([name, secret]) => [name, secret.reveal()]));
}
