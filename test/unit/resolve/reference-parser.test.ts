// Unit tests of the reference parser: each scheme's valid forms decoded, each malformed form refused.
// Rule: every refusal is DS_REF_SYNTAX with a message that names the part at fault.

import test from "ava";
import { DevsecretsError } from "../../../common/errors.js";
import { isReference, parseReference } from "../../../daemon/resolve/reference-parser.js";
import type { Reference } from "../../../daemon/resolve/reference.js";

test("isReference: the four schemes, lowercase, at the start only", (t) => {
  for (const value of ["keychain://A", "vault://a/b", "sandbox://uuid", "env://HOME", "env://"])
    t.true(isReference(value), value);
  for (const value of [
    "postgres://u:p@h/db",
    "https://x",
    "KEYCHAIN://A",
    "Vault://a/b",
    " env://A",
    "keychain:/A",
    "",
    "x env://A",
  ]) {
    t.false(isReference(value), value);
  }
});

const valid: [string, Omit<Reference, "raw">][] = [
  ["keychain://STRIPE_KEY", { scheme: "keychain", path: "STRIPE_KEY", query: {}, field: null }],
  ["keychain://my%20key.v2", { scheme: "keychain", path: "my key.v2", query: {}, field: null }],
  ["keychain://caf%C3%A9", { scheme: "keychain", path: "café", query: {}, field: null }],
  // NFD "e" + combining acute is stored NFC
  ["keychain://cafe%CC%81", { scheme: "keychain", path: "caf\u00e9", query: {}, field: null }],
  [`keychain://${"k".repeat(128)}`, { scheme: "keychain", path: "k".repeat(128), query: {}, field: null }],
  ["env://HOME", { scheme: "env", path: "HOME", query: {}, field: null }],
  ["env://_X1", { scheme: "env", path: "_X1", query: {}, field: null }],
  ["sandbox://uuid", { scheme: "sandbox", path: "uuid", query: {}, field: null }],
  ["sandbox://stripe/secret-key", { scheme: "sandbox", path: "stripe/secret-key", query: {}, field: null }],
  [
    "sandbox://jwt/hs256?sub=user%201&ttl=1h#token",
    { scheme: "sandbox", path: "jwt/hs256", query: { sub: "user 1", ttl: "1h" }, field: "token" },
  ],
  ["sandbox://aws/iam/role#secret", { scheme: "sandbox", path: "aws/iam/role", query: {}, field: "secret" }],
  [
    "sandbox://pg?db=&maxConn_2-x=5",
    { scheme: "sandbox", path: "pg", query: { db: "", "maxConn_2-x": "5" }, field: null },
  ],
  ["vault://secret/app", { scheme: "vault", path: "secret/app", query: {}, field: null }],
  [
    "vault://secret/app?version=2#api_key",
    { scheme: "vault", path: "secret/app", query: { version: "2" }, field: "api_key" },
  ],
  [
    "vault://database/creds/ro?env=prod&sandbox=postgres/role#username",
    {
      scheme: "vault",
      path: "database/creds/ro",
      query: { env: "prod", sandbox: "postgres/role" },
      field: "username",
    },
  ],
  ["vault://kv/my%20app/x#f%23ield", { scheme: "vault", path: "kv/my app/x", query: {}, field: "f#ield" }],
  // URL order: a '?' after '#' belongs to the field
  ["vault://secret/app#a?b", { scheme: "vault", path: "secret/app", query: {}, field: "a?b" }],
  ["sandbox://uuid#x?version=2&y=1", { scheme: "sandbox", path: "uuid", query: {}, field: "x?version=2&y=1" }],
];

for (const [raw, expected] of valid) {
  test(`valid: ${raw.slice(0, 60)}`, (t) => {
    t.true(isReference(raw));
    t.deepEqual(parseReference(raw), { raw, ...expected });
  });
}

