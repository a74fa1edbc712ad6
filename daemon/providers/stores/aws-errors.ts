// An AWS SDK failure as the user meets it: a coded DevsecretsError naming the secret or parameter, with a hint.
// Rule: never the SDK's message or stack (it may quote a request); only the exception's name, which AWS documents.

import { DevsecretsError } from "../../../common/errors.js";

const NOT_FOUND = new Set(["ResourceNotFoundException", "ParameterNotFound", "ParameterVersionNotFound"]);
const AUTH = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "InvalidClientTokenId",
  "InvalidClientTokenIdError",
  "ExpiredTokenException",
  "ExpiredToken",
  "CredentialsProviderError",
  "TokenProviderError",
  "IncompleteSignature",
  "MissingAuthenticationToken",
]);
const FORBIDDEN = new Set(["AccessDeniedException", "AccessDenied", "KMSAccessDeniedException", "AccessDeniedError"]);
const NETWORK = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)$/;

interface SdkError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** the coded error for `what` ("aws-sm://prod/db", "the secret prod/db") that the SDK refused */
export function awsFailure(error: unknown, ref: string, where: string, store: string): DevsecretsError {
  if (error instanceof DevsecretsError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkError;
  const name = typeof e.name === "string" ? e.name : "Error";
  const code = typeof e.code === "string" ? e.code : "";
  const status = e.$metadata?.httpStatusCode;
  const at = `${where}: ${ref}`;
  if (NOT_FOUND.has(name))
    return new DevsecretsError("DS_REF_NOT_FOUND", `${at}: ${store} has no such secret (${name})`, {
      hint: "check the name and the region (?region=eu-west-1, --aws-region), or the version asked for",
    });
  if (AUTH.has(name) || status === 401)
    return new DevsecretsError("DS_STORE_AUTH", `${at}: ${store} did not accept the credentials (${name})`);
  if (FORBIDDEN.has(name) || status === 403)
    return new DevsecretsError("DS_STORE_FORBIDDEN", `${at}: ${store} refused to read it (${name})`);
  if (typeof e.message === "string" && /region is missing/i.test(e.message))
    return new DevsecretsError("DS_STORE_UNREACHABLE", `${at}: no AWS region is configured for ${store}`, {
      hint: "log in with --aws-region REGION (or AWS_REGION), set region in ~/.aws/config, or add ?region= to the reference",
    });
  if (
    NETWORK.test(code) ||
    name === "TimeoutError" ||
    name === "RequestTimeout" ||
    (status !== undefined && status >= 500)
  )
    return new DevsecretsError("DS_STORE_UNREACHABLE", `${at}: ${store} could not be reached (${code || name})`);
  return new DevsecretsError(
    "DS_STORE_UNREACHABLE",
    `${at}: ${store} answered an error devsecrets did not expect (${name})`,
  );
}
