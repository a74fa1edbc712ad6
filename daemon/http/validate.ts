// Validation of request bodies at the edge: shapes, types and sizes, before anything reaches the core.
// Rule: a rejected body is named by field, never echoed back (it may hold the caller's environment).

import type { SopsKeyRequest } from "../protocol/sops-messages.js";
import { isAbsolute, resolve } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import type {
  KeychainNameRequest,
  KeychainSetRequest,
  ListRequest,
  LoginRequest,
  MintRequest,
  ResolveRequest,
  ShutdownRequest,
  VaultLogin,
  AwsLogin,
} from "../protocol/messages.js";
import type { TrustRequest, TrustShowRequest } from "../protocol/trust-messages.js";

type Body = Record<string, unknown>;

function bad(message: string): DevsecretsError {
  return new DevsecretsError("DS_BAD_REQUEST", message);
}

function object(value: unknown, what = "body"): Body {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad(`${what} must be a JSON object`);
  return value as Body;
}

function allowOnly(body: Body, keys: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!keys.includes(key)) throw bad(`unknown field "${key.slice(0, 40)}"`);
  }
}

function optionalString(body: Body, key: string, max = 4096): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length > max)
    throw bad(`"${key}" must be a string of at most ${max} characters`);
  return value;
}

const ENV_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

function environmentName(body: Body): string | undefined {
  const env = optionalString(body, "env", 32);
  if (env !== undefined && !ENV_NAME.test(env)) {
    throw new DevsecretsError("DS_ENV_NAME", `environment "${env}" is not a valid name`);
  }
  return env;
}

function cwd(body: Body): string {
  const value = optionalString(body, "cwd");
  if (value === undefined || !isAbsolute(value) || value.includes("\0")) throw bad(`"cwd" must be an absolute path`);
  // lexically normalised: "/p/missing/.." must name /p, or the project root found from it cannot be resolved later
  return resolve(value);
}

export function resolveRequest(input: unknown): ResolveRequest {
  const body = object(input);
  allowOnly(body, ["cwd", "env", "environ", "override", "names"]);
  const request: ResolveRequest = { cwd: cwd(body) };
  const env = environmentName(body);
  if (env !== undefined) request.env = env;
  if (body.environ !== undefined) {
    const environ = object(body.environ, `"environ"`);
    for (const value of Object.values(environ)) {
      if (typeof value !== "string") throw bad(`"environ" values must be strings`);
    }
    request.environ = environ as Record<string, string>;
  }
  if (body.override !== undefined) {
    if (typeof body.override !== "boolean") throw bad(`"override" must be true or false`);
    request.override = body.override;
  }
  if (body.names !== undefined) {
    if (
      !Array.isArray(body.names) ||
      body.names.length > 1000 ||
      !body.names.every((n) => typeof n === "string" && n.length <= 256)
    ) {
      throw bad(`"names" must be a list of variable names`);
    }
    request.names = body.names as string[];
  }
  return request;
}

export function listRequest(input: unknown): ListRequest {
  const body = object(input);
  allowOnly(body, ["cwd", "env"]);
  const request: ListRequest = { cwd: cwd(body) };
  const env = environmentName(body);
  if (env !== undefined) request.env = env;
  return request;
}

export function trustShowRequest(input: unknown): TrustShowRequest {
  const body = object(input);
  allowOnly(body, ["cwd"]);
  return { cwd: cwd(body) };
}

export function trustRequest(input: unknown): TrustRequest {
  const body = object(input);
  allowOnly(body, ["cwd", "digest"]);
  const digest = optionalString(body, "digest", 64);
  if (digest === undefined || !/^[0-9a-f]{64}$/.test(digest))
    throw bad(`"digest" must be the 64 hex digits \`devsecrets trust\` shows`);
  return { cwd: cwd(body), digest };
}

// claims reach recursive code (JSON, JWT signing): 7,000 levels fit in 64 KiB and overflowed its stack
const MAX_CLAIMS_DEPTH = 32;

/** iterative, so that measuring a hostile nesting cannot overflow the stack either */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== "object" || item === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

export function mintRequest(input: unknown): MintRequest {
  const body = object(input);
  allowOnly(body, ["kind", "claims"]);
  const kind = optionalString(body, "kind", 512);
  if (!kind) throw bad(`"kind" is required, e.g. "stripe/secret-key"`);
  const request: MintRequest = { kind };
  if (body.claims !== undefined) {
    request.claims = object(body.claims, `"claims"`);
    if (nestedDeeperThan(request.claims, MAX_CLAIMS_DEPTH))
      throw bad(`"claims" is nested deeper than ${MAX_CLAIMS_DEPTH} levels`);
  }
  return request;
}

const STORES = ["auto", "keychain", "memory", "file"] as const;

function optionalSeconds(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 30 * 86400) {
    throw bad(`"${key}" must be a whole number of seconds between 1 and 30 days`);
  }
  return value;
}

export function loginRequest(input: unknown): LoginRequest {
  const body = object(input ?? {});
  allowOnly(body, ["env", "ttlSeconds", "idleSeconds", "store", "passphrase", "vault", "offline", "aws"]);
  const request: LoginRequest = {};
  const env = environmentName(body);
  if (env !== undefined) request.env = env;
  const ttl = optionalSeconds(body, "ttlSeconds");
  if (ttl !== undefined) request.ttlSeconds = ttl;
  const idle = optionalSeconds(body, "idleSeconds");
  if (idle !== undefined) request.idleSeconds = idle;
  if (body.store !== undefined) {
    if (!STORES.includes(body.store as (typeof STORES)[number]))
      throw bad(`"store" must be one of ${STORES.join(", ")}`);
    request.store = body.store as LoginRequest["store"];
  }
  const passphrase = optionalString(body, "passphrase", 1024);
  if (passphrase !== undefined) request.passphrase = passphrase;
  if (body.offline !== undefined) {
    if (typeof body.offline !== "boolean") throw bad(`"offline" must be true or false`);
    request.offline = body.offline;
  }
  if (body.vault !== undefined) request.vault = vaultLogin(body.vault);
  if (body.aws !== undefined) request.aws = awsLogin(body.aws);
  return request;
}

