// Bodies of the trust routes (`devsecrets trust`, the dashboard's trust page): what a project asks for, the user's
// decision, the list of trusted projects. Rule: references, names and settings only; never a value from a store.

export interface TrustShowRequest {
  cwd: string;
}

export interface TrustRequest {
  cwd: string;
  /** the digest of the listing the user saw: refused with DS_TRUST_STALE when the files changed since */
  digest: string;
}

export interface TrustListedItem {
  kind: "reference" | "dangerous-name" | "setting" | "file";
  file: string;
  /** 0 for a setting of devsecrets.json */
  line: number;
  /** the variable, or the setting's key path ("vault.address") */
  name: string;
  /** the reference, the variable's text as written, the setting's JSON value, or a file's SHA-256 */
  text: string;
  why: string;
  /** already trusted for this root */
  trusted: boolean;
}

export interface TrustShowResponse {
  /** the project root's real path, the key of the trust */
  root: string;
  projectId: string;
  /** the git origin the project id comes from, null when it comes from the path */
  origin: string | null;
  /** how many of the keychain names the project references already hold a value under its id (null: no login) */
  keychainItems: number | null;
  trusted: boolean;
  reason: "trust-all" | "nothing-to-trust" | "trusted" | "never-trusted" | "changed";
  trustedAt: string | null;
  items: TrustListedItem[];
  digest: string;
}

export interface TrustRevokeResponse {
  root: string;
  revoked: boolean;
}

export interface TrustListResponse {
  /** DEVSECRETS_TRUST_ALL in the daemon's environment: every project is trusted */
  trustAll: boolean;
  projects: { root: string; projectId: string; trustedAt: string; items: number }[];
}
