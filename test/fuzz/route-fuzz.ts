// Arbitrary JSON bodies for every JSON route of the daemon, and the one verdict every answer must pass.
// Rule: an answer is a 2xx or a JSON {error:{code:"DS_..."}} other than DS_INTERNAL; anything else is a crash.

import fc from "fast-check";
import { socketRequest, type SocketResponse } from "../../daemon/client/socket-request.js";

export const JSON_ROUTES = [
  "/v1/resolve",
  "/v1/check",
  "/v1/list",
  "/v1/sandbox/mint",
  "/v1/session",
  "/v1/keychain/set",
  "/v1/keychain/unset",
  "/v1/trust/show",
  "/v1/trust",
  "/v1/trust/revoke",
  "/v1/sandbox/services/pause",
] as const;
export type JsonRoute = (typeof JSON_ROUTES)[number];

export interface FuzzCase {
  route: JsonRoute;
  body: unknown;
}

/** a devsecrets.env for the fuzzed project: one reference of each scheme the daemon can serve offline, and expansion */
export const FUZZ_PROJECT_ENV = [
  "TOKEN=sandbox://github/pat",
  "KEY=sandbox://stripe/secret-key",
  "PW=sandbox://random/password?length=24",
  "HOME_COPY=env://HOME",
  "DB=keychain://db-password",
  "URL=postgres://user:${PW}@localhost/${NAME:-app}",
  "PLAIN=hello",
  "",
].join("\n");

const anyJson = fc.jsonValue({ maxDepth: 3, depthSize: "small" });
const nasty = fc.constantFrom(
  "",
  " ",
  "..",
  "/",
  "\u0000",
  "a/b",
  "\u202e",
  "\ud800",
  "%00",
  "${A}",
  "$(id)",
  "`id`",
  "x".repeat(5000),
  "__proto__",
  "constructor",
);
const text = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), nasty);
/** a key's value: usually of the right type and shape, sometimes anything at all */
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: anyJson as fc.Arbitrary<unknown> });

/** builds an object from keys (required ones absent only now and then) and, now and then, one unknown key */
function objectOf(
  fields: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const optional = Object.fromEntries(
    Object.entries(fields).map(([k, arb]) => [
      k,
      fc.option(arb, { nil: undefined, freq: required.includes(k) ? 20 : 3 }),
    ]),
  );
  return fc
    .tuple(
      fc.record(optional),
      fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(text, anyJson) }),
    )
    .map(([body, extra]) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = v;
      // defineProperty: a "__proto__" key must reach the daemon as a key, not become this object's prototype
      if (extra)
        Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return out;
    });
}

