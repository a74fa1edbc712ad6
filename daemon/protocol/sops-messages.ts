// The bodies of POST /v1/sops/key: the age identity sops:// decrypts with, kept in the session's store.
// Rule: the identity travels only in an import request; answers carry the recipient (public), never the identity.

export interface SopsKeyRequest {
  /** generate a new identity, import one given here, or show the recipient of the one kept */
  action: "generate" | "import" | "show";
  /** for import: AGE-SECRET-KEY-1... (the CLI reads it from stdin, never argv) */
  identity?: string;
  /** replace an identity that is already kept */
  replace?: boolean;
}

export interface SopsKeyResponse {
  /** age1..., what `sops --age` and .sops.yaml name */
  recipient: string;
}
