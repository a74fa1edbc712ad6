// SDK acceptance: vendor SDKs and standard clients accept sandbox credentials against local stand-ins.
// Rule: real SDKs, a real stripe-mock, a real SigV4 check, real TLS handshakes (node and curl).

import test from "ava";
import { execFile } from "node:child_process";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer, get as httpsGet } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createLocalJWKSet, jwtVerify } from "jose";
import Stripe from "stripe";
import { sessionJwks } from "../../daemon/sandbox/jwks.js";
import { mintContext, mintFields, mintValue } from "../helpers/sandbox-session.js";
import { startStripeMock } from "../helpers/stripe-mock.js";

const run = promisify(execFile);

test("stripe: the SDK creates a customer on stripe-mock with a sandbox secret key", async (t) => {
  const mock = await startStripeMock();
  t.teardown(() => mock.stop());
  const config = { host: "127.0.0.1", port: mock.port, protocol: "http" as const, maxNetworkRetries: 0 };
  const stripe = new Stripe(await mintValue("stripe/secret-key"), config);
  const customer = await stripe.customers.create({ email: "dev@example.test", name: "Sandbox Customer" });
  t.regex(customer.id, /^cus_/);
  const restricted = new Stripe(await mintValue("stripe/restricted-key"), config);
  t.is((await restricted.customers.list({ limit: 1 })).object, "list");
  // stripe-mock checks the key's shape: the same body in live mode is refused, so the check above means something
  const live = new Stripe((await mintValue("stripe/secret-key")).replace("_test_", "_live_"), config);
  const error = await t.throwsAsync(live.customers.create({ email: "dev@example.test" }));
  t.is((error as { statusCode?: number }).statusCode, 401);
});