export function caseArbitrary(project: string, kinds: readonly string[]): fc.Arbitrary<FuzzCase> {
  const cwd = maybe(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(project) },
      fc.constant(`${project}/sub/..`),
      fc.constant("/"),
      text.map((s) => `/${s}`),
      text,
    ),
  );
  const env = maybe(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("dev", "prod", "staging") },
      fc.constantFrom("DEV", "a".repeat(40)),
      text,
    ),
  );
  const environ = maybe(
    fc.dictionary(fc.oneof(fc.constantFrom("NAME", "HOME", "PW", "__proto__"), text), maybe(text), { maxKeys: 6 }),
  );
  const names = maybe(
    fc.array(maybe(fc.oneof(fc.constantFrom("TOKEN", "URL", "DB", "MISSING"), text)), { maxLength: 5 }),
  );
  const kind = maybe(
    fc.oneof(
      fc.constantFrom(...kinds),
      fc.constantFrom(...kinds).chain((k) => text.map((s) => `${k}${s}`)),
      text,
    ),
  );
  const seconds = maybe(
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 86400 }) },
      fc.integer({ min: -10, max: 40 * 86400 }),
      fc.double(),
      fc.constantFrom(0, 2 ** 53),
    ),
  );
  // Vault logins only ever point at a closed loopback port: the fuzzer reaches no other host
  const vault = maybe(
    objectOf(
      {
        address: fc.constantFrom("http://127.0.0.1:9", "https://127.0.0.1:9/", "http://[::1]:9", "ftp://127.0.0.1:9"),
        auth: maybe(fc.constantFrom("token", "approle", "userpass", "kerberos")),
        token: text,
        roleId: text,
        secretId: text,
        username: text,
        password: text,
        mount: text,
        namespace: text,
        caCert: text,
      },
      ["address", "auth"],
    ),
  );
  const session = objectOf({
    env,
    ttlSeconds: seconds,
    idleSeconds: seconds,
    store: maybe(fc.constantFrom("memory", "memory", "memory", "file", "auto", "keychain", "disk")),
    passphrase: maybe(text),
    vault,
    offline: maybe(fc.boolean()),
  });
  // a login now and then, so that the keychain routes get past DS_SESSION_NONE
  const bodies: Record<JsonRoute, fc.Arbitrary<unknown>> = {
    "/v1/resolve": objectOf({ cwd, env, environ, override: maybe(fc.boolean()), names }, ["cwd"]),
    "/v1/check": objectOf({ cwd, env, environ, override: maybe(fc.boolean()), names }, ["cwd"]),
    "/v1/list": objectOf({ cwd, env }, ["cwd"]),
    "/v1/sandbox/mint": objectOf({ kind, claims: maybe(fc.dictionary(text, anyJson, { maxKeys: 4 })) }, ["kind"]),
    "/v1/session": session,
    "/v1/keychain/set": objectOf(
      { cwd, name: maybe(fc.oneof(fc.constantFrom("db-password", "é", "a/b"), text)), value: maybe(text) },
      ["cwd", "name", "value"],
    ),
    "/v1/keychain/unset": objectOf({ cwd, name: maybe(fc.oneof(fc.constantFrom("db-password", "é"), text)) }, [
      "cwd",
      "name",
    ]),
    "/v1/trust/show": objectOf({ cwd }, ["cwd"]),
    "/v1/trust": objectOf({ cwd, digest: maybe(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), text)) }, [
      "cwd",
      "digest",
    ]),
    "/v1/trust/revoke": objectOf({ cwd }, ["cwd"]),
    "/v1/sandbox/services/pause": objectOf(
      {
        service: maybe(fc.oneof(fc.constantFrom("redis", "postgres", "redis/server", "Redis"), text)),
        seconds: maybe(fc.oneof(fc.integer({ min: -5, max: 4000 }), anyJson)),
      },
      ["service", "seconds"],
    ),
  };
  return fc
    .constantFrom(...JSON_ROUTES)
    .chain((route) =>
      fc
        .oneof({ weight: 5, arbitrary: bodies[route] }, { weight: 1, arbitrary: anyJson })
        .map((body) => ({ route, body })),
    );
}

/** why an answer is a crash, or null when it is a proper answer */
export function crashIn(response: SocketResponse): string | null {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `status ${response.status} with a body that is not JSON`;
  }
  if (response.status >= 200 && response.status < 300) return null;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== "string" || !/^DS_[A-Z0-9_]+$/.test(error.code))
    return `status ${response.status} without a DS_ code`;
  // a 503 DS_KEYCHAIN_UNAVAILABLE or DS_VAULT_UNREACHABLE is an answer; a 500 or DS_INTERNAL is the daemon failing
  if (error.code === "DS_INTERNAL" || response.status === 500) return `${error.code} (${response.status})`;
  if (typeof error.message !== "string") return `${error.code} without a message`;
  return null;
}

export interface CaseResult {
  crash: string | null;
  status: number;
  ms: number;
}

/** sends one case and judges its answer; a connection that dies without an answer is a crash too */
export async function runCase(socket: string, c: FuzzCase): Promise<CaseResult> {
  const started = performance.now();
  let response: SocketResponse;
  try {
    response = await socketRequest({ socket, method: "POST", path: c.route, body: c.body, timeoutMs: 30_000 });
  } catch (error) {
    return { crash: `no answer (${(error as Error).message})`, status: 0, ms: performance.now() - started };
  }
  return { crash: crashIn(response), status: response.status, ms: performance.now() - started };
}

/** a case as one short line for a report: the route and the start of its body */
export function describeCase(c: FuzzCase, max = 160): string {
  const json = JSON.stringify(c.body) ?? "undefined";
  return `${c.route} ${json.length > max ? `${json.slice(0, max - 1)}…` : json}`;
}