function awsLogin(input: unknown): AwsLogin {
  const body = object(input, `"aws"`);
  const keys = ["profile", "region", "endpoint", "accessKeyId", "secretAccessKey", "sessionToken"] as const;
  allowOnly(body, [...keys]);
  const login: AwsLogin = {};
  for (const key of keys) {
    const value = optionalString(body, key, 4096);
    if (value !== undefined) login[key] = value;
  }
  if (login.profile !== undefined && !/^[A-Za-z0-9_.@+=-]{1,128}$/.test(login.profile))
    throw bad(`"aws.profile" must be a profile name from ~/.aws/config`);
  if (login.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/.test(login.region))
    throw bad(`"aws.region" must look like eu-west-1`);
  if (login.endpoint !== undefined && !/^https?:\/\/[^/?#@\s]+\/?$/.test(login.endpoint))
    throw bad(`"aws.endpoint" must be an http(s)://host:port URL`);
  if ((login.accessKeyId === undefined) !== (login.secretAccessKey === undefined))
    throw bad(`"aws.accessKeyId" and "aws.secretAccessKey" go together`);
  return login;
}

const VAULT_AUTHS = ["token", "approle", "userpass"] as const;

function vaultLogin(input: unknown): VaultLogin {
  const body = object(input, `"vault"`);
  allowOnly(body, [
    "address",
    "namespace",
    "caCert",
    "auth",
    "token",
    "roleId",
    "secretId",
    "username",
    "password",
    "mount",
  ]);
  const address = optionalString(body, "address", 512);
  if (address === undefined || !/^https?:\/\/[^/?#@\s]+\/?$/.test(address))
    throw bad(`"vault.address" must be an http(s)://host:port URL`);
  if (!VAULT_AUTHS.includes(body.auth as (typeof VAULT_AUTHS)[number]))
    throw bad(`"vault.auth" must be one of ${VAULT_AUTHS.join(", ")}`);
  const login: VaultLogin = { address: address.replace(/\/$/, ""), auth: body.auth as VaultLogin["auth"] };
  for (const key of ["namespace", "caCert", "token", "roleId", "secretId", "username", "password", "mount"] as const) {
    const value = optionalString(body, `${key}`, 4096);
    if (value !== undefined) login[key] = value;
  }
  const needs = { token: ["token"], approle: ["roleId", "secretId"], userpass: ["username", "password"] }[login.auth];
  for (const key of needs)
    if (!login[key as keyof VaultLogin]) throw bad(`"vault.${key}" is required for ${login.auth} auth`);
  if (login.mount !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,127}$/.test(login.mount))
    throw bad(`"vault.mount" must be a mount path`);
  return login;
}

export function keychainSetRequest(input: unknown): KeychainSetRequest {
  const body = object(input);
  allowOnly(body, ["cwd", "name", "value", "replace"]);
  const name = optionalString(body, "name", 512);
  const value = body.value;
  if (name === undefined) throw bad(`"name" is required`);
  if (typeof value !== "string") throw bad(`"value" must be a string`);
  // refused before it is stored: every later resolve would fail on it, and no environment can carry a NUL
  if (value.includes("\0"))
    throw new DevsecretsError("DS_VALUE_INVALID", `the value for keychain://${name.slice(0, 100)} holds a NUL byte`);
  if (body.replace !== undefined && typeof body.replace !== "boolean") throw bad(`"replace" must be true or false`);
  return { cwd: cwd(body), name, value, ...(body.replace === true ? { replace: true } : {}) };
}

export function keychainNameRequest(input: unknown): KeychainNameRequest {
  const body = object(input);
  allowOnly(body, ["cwd", "name"]);
  const name = optionalString(body, "name", 512);
  if (name === undefined) throw bad(`"name" is required`);
  return { cwd: cwd(body), name };
}

/** POST /v1/daemon/stop: no body, `{}`, or `{reason: "shutdown" | "restart"}` */
export function shutdownRequest(input: unknown): ShutdownRequest {
  if (input === undefined) return {};
  const body = object(input);
  allowOnly(body, ["reason"]);
  const reason = body.reason;
  if (reason === undefined) return {};
  if (reason !== "shutdown" && reason !== "restart") throw bad('"reason" must be "shutdown" or "restart"');
  return { reason };
}

const SOPS_ACTIONS = ["generate", "import", "show"] as const;

export function sopsKeyRequest(input: unknown): SopsKeyRequest {
  const body = object(input);
  allowOnly(body, ["action", "identity", "replace"]);
  if (!SOPS_ACTIONS.includes(body.action as (typeof SOPS_ACTIONS)[number]))
    throw bad(`"action" must be one of ${SOPS_ACTIONS.join(", ")}`);
  const request: SopsKeyRequest = { action: body.action as SopsKeyRequest["action"] };
  const identity = optionalString(body, "identity", 4096);
  if (identity !== undefined) request.identity = identity;
  if (request.action === "import" && identity === undefined) throw bad(`"identity" is required to import`);
  if (body.replace !== undefined) {
    if (typeof body.replace !== "boolean") throw bad(`"replace" must be true or false`);
    request.replace = body.replace;
  }
  return request;
}
