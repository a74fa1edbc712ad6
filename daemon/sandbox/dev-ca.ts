// The session's development certificate authority and the leaf certificates it signs (EC P-256, ECDSA with SHA-256).
// Rule: one CA per session, valid at most 30 days; its private key lives only in the SandboxSession. Certificates are
// encoded by x509-der.ts and signed by node:crypto.

import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";
import {
  bitString,
  boolean,
  explicit,
  extension,
  implicit,
  integer,
  ipBytes,
  name,
  namedBits,
  octets,
  oid,
  pem,
  sequence,
  time,
} from "./x509-der.js";
import type { SandboxSession } from "./sandbox-kind.js";

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_VALIDITY_DAYS = 30;
/** backdating absorbs small clock differences between this host and a container or VM */
const BACKDATE_MS = 5 * 60 * 1000;

const ECDSA_WITH_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));
const CN = "2.5.4.3";
const O = "2.5.4.10";
const EXT = {
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
};
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
/** KeyUsage bits */
const DIGITAL_SIGNATURE = 0;
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;

export interface DevCa {
  /** the CA's Name, DER: a leaf's issuer must be these very bytes */
  subject: Buffer;
  notAfter: Date;
  privateKey: KeyObject;
  keyId: Buffer;
  certPem: string;
  keyPem: string;
}

export interface LeafCertificate {
  certPem: string;
  keyPem: string;
}

export function sessionCa(session: SandboxSession, now: Date): Promise<DevCa> {
  return session.getOrCreate("tls/ca", async () => createDevCa(now));
}

function createDevCa(now: Date): DevCa {
  const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const subject = name([
    [CN, `devsecrets dev CA ${randomBytes(4).toString("hex")}`],
    [O, "devsecrets sandbox"],
  ]);
  const keyId = keyIdentifier(keys.publicKey);
  const notAfter = new Date(now.getTime() + MAX_VALIDITY_DAYS * DAY_MS);
  const der = certificate({
    issuer: subject,
    subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [
      extension(EXT.basicConstraints, true, sequence(boolean(true), integer(Buffer.from([0])))),
      extension(EXT.keyUsage, true, namedBits([DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN])),
      extension(EXT.subjectKeyId, false, octets(keyId)),
    ],
  });
  return {
    subject,
    notAfter,
    privateKey: keys.privateKey,
    keyId,
    certPem: pem("CERTIFICATE", der),
    keyPem: privateKeyPem(keys.privateKey),
  };
}

/** a server certificate for `hosts` (DNS names and IP literals), signed by the session CA */
export async function issueLeaf(ca: DevCa, hosts: readonly string[], now: Date): Promise<LeafCertificate> {
  const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const notAfter = Math.min(now.getTime() + MAX_VALIDITY_DAYS * DAY_MS, ca.notAfter.getTime());
  const names = hosts.map((host) =>
    isIP(host) === 0 ? implicit(2, Buffer.from(host, "ascii")) : implicit(7, ipBytes(host)),
  );
  const der = certificate({
    issuer: ca.subject,
    subject: name([
      [CN, hosts[0] ?? "localhost"],
      [O, "devsecrets sandbox"],
    ]),
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      extension(EXT.basicConstraints, true, sequence()),
      extension(EXT.keyUsage, true, namedBits([DIGITAL_SIGNATURE])),
      extension(EXT.extKeyUsage, false, sequence(oid(SERVER_AUTH))),
      extension(EXT.subjectAltName, false, sequence(...names)),
      extension(EXT.subjectKeyId, false, octets(keyIdentifier(keys.publicKey))),
      extension(EXT.authorityKeyId, false, sequence(implicit(0, ca.keyId))),
    ],
  });
  return { certPem: pem("CERTIFICATE", der), keyPem: privateKeyPem(keys.privateKey) };
}

interface CertificateFields {
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
}

/** a v3 certificate, DER, signed with ECDSA over SHA-256 (node:crypto's signature is DER already) */
function certificate(fields: CertificateFields): Buffer {
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serialNumber()),
    ECDSA_WITH_SHA256,
    fields.issuer,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subject,
    fields.publicKey.export({ format: "der", type: "spki" }),
    explicit(3, sequence(...fields.extensions)),
  );
  return sequence(tbs, ECDSA_WITH_SHA256, bitString(sign("sha256", tbs, fields.signingKey)));
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the EC point, the SPKI's last 65 bytes for P-256) */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ format: "der", type: "spki" });
  return createHash("sha1")
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function privateKeyPem(key: KeyObject): string {
  return key.export({ format: "pem", type: "pkcs8" }) as string;
}

/** 16 random bytes with the top bit clear: a positive serial, as RFC 5280 requires */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes;
}
