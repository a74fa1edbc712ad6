// common/durations.ts: a duration needs its unit, and a bound is a usage error naming what the user typed.

import test from "ava";
import { parseDuration } from "../../common/durations.js";
import { DevsecretsError } from "../../common/errors.js";

test("forms with units read as seconds", (t) => {
  t.is(parseDuration("30s", "--ttl"), 30);
  t.is(parseDuration("15m", "--ttl"), 900);
  t.is(parseDuration("8h", "--ttl"), 28800);
  t.is(parseDuration("1h30m", "--ttl"), 5400);
  t.is(parseDuration("2d", "--ttl"), 172800);
});

test("a bare number is refused, never read as seconds", (t) => {
  for (const text of ["5", "0", "3600"]) {
    const error = t.throws(() => parseDuration(text, "--ttl"), { instanceOf: DevsecretsError }) as DevsecretsError;
    t.is(error.code, "DS_USAGE");
    t.is(error.message, `--ttl "${text}" has no unit`);
    t.regex(error.hint, /5s, 5m, 8h/);
  }
});

test("out of bounds and garbage are DS_USAGE about the flag", (t) => {
  const bounds = { min: 1, max: 30 * 86400 };
  const zero = t.throws(() => parseDuration("0s", "--idle", bounds)) as DevsecretsError;
  t.is(zero.code, "DS_USAGE");
  t.is(zero.message, '--idle "0s" is out of range: it must be between 1s and 30d');
  t.is((t.throws(() => parseDuration("31d", "DEVSECRETS_TTL", bounds)) as DevsecretsError).code, "DS_USAGE");
  t.is(parseDuration("30d", "--ttl", bounds), 30 * 86400);
  t.regex((t.throws(() => parseDuration("5 minutes", "--ttl")) as DevsecretsError).message, /is not a duration/);
});
