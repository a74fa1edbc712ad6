// The parsed form of a reference (`scheme://path?query#field`); produced by reference-parser.ts.
// Rule: a reference is data; nothing here fetches or mints.

export const REFERENCE_SCHEMES = ["keychain", "vault", "sandbox", "env", "aws-sm", "aws-ssm", "sops"] as const;
/** schemes answered by a platform store (daemon/providers/stores/): a sandbox stand-in when it cannot be asked */
export const STORE_SCHEMES = ["aws-sm", "aws-ssm", "sops"] as const;
export type ReferenceScheme = (typeof REFERENCE_SCHEMES)[number];

export interface Reference {
  scheme: ReferenceScheme;
  /** the reference exactly as written, e.g. "vault://secret/app?version=2#api_key" */
  raw: string;
  /** between "scheme://" and "?"/"#", percent-decoded: "secret/app", "stripe/secret-key", "NAME"; aws-ssm keeps its "/" */
  path: string;
  /** decoded query parameters in order of appearance; a repeated key is a syntax error */
  query: Readonly<Record<string, string>>;
  /** decoded text after "#", or null when absent */
  field: string | null;
}

/** the identity of the value behind a reference, ignoring #field: fields of one mint share it */
export function valueIdentity(ref: Reference): string {
  const query = Object.entries(ref.query)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return `${ref.scheme}://${ref.path}${query ? `?${query}` : ""}`;
}
