// daemon/sandbox/x509-der.ts against encodings known from the standards (the certificates themselves are checked by
// node:crypto and OpenSSL in tls.test.ts).

import test from "ava";
import { integer, ipBytes, namedBits, oid, time } from "../../../daemon/sandbox/x509-der.js";

test("OIDs, INTEGERs and KeyUsage bits encode as DER", (t) => {
  t.is(oid("1.2.840.10045.4.3.2").toString("hex"), "06082a8648ce3d040302");
  t.is(oid("2.5.29.19").toString("hex"), "0603551d13");
  t.is(integer(Buffer.from([0x80])).toString("hex"), "02020080");
  t.is(integer(Buffer.from([0, 0, 5])).toString("hex"), "020105");
  t.is(namedBits([0, 5, 6]).toString("hex"), "03020186");
  t.is(namedBits([0]).toString("hex"), "03020780");
});

test("times: UTCTime through 2049, GeneralizedTime after", (t) => {
  t.is(time(new Date("2026-12-06T21:00:05Z")).toString("latin1").slice(2), "261206210005Z");
  t.is(time(new Date("2050-01-01T00:00:00Z"))[0], 0x18);
});

test("IP literals become their 4 or 16 bytes", (t) => {
  t.is(ipBytes("10.1.2.3").toString("hex"), "0a010203");
  t.is(ipBytes("::1").toString("hex"), `${"00".repeat(15)}01`);
  t.is(ipBytes("fe80::1").toString("hex"), `fe80${"00".repeat(13)}01`);
  t.is(ipBytes("::ffff:10.1.2.3").toString("hex"), `${"00".repeat(10)}ffff0a010203`);
  t.is(ipBytes("1:2:3:4:5:6:7:8").toString("hex"), "00010002000300040005000600070008");
});
