// Tells references (`scheme://PATH[?QUERY][#FIELD]`) from literals and parses them into a Reference.
// Rule: strict and total: anything malformed is a DS_REF_SYNTAX error naming the part at fault.

import { DevsecretsError } from "../../common/errors.js";
import { REFERENCE_SCHEMES, type Reference, type ReferenceScheme } from "./reference.js";

const PREFIXES = REFERENCE_SCHEMES.map((scheme) => `${scheme}://`);
const POSIX_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SANDBOX_SEGMENT = /^[a-z0-9][a-z0-9-]*$/;
const SANDBOX_KEY = /^[a-z][a-zA-Z0-9_-]*$/;
const VAULT_ENV = /^[a-z][a-z0-9_-]*$/;
const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const VAULT_KEYS = ["version", "env", "sandbox"];
/** the query keys each platform-store scheme takes (DESIGN "Platform stores") */
const STORE_KEYS: Record<string, readonly string[]> = {
  "aws-sm": ["version-stage", "version-id", "region", "env", "sandbox"],
  "aws-ssm": ["region", "env", "sandbox"],
  sops: ["env", "sandbox"],
};
/** Secrets Manager names (letters, digits, /_+=.@-) and ARNs, whose ':' the reference percent-encodes */
const AWS_SM_NAME = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
/** Parameter Store names: a path of letters, digits and _.- segments */
const AWS_SSM_NAME = /^(\/[A-Za-z0-9_.-]+)+$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;
const SCHEME_LIST = "keychain://, vault://, sandbox://, env://, aws-sm://, aws-ssm:// or sops://";
const MAX_QUOTED = 80;
const MAX_KEYCHAIN_NAME = 128;

/** true iff value starts with one of the schemes (lowercase); anything else is a literal */
export function isReference(value: string): boolean {
  return PREFIXES.some((prefix) => value.startsWith(prefix));
}

/** references are not secrets, so they may be quoted, but capped: a pasted blob should not flood a terminal */
function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text);
}

/** parses a reference; throws DS_REF_SYNTAX, prefixing the message with `where` ("file:line") when given */
export function parseReference(value: string, where?: string): Reference {
  const fail = (what: string): never => {
    throw new DevsecretsError("DS_REF_SYNTAX", where === undefined ? what : `${where}: ${what}`);
  };
  const sep = value.indexOf("://");
  const scheme = value.slice(0, Math.max(sep, 0));
  if (sep < 0 || !(REFERENCE_SCHEMES as readonly string[]).includes(scheme)) {
    return fail(`${quoted(value)} is not a reference: it must start with ${SCHEME_LIST}`);
  }
  const kind = scheme as ReferenceScheme;
  const space = value.search(/\s/);
  if (space >= 0) fail(`${kind} reference ${quoted(value)} contains whitespace at character ${space + 1}`);
  if (CONTROL.test(value)) fail(`${kind} reference ${quoted(value)} contains a control character`);

  const decode = (part: string, what: string): string => {
    if (BAD_ESCAPE.test(part))
      fail(`${what} of ${kind} reference ${quoted(value)} has a bad percent-escape (want %XX)`);
    let text = "";
    try {
      text = decodeURIComponent(part);
    } catch {
      fail(`${what} of ${kind} reference ${quoted(value)} has percent-escapes that are not UTF-8`);
    }
    if (CONTROL.test(text)) fail(`${what} of ${kind} reference ${quoted(value)} decodes to a control character`);
    return text;
  };

  // URL order: the first '#' starts the field, so a '?' after it belongs to the field
  const body = value.slice(sep + 3);
  const hash = body.indexOf("#");
  const beforeHash = hash < 0 ? body : body.slice(0, hash);
  const rawField = hash < 0 ? null : body.slice(hash + 1);
  const mark = beforeHash.indexOf("?");
  const rawPath = mark < 0 ? beforeHash : beforeHash.slice(0, mark);
  const rawQuery = mark < 0 ? null : beforeHash.slice(mark + 1);

  let field: string | null = null;
  if (rawField !== null) {
    if (rawField === "") fail(`${kind} reference ${quoted(value)} has an empty #FIELD`);
    if (rawField.includes("#"))
      fail(`#FIELD of ${kind} reference ${quoted(value)} contains a second '#' (write it as %23)`);
    field = decode(rawField, "#FIELD");
  }
  if ((kind === "keychain" || kind === "env") && (rawQuery !== null || field !== null)) {
    fail(`${kind} reference ${quoted(value)} takes no ${rawQuery !== null ? "?query" : "#field"}`);
  }

  const query: Record<string, string> = {};
  if (rawQuery !== null) {
    if (rawQuery === "") fail(`${kind} reference ${quoted(value)} has an empty ?query`);
    for (const pair of rawQuery.split("&")) {
      const eq = pair.indexOf("=");
      if (pair === "") fail(`?query of ${kind} reference ${quoted(value)} has an empty parameter`);
      if (eq < 0)
        fail(`query parameter ${quoted(pair)} of ${kind} reference ${quoted(value)} needs a value (key=value)`);
      const key = decode(pair.slice(0, eq), "a query key");
      const val = decode(pair.slice(eq + 1), `query parameter ${quoted(key)}`);
      checkQuery(kind, key, val, value, fail, query);
      if (Object.hasOwn(query, key))
        fail(`query parameter ${quoted(key)} is repeated in ${kind} reference ${quoted(value)}`);
      query[key] = val;
    }
  }

  const path = parsePath(kind, rawPath, value, decode, fail);
  return { scheme: kind, raw: value, path, query, field };
}

