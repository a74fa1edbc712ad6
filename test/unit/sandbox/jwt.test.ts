// JWT kinds: the HS256 session secret, RS256/ES256 tokens, claims, and the session JWKS.

import test from "ava";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from "jose";
import { sessionJwks } from "../../../daemon/sandbox/jwks.js";
import { MemorySandboxSession } from "../../../daemon/sandbox/sandbox-session.js";
import { mintContext, mintValue } from "../../helpers/sandbox-session.js";

test("jwt/hs256 without claims is the session secret: base64url of 32 bytes", async (t) => {
  const secret = await mintValue("jwt/hs256");
  t.regex(secret, /^[A-Za-z0-9_-]{43}$/);
  t.is(Buffer.from(secret, "base64url").length, 32);
});

test("jwt/hs256 with claims is a token that verifies with the session secret as apps use it", async (t) => {
  const session = new MemorySandboxSession();
  const secret = await mintValue("jwt/hs256", mintContext({ session }));
  const token = await mintValue("jwt/hs256", mintContext({ session, claims: { sub: "user-42", role: "admin" } }));
  const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret));
  t.is(protectedHeader.alg, "HS256");
  t.is(payload.sub, "user-42");
  t.is(payload.role, "admin");
  t.is((payload.exp ?? 0) - (payload.iat ?? 0), 3600);
});

for (const alg of ["RS256", "ES256"] as const) {
  const kind = `jwt/${alg.toLowerCase()}`;

  test(`${kind}: default claims, kid of the session key, verifies with the session JWKS`, async (t) => {
    const now = new Date("2030-01-01T00:00:00Z");
    const context = mintContext({ now });
    const token = await mintValue(kind, context);
    t.regex(token, /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const jwks = await sessionJwks(context.session);
    t.is(jwks.keys.length, 1);
    t.is(decodeProtectedHeader(token).kid, jwks.keys[0]?.kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { currentDate: now });
    t.is(payload.sub, "devsecrets-sandbox");
    t.is(payload.iat, now.getTime() / 1000);
    t.is(payload.exp, now.getTime() / 1000 + 3600);
    t.regex(String(payload.jti), /^[0-9a-f-]{36}$/);
  });

  test(`${kind}: with claims, those claims (iat and exp added when absent, kept when given)`, async (t) => {
    const context = mintContext({ claims: { sub: "alice", aud: "api", exp: 4102444800 } });
    const token = await mintValue(kind, context);
    const { payload } = await jwtVerify(token, createLocalJWKSet(await sessionJwks(context.session)), {
      audience: "api",
    });
    t.is(payload.sub, "alice");
    t.is(payload.exp, 4102444800);
    t.is(typeof payload.iat, "number");
  });
}

test("the session JWKS holds public keys only, only of keys already made, and reading it makes none", async (t) => {
  const session = new MemorySandboxSession();
  t.deepEqual(await sessionJwks(session), { keys: [] });
  t.deepEqual(await sessionJwks(session), { keys: [] });
  await mintValue("jwt/hs256", mintContext({ session }));
  t.deepEqual(await sessionJwks(session), { keys: [] }, "symmetric secrets never appear");
  await mintValue("jwt/es256", mintContext({ session }));
  await mintValue("jwt/rs256", mintContext({ session }));
  await mintValue("jwt/es256", mintContext({ session }));
  const { keys } = await sessionJwks(session);
  t.deepEqual(
    keys.map((k: JWK) => k.alg),
    ["ES256", "RS256"],
  );
  for (const key of keys) {
    for (const privateMember of ["d", "p", "q", "dp", "dq", "qi", "k"]) t.false(privateMember in key);
    t.regex(key.kid ?? "", /^[A-Za-z0-9_-]{43}$/);
    t.is(key.use, "sig");
  }
});

test("a token does not verify with another session's JWKS", async (t) => {
  const token = await mintValue("jwt/es256");
  const other = mintContext();
  await mintValue("jwt/es256", other);
  await t.throwsAsync(jwtVerify(token, createLocalJWKSet(await sessionJwks(other.session))));
});

test("the wipe zeroes the HS256 key and forgets every key", async (t) => {
  const session = new MemorySandboxSession();
  await mintValue("jwt/hs256", mintContext({ session, claims: { sub: "x" } }));
  await mintValue("jwt/rs256", mintContext({ session }));
  const hmac = session.getOrCreate("jwt/hs256", () => ({ text: "", key: Buffer.alloc(1, 1) }));
  t.true(hmac.key.some((byte) => byte !== 0));
  t.true((await session.destroy()) >= 3);
  t.true(hmac.key.every((byte) => byte === 0));
  t.deepEqual(await sessionJwks(session), { keys: [] });
});
