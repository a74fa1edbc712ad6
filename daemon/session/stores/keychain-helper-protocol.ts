// The messages between the daemon and its keychain helper process, and the keychain names both sides use.
// Rule: a password appears only in `set` requests and `get` answers, never in an error message.

export const KEYCHAIN_SERVICE = "devsecrets";
export const SESSION_ACCOUNT = "session";
/** written then deleted by the probe; cannot clash with `<projectId>/<NAME>` (those contain a slash) */
export const PROBE_ACCOUNT = "probe";

export interface HelperRequest {
  id: number;
  /** "hygiene" answers what hardening took effect in the helper ("core-limit-0,not-dumpable") */
  op: "get" | "set" | "delete" | "hygiene";
  account: string;
  password?: string;
}

export type HelperResponse =
  | { id: number; ok: true; value: string | null | boolean }
  | { id: number; ok: false; message: string; code: string };
