import test from "ava";
import { randomBytes } from "node:crypto";
import { ServedValues, MIN_FINGERPRINT_BYTES } from "../../../daemon/guard/served-values.js";
import { ServedMatcher } from "../../../cli/scan/served-check.js";

test("fingerprints name no value: hashes, lengths and kinds only", (t) => {
  const served = new ServedValues();
  const value = `pw-${randomBytes(16).toString("hex")}`;
  served.record(value, null);
  served.record("short", null);
  const answer = served.fingerprints();
  t.is(answer.entries.length, 1, `values under ${MIN_FINGERPRINT_BYTES} bytes are not recorded`);
  t.is(answer.entries[0]?.length, Buffer.byteLength(value));
  t.is(answer.entries[0]?.sandboxKind, null);
  t.false(JSON.stringify(answer).includes(value));
});

test("a value served as real stays real when it is also recorded as sandbox", (t) => {
  const served = new ServedValues();
  served.record("0123456789abcdef", "random/hex");
  t.is(served.fingerprints().entries[0]?.sandboxKind, "random/hex");
  served.record("0123456789abcdef", null);
  t.is(served.fingerprints().entries[0]?.sandboxKind, null);
  t.is(served.size, 1);
});

test("the wipe forgets every fingerprint and zeroes the salt; later records are ignored", (t) => {
  const served = new ServedValues();
  served.record("a-served-value-123", null);
  served.wipe();
  served.record("another-value-456", null);
  const answer = served.fingerprints();
  t.is(answer.entries.length, 0);
  t.is(answer.salt, "0".repeat(64));
});

test("the matcher finds served values anywhere in a file, with their kinds, and nothing else", (t) => {
  const served = new ServedValues();
  const real = randomBytes(20).toString("base64");
  const fake = `ghp_${randomBytes(18).toString("hex")}`;
  served.record(real, null);
  served.record(fake, "github/pat");
  const matcher = new ServedMatcher(served.fingerprints());
  const noise = randomBytes(50_000).toString("base64");
  const text = `${noise}\nX=${real}\ninline${fake}tail ${noise}`;
  const hits = matcher.find(Buffer.from(text));
  t.deepEqual(
    hits.map((h) => [text.slice(h.start, h.start + h.length), h.sandboxKind]),
    [
      [real, null],
      [fake, "github/pat"],
    ],
  );
  t.is(matcher.lookup(real), null);
  t.is(matcher.lookup(fake), "github/pat");
  t.is(matcher.lookup("not-served-at-all"), undefined);
});

test("multi-byte values are matched by their UTF-8 bytes", (t) => {
  const served = new ServedValues();
  const value = "pässwörd-🔑-geheim";
  served.record(value, null);
  const matcher = new ServedMatcher(served.fingerprints());
  const data = Buffer.from(`ünïcødé before ${value} after`);
  const hits = matcher.find(data);
  t.is(hits.length, 1);
  t.is(data.subarray(hits[0]!.start, hits[0]!.start + hits[0]!.length).toString(), value);
});
