// The user's production patterns (DESIGN "Where credentials may go"): `*` within a segment, `**` across, matched on
// scheme and path without the query. Rule: the matcher alone; the OpenBao case is test/security/production-paths.test.ts.

import test from "ava";
import {
  matchProduction,
  parseProductionList,
  parseProductionPattern,
} from "../../../daemon/resolve/production-paths.js";

const patterns = parseProductionList(
  ["vault://secret/prod/**", "vault://kv-*/payments/*", "aws-sm://prod/**"],
  "config.json",
);
const is = (scheme: string, path: string) => matchProduction(patterns, { scheme, path })?.text ?? null;

test("** crosses segments, * stays within one, the scheme must match", (t) => {
  t.is(is("vault", "secret/prod/app"), "vault://secret/prod/**");
  t.is(is("vault", "secret/prod/team/app/deep"), "vault://secret/prod/**");
  t.is(is("vault", "secret/production/app"), null);
  t.is(is("vault", "secret/prod"), null);
  t.is(is("vault", "kv-eu/payments/stripe"), "vault://kv-*/payments/*");
  t.is(is("vault", "kv-eu/payments/stripe/live"), null);
  t.is(is("vault", "kv/eu/payments/stripe"), null);
  t.is(is("aws-sm", "prod/db"), "aws-sm://prod/**");
  t.is(is("sandbox", "secret/prod/app"), null);
});

test("regex characters in a pattern are literal; a leading slash of the path does not matter", (t) => {
  const [dot] = parseProductionList(["vault://secret/a.b/(x)/**"], "config.json");
  t.truthy(matchProduction([dot!], { scheme: "vault", path: "secret/a.b/(x)/y" }));
  t.is(matchProduction([dot!], { scheme: "vault", path: "secret/aXb/(x)/y" }), null);
  const [ssm] = parseProductionList(["aws-ssm:///prod/**"], "config.json");
  t.truthy(matchProduction([ssm!], { scheme: "aws-ssm", path: "/prod/db/password" }));
});

test("a pattern with a query, without a scheme, or not a string is DS_CONFIG_INVALID naming the file", (t) => {
  for (const bad of ["vault://secret/prod/**?env=prod", "secret/prod/**", 42, "vault://"]) {
    const error = t.throws(() => parseProductionPattern(bad, "/home/me/.config/devsecrets/config.json"));
    t.is((error as { code?: string }).code, "DS_CONFIG_INVALID");
    t.true(error?.message.startsWith("/home/me/.config/devsecrets/config.json:"));
  }
  t.is((t.throws(() => parseProductionList("vault://x/**", "c.json")) as { code?: string }).code, "DS_CONFIG_INVALID");
  t.deepEqual(parseProductionList(undefined, "c.json"), []);
});
