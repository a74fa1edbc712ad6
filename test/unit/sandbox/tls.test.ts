// TLS kinds checked with node:crypto's X509Certificate, independently of daemon/sandbox/x509-der.ts that encoded them.

import test from "ava";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { DevsecretsError } from "../../../common/errors.js";
import { mintKind } from "../../../daemon/sandbox/mint.js";
import { mintContext, mintFields } from "../../helpers/sandbox-session.js";

const DAY = 24 * 60 * 60 * 1000;
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

function samePublicKey(keyPem: string, cert: X509Certificate): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ format: "der", type: "spki" });
  return fromKey.equals(cert.publicKey.export({ format: "der", type: "spki" }));
}

test("tls/ca: a self-signed EC P-256 CA named devsecrets dev CA <id>, valid at most 30 days", async (t) => {
  const { cert, key } = await mintFields("tls/ca");
  const ca = new X509Certificate(cert ?? "");
  t.true(ca.ca);
  t.regex(ca.subject, /CN=devsecrets dev CA [0-9a-f]{8}/);
  t.is(ca.subject, ca.issuer);
  t.true(ca.verify(ca.publicKey));
  t.is(ca.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  t.true(Date.parse(ca.validTo) - Date.parse(ca.validFrom) <= 30 * DAY + 5 * 60 * 1000);
  t.regex(key ?? "", /^-----BEGIN PRIVATE KEY-----\n/);
  t.true(samePublicKey(key ?? "", ca));
});

test("tls/cert: leaf for the default hosts, signed by the session CA, serverAuth, at most 30 days", async (t) => {
  const context = mintContext();
  const { cert, key, chain, ca } = await mintFields("tls/cert", context);
  const leaf = new X509Certificate(cert ?? "");
  const authority = new X509Certificate(ca ?? "");
  t.is(ca, (await mintFields("tls/ca", context)).cert);
  t.false(leaf.ca);
  t.true(leaf.verify(authority.publicKey));
  t.true(leaf.checkIssued(authority));
  t.is(leaf.checkHost("localhost"), "localhost");
  t.is(leaf.checkIP("127.0.0.1"), "127.0.0.1");
  t.is(leaf.checkIP("::1"), "::1");
  t.is(leaf.checkHost("example.com"), undefined);
  t.deepEqual(leaf.keyUsage, [SERVER_AUTH]);
  t.true(Date.parse(leaf.validTo) - Date.now() <= 30 * DAY);
  t.true(Date.parse(leaf.validTo) <= Date.parse(authority.validTo));
  t.true(samePublicKey(key ?? "", leaf));
  t.is(chain, `${cert}${ca}`);
});

test("tls/cert?hosts= sets exactly the subjectAltNames, DNS and IP", async (t) => {
  const { cert } = await mintFields("tls/cert", mintContext(), { hosts: "app.test,*.app.test,10.1.2.3,fe80::1" });
  const leaf = new X509Certificate(cert ?? "");
  t.is(leaf.subjectAltName, "DNS:app.test, DNS:*.app.test, IP Address:10.1.2.3, IP Address:FE80:0:0:0:0:0:0:1");
  t.is(leaf.checkHost("api.app.test"), "*.app.test");
  t.is(leaf.checkHost("localhost"), undefined);
  t.regex(leaf.subject, /CN=app\.test/);
});

test("tls/cert refuses a host that only looks like IPv6", async (t) => {
  const error = await t.throwsAsync(mintKind("tls/cert", { hosts: "localhost,::1::2" }, mintContext()), {
    instanceOf: DevsecretsError,
  });
  t.is(error?.code, "DS_SANDBOX_OPTION");
  t.regex(
    error?.message ?? "",
    /option "hosts" of sandbox kind tls\/cert: "::1::2" is neither a DNS name nor an IP address/,
  );
});

test("every PEM ends in a newline, so cert + ca concatenate into a chain OpenSSL reads", async (t) => {
  const fields = await mintFields("tls/cert");
  for (const [name, pem] of Object.entries(fields)) t.regex(pem, /-----\n$/, name);
  t.is(fields.chain?.match(/-----BEGIN CERTIFICATE-----\n/g)?.length, 2);
  t.notThrows(() => new X509Certificate(fields.chain?.split(/(?<=-----END CERTIFICATE-----\n)/)[1] ?? ""));
});
