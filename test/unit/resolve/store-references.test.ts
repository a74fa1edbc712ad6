// The platform-store schemes in the reference parser (issue 21): aws-sm:// names and ARNs, aws-ssm:///paths with their
// leading '/', the query keys each takes, and DS_REF_SYNTAX for everything else.

import test from "ava";
import { DevsecretsError } from "../../../common/errors.js";
import { isReference, parseReference } from "../../../daemon/resolve/reference-parser.js";
import { valueIdentity } from "../../../daemon/resolve/reference.js";

test("aws-sm:// takes a name with '/', an ARN with ':' percent-encoded, a version stage or id, a region", (t) => {
  const ref = parseReference("aws-sm://prod/db?version-stage=AWSPREVIOUS#password");
  t.deepEqual(
    [ref.scheme, ref.path, ref.query, ref.field],
    ["aws-sm", "prod/db", { "version-stage": "AWSPREVIOUS" }, "password"],
  );
  const arn = parseReference("aws-sm://arn%3Aaws%3Asecretsmanager%3Aeu-west-1%3A123456789012%3Asecret%3Aapp-AbCdEf");
  t.is(arn.path, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf");
  t.is(parseReference("aws-sm://app?region=eu-west-1").query.region, "eu-west-1");
  t.true(isReference("aws-sm://x") && isReference("aws-ssm:///x"));
  // fields of one secret share one fetch: the identity ignores #FIELD
  t.is(valueIdentity(parseReference("aws-sm://a/b#x")), valueIdentity(parseReference("aws-sm://a/b#y")));
});

test("aws-ssm:/// keeps the leading '/'", (t) => {
  const ref = parseReference("aws-ssm:///app/db/password?region=us-east-2");
  t.is(ref.path, "/app/db/password");
  t.is(ref.query.region, "us-east-2");
});

test("sops:// takes a path inside the project and a dot path", (t) => {
  const ref = parseReference("sops://secrets/dev.yaml#db.password");
  t.deepEqual([ref.scheme, ref.path, ref.field], ["sops", "secrets/dev.yaml", "db.password"]);
});

for (const [text, why] of [
  ["sops:///etc/shadow#x", /relative to the project root/],
  ["sops://../up.yaml#x", /'\.\.' path segment/],
  ["sops://a/%2E%2E/b#x", /'\.\.' path segment/],
  ["sops://a.yaml?region=eu-west-1#x", /does not take query parameter/],
  ["aws-sm://", /needs a secret NAME or ARN/],
  ["aws-sm://a b", /whitespace/],
  ["aws-sm://app?version=2", /does not take query parameter "version"/],
  ["aws-sm://app?version-stage=A&version-id=B", /not both/],
  ["aws-sm://app?region=mars", /region .* must look like/],
  ["aws-sm://a%2A", /needs a secret NAME or ARN/],
  ["aws-ssm://app/db", /leading '\/'/],
  ["aws-ssm:///app//db", /leading '\/'/],
  ["aws-ssm:///app?version-stage=AWSCURRENT", /does not take query parameter/],
] as const) {
  test(`DS_REF_SYNTAX: ${text}`, (t) => {
    const error = t.throws(() => parseReference(text, "devsecrets.env:3"));
    t.true(error instanceof DevsecretsError);
    t.is((error as DevsecretsError).code, "DS_REF_SYNTAX");
    t.regex(error?.message ?? "", why);
    t.regex(error?.message ?? "", /^devsecrets\.env:3: /);
  });
}
