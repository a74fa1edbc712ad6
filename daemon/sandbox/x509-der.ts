// The few DER shapes an X.509 certificate of the dev CA needs (RFC 5280), written by hand: the one library that did
// this (@peculiar/x509 with its asn1 stack, tsyringe and reflect-metadata) cost 5 MB installed for two certificates.
// Rule: encodes only, from values the caller built; nothing here parses untrusted input.

import { isIPv4 } from "node:net";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let left = n; left > 0; left = Math.floor(left / 256)) bytes.unshift(left & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** one tag-length-value */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

export const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
export const set = (...items: Buffer[]) => tlv(0x31, ...items);
export const octets = (bytes: Buffer) => tlv(0x04, bytes);
export const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
export const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]));
/** [n] EXPLICIT, constructed */
export const explicit = (n: number, ...content: Buffer[]) => tlv(0xa0 | n, ...content);
/** [n] IMPLICIT of a primitive */
export const implicit = (n: number, bytes: Buffer) => tlv(0x80 | n, bytes);

/** a non-negative INTEGER from big-endian bytes (a zero byte is prepended when the top bit is set) */
export function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const out = [40 * (first ?? 0) + (second ?? 0)];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let left = Math.floor(arc / 128); left > 0; left = Math.floor(left / 128))
      groups.unshift((left & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BIT STRING of whole bytes */
export const bitString = (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes);

/** KeyUsage's named bits (0 = digitalSignature, 5 = keyCertSign, 6 = cRLSign) as a BIT STRING, trailing zeros cut */
export function namedBits(bits: readonly number[]): Buffer {
  const last = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(last / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return tlv(0x03, Buffer.from([7 - (last & 7)]), bytes);
}

/** UTCTime through 2049, GeneralizedTime after, to the second (RFC 5280 4.1.2.5) */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

/** a Name of one RDN per attribute, in the order given: [["2.5.4.3", "name"], ["2.5.4.10", "org"]] */
export function name(attributes: readonly (readonly [string, string])[]): Buffer {
  return sequence(...attributes.map(([type, value]) => set(sequence(oid(type), utf8(value)))));
}

/** an Extension: extnID, critical (only when true, as DER wants defaults left out), extnValue */
export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octets(value)) : sequence(oid(id), octets(value));
}

/** the 4 or 16 bytes of an IP literal (IPv6 with :: and an embedded IPv4 tail) */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  const [head = "", tail] = ip.split("::");
  const groups = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(":").flatMap((group) => {
      if (isIPv4(group)) {
        const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [Number.parseInt(group, 16)];
    });
  };
  const left = groups(head);
  const right = groups(tail);
  const words = tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const bytes = Buffer.alloc(16);
  for (const [i, word] of words.entries()) bytes.writeUInt16BE(word, i * 2);
  return bytes;
}

export function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