test("stripe: a sandbox webhook secret signs and verifies an event with the SDK", async (t) => {
  const secret = await mintValue("stripe/webhook-secret");
  const stripe = new Stripe(await mintValue("stripe/secret-key"));
  const payload = JSON.stringify({ id: "evt_test", object: "event", type: "customer.created" });
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
  t.is(stripe.webhooks.constructEvent(payload, header, secret).id, "evt_test");
  t.throws(() =>
    stripe.webhooks.constructEvent(payload, header, secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A")),
  );
});

/** A loopback S3 stand-in that verifies AWS Signature Version 4 by hand, from the received request. */
async function sigv4Server(secrets: Map<string, string>): Promise<{ port: number; verified: string[]; close(): void }> {
  const verified: string[] = [];
  const server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const accessKeyId = verifySigV4(req, Buffer.concat(chunks), secrets);
    if (accessKeyId === null) {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end("<Error><Code>SignatureDoesNotMatch</Code><Message>signature mismatch</Message></Error>");
      return;
    }
    verified.push(accessKeyId);
    res.writeHead(200, { etag: '"0"' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, verified, close: () => server.close() };
}

function verifySigV4(req: IncomingMessage, body: Buffer, secrets: Map<string, string>): string | null {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (auth === null) return null;
  const [, accessKeyId = "", date = "", region = "", service = "", signedHeaders = "", signature = ""] = auth;
  const secret = secrets.get(accessKeyId);
  const payloadHash = String(req.headers["x-amz-content-sha256"]);
  if (secret === undefined || payloadHash !== createHash("sha256").update(body).digest("hex")) return null;
  const url = new URL(req.url ?? "/", "http://placeholder");
  const query = [...url.searchParams]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)])
    .sort(([a = "", x = ""], [b = "", y = ""]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const names = signedHeaders.split(";");
  const headers = names
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = [
    "AWS4-HMAC-SHA256",
    String(req.headers["x-amz-date"]),
    scope,
    createHash("sha256").update(canonical).digest("hex"),
  ].join("\n");
  let key: Buffer = Buffer.from(`AWS4${secret}`);
  for (const part of [date, region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const expected = createHmac("sha256", key).update(toSign).digest();
  return timingSafeEqual(expected, Buffer.from(signature, "hex")) ? accessKeyId : null;
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function s3Client(
  port: number,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): S3Client {
  return new S3Client({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

test("aws: the S3 client signs with a sandbox key pair; the signature verifies with the same secret", async (t) => {
  const keys = await mintFields("aws/access-key");
  const session = await mintFields("aws/session");
  const secrets = new Map([
    [keys.id ?? "", keys.secret ?? ""],
    [session.id ?? "", session.secret ?? ""],
  ]);
  const server = await sigv4Server(secrets);
  t.teardown(() => server.close());
  const put = new PutObjectCommand({ Bucket: "sandbox-bucket", Key: "notes/hello world.txt", Body: "hello" });

  await s3Client(server.port, { accessKeyId: keys.id ?? "", secretAccessKey: keys.secret ?? "" }).send(put);
  await s3Client(server.port, {
    accessKeyId: session.id ?? "",
    secretAccessKey: session.secret ?? "",
    sessionToken: session.token ?? "",
  }).send(put);
  t.deepEqual(server.verified, [keys.id, session.id]);

  const wrong = (await mintFields("aws/access-key")).secret ?? "";
  const error = await t.throwsAsync(
    s3Client(server.port, { accessKeyId: keys.id ?? "", secretAccessKey: wrong }).send(put),
  );
  t.is(error?.name, "SignatureDoesNotMatch");
  t.is(server.verified.length, 2);
});

for (const kind of ["jwt/rs256", "jwt/es256"]) {
  test(`${kind}: jose verifies a token with the session JWKS; a fresh session's JWKS does not`, async (t) => {
    const context = mintContext();
    const token = await mintValue(kind, context);
    const { payload } = await jwtVerify(token, createLocalJWKSet(await sessionJwks(context.session)));
    t.is(payload.sub, "devsecrets-sandbox");
    const fresh = mintContext();
    await mintValue(kind, fresh);
    await t.throwsAsync(jwtVerify(token, createLocalJWKSet(await sessionJwks(fresh.session))));
  });
}

test("tls: an https server with a tls/cert leaf is trusted by node and by curl given the session CA", async (t) => {
  const context = mintContext();
  const leaf = await mintFields("tls/cert", context);
  const server = createHttpsServer({ key: leaf.key, cert: leaf.chain }, (_req, res) => res.end("sandbox-ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const fetchBody = (options: { ca?: string; servername?: string }) =>
    new Promise<string>((resolve, reject) => {
      httpsGet({ host: "127.0.0.1", port, path: "/", agent: false, ...options }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        res.on("end", () => resolve(body));
      }).on("error", reject);
    });
  t.is(await fetchBody({ ca: leaf.ca ?? "", servername: "localhost" }), "sandbox-ok");
  t.is(await fetchBody({ ca: leaf.ca ?? "" }), "sandbox-ok"); // 127.0.0.1 is an IP SAN
  await t.throwsAsync(fetchBody({ servername: "localhost" }), { code: "SELF_SIGNED_CERT_IN_CHAIN" }); // the server sends leaf + CA
  const other = await mintFields("tls/ca");
  await t.throwsAsync(fetchBody({ ca: other.cert ?? "", servername: "localhost" }));

  const dir = mkdtempSync(join(tmpdir(), "devsecrets-tls-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, leaf.ca ?? "", { mode: 0o600 });
  const curl = await run("curl", [
    "--silent",
    "--show-error",
    "--fail",
    "--max-time",
    "10",
    "--cacert",
    caFile,
    `https://localhost:${port}/`,
  ]).catch((error: Error) => {
    throw new Error(`curl failed (is curl installed? \`bash .ci/run\` sets the machine up): ${error.message}`);
  });
  t.is(curl.stdout, "sandbox-ok");
  const refused = await run("curl", ["--silent", "--fail", "--max-time", "10", `https://localhost:${port}/`]).then(
    () => false,
    () => true,
  );
  t.true(refused, "curl without the CA must refuse the certificate");
});
