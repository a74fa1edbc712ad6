// No two mints are equal: 10,000 per cheap kind, 200 for RSA and TLS; per-session material differs across sessions.

import test from "ava";
import { mintKind } from "../../../daemon/sandbox/mint.js";
import { listKinds } from "../../../daemon/sandbox/registry.js";
import { mintContext, mintFields, mintValue } from "../../helpers/sandbox-session.js";

/** kinds whose value is per-session by design, or too slow for 10,000: tested below */
const SPECIAL = new Set(["jwt/hs256", "jwt/rs256", "tls/ca", "tls/cert"]);

async function distinctPerField(kind: string, count: number): Promise<Record<string, number>> {
  const context = mintContext();
  const seen: Record<string, Set<string>> = {};
  for (let i = 0; i < count; i++) {
    const { minted } = await mintKind(kind, {}, context);
    const fields = "value" in minted ? { value: minted.value } : minted.fields;
    for (const [name, secret] of Object.entries(fields)) (seen[name] ??= new Set()).add(secret.reveal());
  }
  return Object.fromEntries(Object.entries(seen).map(([name, set]) => [name, set.size]));
}

// live kinds mint real credentials on a server: test/integration/sandbox-postgres.test.ts covers them
for (const kind of listKinds().filter((k) => !SPECIAL.has(k.kind) && !k.live)) {
  test(`${kind.kind}: 10,000 mints, no two equal in any field`, async (t) => {
    const sizes = await distinctPerField(kind.kind, 10_000);
    t.deepEqual(sizes, Object.fromEntries(kind.fields.map((name) => [name, 10_000])));
  });
}

test("jwt/rs256: 200 tokens of one session, no two equal", async (t) => {
  t.deepEqual(await distinctPerField("jwt/rs256", 200), { value: 200 });
});

test("tls/cert: 200 leaves of one session, distinct certs and keys, one CA", async (t) => {
  t.deepEqual(await distinctPerField("tls/cert", 200), { cert: 200, key: 200, chain: 200, ca: 1 });
});

test("per-session material: the same within a session, different across sessions", async (t) => {
  const secrets = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const context = mintContext();
    const secret = await mintValue("jwt/hs256", context);
    t.is(await mintValue("jwt/hs256", context), secret);
    secrets.add(secret);
  }
  t.is(secrets.size, 1000);
  const cas = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const context = mintContext();
    const ca = await mintFields("tls/ca", context);
    t.deepEqual(await mintFields("tls/ca", context), ca);
    cas.add(ca.key ?? "");
  }
  t.is(cas.size, 20);
});
