// mintKind and selectField: unknown kinds with suggestions, field rules, and the registry's shape.

import test from "ava";
import { DevsecretsError } from "../../../common/errors.js";
import { closestKinds, mintKind, selectField } from "../../../daemon/sandbox/mint.js";
import { findKind, listKinds } from "../../../daemon/sandbox/registry.js";
import { Secret } from "../../../common/secret.js";
import { mintContext } from "../../helpers/sandbox-session.js";

test("an unknown kind is DS_SANDBOX_KIND with the closest kind names in the hint", async (t) => {
  const error = await t.throwsAsync(mintKind("stripe/secret", {}, mintContext()), { instanceOf: DevsecretsError });
  t.is(error?.code, "DS_SANDBOX_KIND");
  t.is(error?.message, 'unknown sandbox kind "stripe/secret"');
  t.regex(error?.hint ?? "", /^did you mean stripe\/secret-key, .*\? `devsecrets sandbox kinds` lists them all$/);
});

test("suggestions prefer the vendor, then spelling", (t) => {
  t.deepEqual(closestKinds("github/pta")[0], "github/pat");
  t.deepEqual(closestKinds("aws"), ["aws/session", "aws/endpoint", "aws/access-key"]);
  t.deepEqual(closestKinds("uuidd"), ["uuid"]);
  t.deepEqual(closestKinds("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"), []);
});

test("a kind with no close match still points at `sandbox kinds`", async (t) => {
  const error = await t.throwsAsync(mintKind("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", {}, mintContext()), {
    instanceOf: DevsecretsError,
  });
  t.is(error?.hint, "`devsecrets sandbox kinds` lists them all");
});

test("options are validated before minting", async (t) => {
  const error = await t.throwsAsync(mintKind("random/hex", { length: "3" }, mintContext()), {
    instanceOf: DevsecretsError,
  });
  t.is(error?.code, "DS_SANDBOX_OPTION");
});

test("a one-field kind: no field or #value selects the value, anything else is DS_SANDBOX_FIELD", async (t) => {
  const { kind, minted } = await mintKind("github/pat", {}, mintContext());
  const value = selectField(kind, minted, null, "sandbox://github/pat");
  t.true(value instanceof Secret);
  t.is(selectField(kind, minted, "value", "sandbox://github/pat#value"), value);
  const error = t.throws(() => selectField(kind, minted, "id", "sandbox://github/pat#id"), {
    instanceOf: DevsecretsError,
  });
  t.is(error?.code, "DS_SANDBOX_FIELD");
  t.is(error?.message, 'sandbox://github/pat#id: sandbox kind github/pat has a single value and no field "id"');
});

test("a multi-field kind needs a field and lists its fields", async (t) => {
  const { kind, minted } = await mintKind("aws/access-key", {}, mintContext());
  t.regex(selectField(kind, minted, "id", "sandbox://aws/access-key#id").reveal(), /^AKIA/);
  const none = t.throws(() => selectField(kind, minted, null, "sandbox://aws/access-key"), {
    instanceOf: DevsecretsError,
  });
  t.is(none?.code, "DS_SANDBOX_FIELD");
  t.is(
    none?.message,
    "sandbox://aws/access-key: sandbox kind aws/access-key has fields id, secret; the reference names none",
  );
  t.is(none?.hint, "add the field, e.g. sandbox://aws/access-key#id");
  const wrong = t.throws(() => selectField(kind, minted, "value", "sandbox://aws/access-key#value"), {
    instanceOf: DevsecretsError,
  });
  t.is(
    wrong?.message,
    'sandbox://aws/access-key#value: sandbox kind aws/access-key has no field "value"; its fields are id, secret',
  );
  t.throws(() => selectField(kind, minted, "toString", "sandbox://aws/access-key#toString"), {
    instanceOf: DevsecretsError,
  });
});

test("the registry: unique kebab-case vendor/what names, findKind agrees with listKinds", (t) => {
  const names = listKinds().map((k) => k.kind);
  t.is(new Set(names).size, names.length);
  t.true(names.length >= 24);
  for (const k of listKinds()) {
    t.regex(k.kind, /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)?$/);
    t.is(findKind(k.kind), k);
    t.true(k.summary.length > 10);
    t.true(k.fields.length > 0);
  }
  t.is(findKind("nope"), undefined);
  t.is(findKind("toString"), undefined);
});

test("every kind mints exactly its declared fields, each a Secret that prints [redacted]", async (t) => {
  // live kinds need a server: test/integration/sandbox-postgres.test.ts checks their fields
  for (const k of listKinds().filter((kind) => !kind.live)) {
    const { minted } = await mintKind(k.kind, {}, mintContext());
    const fields = "value" in minted ? { value: minted.value } : minted.fields;
    t.deepEqual(Object.keys(fields), [...k.fields], k.kind);
    for (const secret of Object.values(fields)) {
      t.true(secret instanceof Secret);
      t.is(`${secret}`, "[redacted]");
      t.is(JSON.stringify({ secret }), '{"secret":"[redacted]"}');
    }
  }
});
