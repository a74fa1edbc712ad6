// The session's development certificate authority and the leaf certificates it signs (EC P-256).
// Rule: one CA per session, valid at most 30 days; its private key lives only in the SandboxSession.

import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import { isIP } from "node:net";
import type * as X509 from "@peculiar/x509";
import type { SandboxSession } from "./sandbox-kind.js";

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
/** Node's WebCrypto, passed explicitly so no global provider is set */
const crypto = webcrypto as unknown as NonNullable<Parameters<typeof X509.X509CertificateGenerator.create>[1]>;

/** loaded on the first certificate, not at daemon start: the library and its polyfill cost ~100 ms to import */
async function loadX509(): Promise<typeof X509> {
  // @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API first
  await import("reflect-metadata");
  return import("@peculiar/x509");
}
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_VALIDITY_DAYS = 30;
/** backdating absorbs small clock differences between this host and a container or VM */
const BACKDATE_MS = 5 * 60 * 1000;

export interface DevCa {
  certificate: X509.X509Certificate;
  keys: CryptoKeyPair;
  certPem: string;
  keyPem: string;
}

export interface LeafCertificate {
  certPem: string;
  keyPem: string;
}

export function sessionCa(session: SandboxSession, now: Date): Promise<DevCa> {
  return session.getOrCreate("tls/ca", () => createDevCa(now));
}

async function createDevCa(now: Date): Promise<DevCa> {
  const x509 = await loadX509();
  const keys = (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const shortId = randomBytes(4).toString("hex");
  const name = `CN=devsecrets dev CA ${shortId}, O=devsecrets sandbox`;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + MAX_VALIDITY_DAYS * DAY_MS),
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certificate, keys, certPem: certificatePem(certificate), keyPem: await privateKeyPem(keys.privateKey) };
}

/** a server certificate for `hosts` (DNS names and IP literals), signed by the session CA */
export async function issueLeaf(ca: DevCa, hosts: readonly string[], now: Date): Promise<LeafCertificate> {
  const x509 = await loadX509();
  const keys = (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const notAfter = Math.min(now.getTime() + MAX_VALIDITY_DAYS * DAY_MS, ca.certificate.notAfter.getTime());
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: `CN=${hosts[0] ?? "localhost"}, O=devsecrets sandbox`,
      issuer: ca.certificate.subject,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(notAfter),
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(
          hosts.map((host) => ({ type: isIP(host) === 0 ? ("dns" as const) : ("ip" as const), value: host })),
          false,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: certificatePem(certificate), keyPem: await privateKeyPem(keys.privateKey) };
}

/** PEM ending in a newline, so that certificates concatenate into a valid chain file */
function certificatePem(certificate: X509.X509Certificate): string {
  return `${certificate.toString("pem").replace(/\r\n/g, "\n").trimEnd()}\n`;
}

/** PKCS#8 PEM through node:crypto's own encoder; the DER bytes are zeroed once encoded */
async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", key));
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({
      format: "pem",
      type: "pkcs8",
    }) as string;
  } finally {
    der.fill(0);
  }
}

/** 16 random bytes with the top bit clear: a positive serial, as RFC 5280 requires */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}