const malformed: [string, string][] = [
  ["postgres://u@h/db", "is not a reference"],
  ["keychain:/A", "is not a reference"],
  ["keychain://", 'keychain reference "keychain://" needs a NAME'],
  ["keychain://a/b", "keychain NAME in \"keychain://a/b\" cannot contain '/'"],
  ["keychain://a%2Fb", "cannot contain '/'"],
  ["keychain://a%00b", 'NAME of keychain reference "keychain://a%00b" decodes to a control character'],
  ["keychain://a\u0001b", "contains a control character"],
  [`keychain://${"k".repeat(129)}`, "longer than 128 characters"],
  ["keychain://A?x=1", 'keychain reference "keychain://A?x=1" takes no ?query'],
  ["keychain://A#f", "takes no #field"],
  ["keychain://A B", "contains whitespace at character 13"],
  ["keychain://A%zz", 'NAME of keychain reference "keychain://A%zz" has a bad percent-escape'],
  ["keychain://A%4", "has a bad percent-escape"],
  ["keychain://A%C3", "percent-escapes that are not UTF-8"],
  ["env://", 'env reference "env://" needs a variable NAME'],
  ["env://1A", "needs a variable NAME"],
  ["env://A-B", "needs a variable NAME"],
  ["env://A.B", "needs a variable NAME"],
  ["env://A?x=1", "takes no ?query"],
  ["env://A#x", "takes no #field"],
  ["sandbox://", 'sandbox reference "sandbox://" needs a KIND'],
  ["sandbox://Stripe", 'has path segment "Stripe"'],
  ["sandbox://-x", 'has path segment "-x"'],
  ["sandbox://a//b", 'has path segment ""'],
  ["sandbox://a/", 'has path segment ""'],
  ["sandbox://a/b/c/d", "has more than 3 path segments"],
  ["sandbox://a_b", 'has path segment "a_b"'],
  ["sandbox://uuid?", "has an empty ?query"],
  ["sandbox://uuid?a=1&&b=2", "has an empty parameter"],
  ["sandbox://uuid?flag", 'query parameter "flag" of sandbox reference "sandbox://uuid?flag" needs a value'],
  ["sandbox://uuid?Bad=1", 'query key "Bad" of sandbox reference'],
  ["sandbox://uuid?a=1&a=2", 'query parameter "a" is repeated'],
  ["sandbox://uuid?a=%G1", 'query parameter "a" of sandbox reference "sandbox://uuid?a=%G1" has a bad percent-escape'],
  ["sandbox://uuid#", "has an empty #FIELD"],
  ["sandbox://uuid?a=1#", "has an empty #FIELD"],
  ["sandbox://uuid#a#b", "contains a second '#'"],
  ["sandbox://uuid#a%", '#FIELD of sandbox reference "sandbox://uuid#a%" has a bad percent-escape'],
  ["sandbox://uuid\t", "contains whitespace"],
  ["vault://secret", 'vault reference needs MOUNT/PATH, got "secret"'],
  ["vault://", 'vault reference needs MOUNT/PATH, got ""'],
  ["vault://secret/", "has an empty path segment"],
  ["vault:///app", "has an empty path segment"],
  ["vault://secret//app", "has an empty path segment"],
  ["vault://secret/../sys", "has a '..' path segment"],
  ["vault://secret/./app", "has a '.' path segment"],
  ["vault://secret/%2E%2E/sys", "has a '..' path segment"],
  ["vault://secret/a%2Fb", "has an encoded '/' inside a path segment"],
  [
    "vault://secret/app?version=0",
    'version of vault reference "vault://secret/app?version=0" must be a positive integer',
  ],
  ["vault://secret/app?version=-1", "must be a positive integer"],
  ["vault://secret/app?version=1.5", "must be a positive integer"],
  ["vault://secret/app?version=", "must be a positive integer"],
  ["vault://secret/app?env=Prod", "env of vault reference"],
  ["vault://secret/app?sandbox=", 'sandbox of vault reference "vault://secret/app?sandbox=" needs a KIND'],
  ["vault://secret/app?sandbox=Pg", "sandbox option of vault reference"],
  ["vault://secret/app?ttl=1h", 'does not take query parameter "ttl" (only version, env, sandbox)'],
  ["vault://secret/app?version=1&version=2", 'query parameter "version" is repeated'],
  ["vault://secret/app#", "has an empty #FIELD"],
  ["vault://secret/app #f", "contains whitespace at character 19"],
  ["vault://secret/app\u00a0", "contains whitespace"],
];

test("malformed references: DS_REF_SYNTAX with a message naming the part", (t) => {
  for (const [raw, fragment] of malformed) {
    const error = t.throws(() => parseReference(raw), { instanceOf: DevsecretsError }, raw);
    t.is(error.code, "DS_REF_SYNTAX", raw);
    t.true(error.message.includes(fragment), `${raw}: "${error.message}" lacks "${fragment}"`);
  }
});

test("the where prefix leads the message", (t) => {
  const error = t.throws(() => parseReference("vault://secret", "devsecrets.env:4"), { instanceOf: DevsecretsError });
  t.is(error.message, 'devsecrets.env:4: vault reference needs MOUNT/PATH, got "secret"');
});

test("quoted reference text is capped at 80 characters", (t) => {
  const raw = `vault://${"a".repeat(300)}`;
  const error = t.throws(() => parseReference(raw), { instanceOf: DevsecretsError });
  const quotedParts = error.message.match(/"[^"]*"/g) ?? [];
  t.true(quotedParts.length > 0);
  for (const part of quotedParts) t.true(part.length <= 82, part);
  t.true(error.message.includes("…"));
});

test("a raw reference with a literal percent in a query value must encode it", (t) => {
  t.deepEqual(parseReference("sandbox://uuid?p=100%25").query, { p: "100%" });
  t.throws(() => parseReference("sandbox://uuid?p=100%"), { instanceOf: DevsecretsError });
});
