// The age identity sops:// decrypts with: generated with node:crypto's X25519 (age-x25519.ts) or imported, kept in the session's
// store (OS keychain, file or memory) under account `sops/age-identity`, so it is in no file of the user's.
// Rule: the identity leaves the store only down the pipe to a sops process (sops-run.ts); answers carry the recipient.

import { generateIdentity, identityToRecipient } from "./age-x25519.js";
import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { SopsKeyRequest, SopsKeyResponse } from "../../protocol/sops-messages.js";
import type { SessionStore } from "../../session/session-store.js";

/** `<projectId>/<NAME>` of the store's accounts: this one is `sops/age-identity` */
const ACCOUNT = ["sops", "age-identity"] as const;
const IDENTITY = /^AGE-SECRET-KEY-1[023456789ACDEFGHJKLMNPQRSTUVWXYZ]{58}$/;

export interface SopsIdentityDeps {
  /** the logged-in session's store, or DS_SESSION_NONE / DS_SESSION_EXPIRED */
  store: (what: string) => SessionStore;
}

/** the kept identity, or null */
export function readIdentity(store: SessionStore): Promise<Secret | null> {
  return store.getValue(...ACCOUNT);
}

export async function sopsKey(request: SopsKeyRequest, deps: SopsIdentityDeps): Promise<SopsKeyResponse> {
  const store = deps.store("the sops age identity");
  const kept = await readIdentity(store);
  if (request.action === "show") {
    if (!kept)
      throw new DevsecretsError("DS_REF_NOT_FOUND", "no age identity is kept for sops://", {
        hint: "run `devsecrets sops key generate`, or `devsecrets sops key import < key.txt`",
      });
    return { recipient: await identityToRecipient(kept.reveal()) };
  }
  if (kept && !request.replace)
    throw new DevsecretsError("DS_KEYCHAIN_EXISTS", "an age identity for sops:// is already kept", {
      hint: "pass --force to replace it (files encrypted only to the old recipient can no longer be read)",
    });
  const identity = request.action === "generate" ? await generateIdentity() : (request.identity ?? "").trim();
  // the recipient is derived before the identity is kept, so a line with a bad checksum is refused, not stored
  const recipient = IDENTITY.test(identity) ? await recipientOrNull(identity) : null;
  if (recipient === null)
    throw new DevsecretsError("DS_VALUE_INVALID", "that is not an age X25519 identity (AGE-SECRET-KEY-1...)", {
      hint: "import the secret key line of an age key file (`age-keygen` writes one)",
    });
  await store.setValue(...ACCOUNT, new Secret(identity));
  return { recipient };
}

async function recipientOrNull(identity: string): Promise<string | null> {
  try {
    return await identityToRecipient(identity);
  } catch {
    return null;
  }
}
