// The public JSON Web Key Set of one session: what an app under test verifies sandbox JWTs with.
// Rule: public keys only, and only of keys the session already made (reading it never creates one).

import type { JWK } from "jose";
import type { SandboxSession } from "./sandbox-kind.js";
import { existingKeyPairs } from "./jwt-keys.js";

export async function sessionJwks(session: SandboxSession): Promise<{ keys: JWK[] }> {
  return { keys: existingKeyPairs(session).map((pair) => ({ ...pair.publicJwk })) };
}