type Fail = (what: string) => never;
type Decode = (part: string, what: string) => string;

function parsePath(kind: ReferenceScheme, rawPath: string, value: string, decode: Decode, fail: Fail): string {
  const ref = quoted(value);
  if (kind === "keychain") {
    if (rawPath === "") fail(`keychain reference ${ref} needs a NAME`);
    const name = decode(rawPath, "NAME").normalize("NFC");
    if (name === "") fail(`keychain reference ${ref} needs a NAME`);
    if (name.includes("/")) fail(`keychain NAME in ${ref} cannot contain '/'`);
    if ([...name].length > MAX_KEYCHAIN_NAME)
      fail(`keychain NAME in ${ref} is longer than ${MAX_KEYCHAIN_NAME} characters`);
    return name;
  }
  if (kind === "env") {
    const name = decode(rawPath, "NAME");
    if (!POSIX_NAME.test(name))
      fail(`env reference ${ref} needs a variable NAME (letters, digits, '_', not starting with a digit)`);
    return name;
  }
  const segments = rawPath.split("/").map((segment) => decode(segment, "a path segment"));
  if (kind === "sandbox") {
    if (rawPath === "") fail(`sandbox reference ${ref} needs a KIND`);
    checkSandboxPath(segments, `sandbox reference ${ref}`, fail);
    return segments.join("/");
  }
  if (kind === "aws-sm" || kind === "aws-ssm" || (kind as string) === "sops")
    return storePath(kind, rawPath, ref, decode, fail);
  if (segments.length < 2) fail(`vault reference needs MOUNT/PATH, got ${quoted(rawPath)}`);
  for (const segment of segments) {
    if (segment === "") fail(`vault reference ${ref} has an empty path segment`);
    if (segment === "." || segment === "..") fail(`vault reference ${ref} has a '${segment}' path segment`);
    if (segment.includes("/")) fail(`vault reference ${ref} has an encoded '/' inside a path segment`);
  }
  return segments.join("/");
}

function storePath(kind: ReferenceScheme, rawPath: string, ref: string, decode: Decode, fail: Fail): string {
  const path = decode(rawPath, "the path");
  if (kind === "aws-sm") {
    if (!AWS_SM_NAME.test(path))
      fail(`aws-sm reference ${ref} needs a secret NAME or ARN (letters, digits, /_+=.@-; write ':' as %3A)`);
    return path;
  }
  if (kind === "aws-ssm") {
    if (!AWS_SSM_NAME.test(path) || path.length > 2048)
      fail(`aws-ssm reference ${ref} needs a parameter path with its leading '/', like aws-ssm:///app/db/password`);
    return path;
  }
  if (path === "" || path.startsWith("/"))
    fail(`sops reference ${ref} needs a file path relative to the project root, like sops://secrets/dev.yaml`);
  for (const segment of path.split("/")) {
    if (segment === "" || segment === "." || segment === "..")
      fail(`sops reference ${ref} has a '${segment}' path segment: the file must stay inside the project`);
  }
  return path;
}

function checkSandboxPath(segments: string[], what: string, fail: Fail): void {
  if (segments.length > 3) fail(`${what} has more than 3 path segments (KIND[/VARIANT])`);
  for (const segment of segments) {
    if (!SANDBOX_SEGMENT.test(segment)) {
      fail(`${what} has path segment ${quoted(segment)}; segments are lowercase letters, digits and '-'`);
    }
  }
}

function checkQuery(
  kind: ReferenceScheme,
  key: string,
  val: string,
  value: string,
  fail: Fail,
  query: Readonly<Record<string, string>>,
): void {
  const ref = quoted(value);
  if (kind === "sandbox") {
    if (!SANDBOX_KEY.test(key)) fail(`query key ${quoted(key)} of sandbox reference ${ref} is not a valid option name`);
    return;
  }
  const storeKeys = STORE_KEYS[kind];
  if (storeKeys) {
    if (!storeKeys.includes(key))
      fail(`${kind} reference ${ref} does not take query parameter ${quoted(key)} (only ${storeKeys.join(", ")})`);
    if (key === "region" && !AWS_REGION.test(val)) fail(`region of ${kind} reference ${ref} must look like eu-west-1`);
    if ((key === "version-stage" || key === "version-id") && !/^[A-Za-z0-9_-]{1,256}$/.test(val))
      fail(`${key} of ${kind} reference ${ref} must be letters, digits, '_' and '-'`);
    if (key === "version-id" && Object.hasOwn(query, "version-stage"))
      fail(`${kind} reference ${ref} takes version-stage or version-id, not both`);
    if (key === "version-stage" && Object.hasOwn(query, "version-id"))
      fail(`${kind} reference ${ref} takes version-stage or version-id, not both`);
  } else if (!VAULT_KEYS.includes(key))
    fail(`vault reference ${ref} does not take query parameter ${quoted(key)} (only version, env, sandbox)`);
  if (key === "version" && !POSITIVE_INT.test(val))
    fail(`version of vault reference ${ref} must be a positive integer`);
  if (key === "env" && !VAULT_ENV.test(val))
    fail(`env of ${kind} reference ${ref} must be an environment name like dev or prod`);
  if (key === "sandbox") {
    if (val === "") fail(`sandbox of ${kind} reference ${ref} needs a KIND`);
    checkSandboxPath(val.split("/"), `sandbox option of ${kind} reference ${ref}`, fail);
  }
}
