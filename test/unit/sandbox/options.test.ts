// parseOptions: defaults, strict parsing, and DS_SANDBOX_OPTION messages naming option, allowed values and kind.

import test from "ava";
import { DevsecretsError } from "../../../common/errors.js";
import { parseOptions } from "../../../daemon/sandbox/options.js";
import { findKind, listKinds } from "../../../daemon/sandbox/registry.js";
import type { SandboxKind } from "../../../daemon/sandbox/sandbox-kind.js";

function kind(name: string): SandboxKind {
  const found = findKind(name);
  if (found === undefined) throw new Error(`no kind ${name}`);
  return found;
}

function refusal(t: import("ava").ExecutionContext, fn: () => unknown): DevsecretsError {
  const error = t.throws(fn, { instanceOf: DevsecretsError });
  t.is(error?.code, "DS_SANDBOX_OPTION");
  return error as DevsecretsError;
}

test("defaults fill options the query does not give", (t) => {
  t.deepEqual({ ...parseOptions(kind("random/password"), {}) }, { length: 32, symbols: "yes" });
  t.deepEqual({ ...parseOptions(kind("tls/cert"), {}) }, { hosts: ["localhost", "127.0.0.1", "::1"] });
  t.deepEqual({ ...parseOptions(kind("github/pat"), {}) }, {});
  t.deepEqual({ ...parseOptions(kind("stripe/secret-key"), {}) }, { account: undefined });
});

test("given values are parsed by type", (t) => {
  t.deepEqual(
    { ...parseOptions(kind("random/password"), { length: "8", symbols: "no" }) },
    { length: 8, symbols: "no" },
  );
  t.deepEqual(parseOptions(kind("tls/cert"), { hosts: "localhost, app.test,10.0.0.1,localhost" }).hosts, [
    "localhost",
    "app.test",
    "10.0.0.1",
  ]);
  t.is(parseOptions(kind("aws/access-key"), { account: "210987654321" }).account, "210987654321");
});

test("an int out of range names the option, the range and the kind", (t) => {
  for (const length of ["7", "257", "-1", "32.5", "1e2", "", " 32", "0x20"]) {
    const error = refusal(t, () => parseOptions(kind("random/password"), { length }));
    t.is(
      error.message,
      `option "length" of sandbox kind random/password must be an integer from 8 to 256 (got ${JSON.stringify(length)})`,
    );
  }
});

test("an enum value outside the set lists the values", (t) => {
  const error = refusal(t, () => parseOptions(kind("random/password"), { symbols: "maybe" }));
  t.is(
    error.message,
    'option "symbols" of sandbox kind random/password must be one of yes, true, 1, on, no, false, 0, off (got "maybe")',
  );
});

test("a pattern mismatch says what the value should look like", (t) => {
  const error = refusal(t, () => parseOptions(kind("aws/access-key"), { account: "12345" }));
  t.regex(
    error.message,
    /^option "account" of sandbox kind aws\/access-key must be the 12-digit account id .*, like 123456789012 \(got "12345"\)$/,
  );
  refusal(t, () => parseOptions(kind("stripe/secret-key"), { account: "acct_2short" }));
});

test("a bad list item is named", (t) => {
  for (const hosts of ["localhost,bad host", "localhost,", "-leading.test", "a..b"]) {
    const error = refusal(t, () => parseOptions(kind("tls/cert"), { hosts }));
    t.regex(error.message, /^option "hosts" of sandbox kind tls\/cert must be a comma-separated list of/);
  }
});

test("an unknown option names the kind's options, or says it takes none", (t) => {
  const error = refusal(t, () => parseOptions(kind("random/password"), { lenght: "20" }));
  t.is(error.message, 'sandbox kind random/password has no option "lenght"');
  t.regex(error.hint, /its options are length, symbols/);
  const none = refusal(t, () => parseOptions(kind("github/pat"), { scope: "repo" }));
  t.regex(none.hint, /github\/pat takes no options/);
});

test("a long option value is shortened in the message", (t) => {
  const error = refusal(t, () => parseOptions(kind("aws/access-key"), { account: "9".repeat(500) }));
  t.true(error.message.length < 250);
});

test("every option's default and example are valid for its own spec", (t) => {
  for (const k of listKinds()) {
    for (const [name, spec] of Object.entries(k.options)) {
      if (spec.type === "pattern" || spec.type === "list") {
        t.notThrows(() => parseOptions(k, { [name]: spec.example }), `${k.kind} ${name} example`);
      }
      if (spec.default !== undefined)
        t.notThrows(() => parseOptions(k, { [name]: String(spec.default) }), `${k.kind} ${name} default`);
    }
  }
});
