// The output masker: every served value and its encodings become ****NAME, however the output is cut into chunks.
// Rule: compared against a naive leftmost-longest scanner; properties run with a fixed seed so a failure replays.

import test from "ava";
import fc from "fast-check";
import { createMasker, type Masker } from "../../../common/masking/masker.js";
import { maskPatterns, type MaskSecret } from "../../../common/masking/mask-patterns.js";

function maskAll(masker: Masker, chunks: readonly (string | Buffer)[]): string {
  const out = chunks.map((c) => masker.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
  out.push(masker.end());
  return Buffer.concat(out).toString("utf8");
}

const mask = (secrets: MaskSecret[], ...chunks: string[]) => maskAll(createMasker(secrets), chunks);

/** leftmost-longest, non-overlapping, byte by byte: the definition the automaton must agree with */
function naiveMask(secrets: MaskSecret[], text: Buffer): Buffer {
  const patterns = maskPatterns(secrets);
  const out: Buffer[] = [];
  let plainFrom = 0;
  for (let i = 0; i < text.length; ) {
    let best: (typeof patterns)[number] | undefined;
    for (const p of patterns) {
      if (p.bytes.length > (best?.bytes.length ?? 0) && text.subarray(i, i + p.bytes.length).equals(p.bytes)) best = p;
    }
    if (!best) {
      i++;
      continue;
    }
    out.push(text.subarray(plainFrom, i), best.replacement);
    i += best.bytes.length;
    plainFrom = i;
  }
  out.push(text.subarray(plainFrom));
  return Buffer.concat(out);
}

const TOKEN: MaskSecret = { name: "API_TOKEN", value: "sk_test_51HqLyjWDarjtT1zdp7dc" };

test("a whole value is replaced by ****NAME and every other byte is left as it was", (t) => {
  const text = `héllo ${TOKEN.value} wörld\r\n\x1b[31m${TOKEN.value}\x1b[0m`;
  t.is(mask([TOKEN], text), "héllo ****API_TOKEN wörld\r\n\x1b[31m****API_TOKEN\x1b[0m");
  t.is(mask([TOKEN], "nothing to see here\n"), "nothing to see here\n");
});

test("a value split at every byte position across two chunks is still masked", (t) => {
  const text = Buffer.from(`before ${TOKEN.value} after`);
  for (let cut = 0; cut <= text.length; cut++) {
    t.is(
      maskAll(createMasker([TOKEN]), [text.subarray(0, cut), text.subarray(cut)]),
      "before ****API_TOKEN after",
      `cut at ${cut}`,
    );
  }
});

test("a value with multi-byte characters split inside a character is still masked", (t) => {
  const secret = { name: "PASS", value: "pässwörd-🔑-x" };
  const text = Buffer.from(`[${secret.value}]`);
  for (let cut = 0; cut <= text.length; cut++) {
    t.is(maskAll(createMasker([secret]), [text.subarray(0, cut), text.subarray(cut)]), "[****PASS]", `cut at ${cut}`);
  }
});

test("base64 (with and without padding, and of the value followed by a newline), URL and JSON forms are masked", (t) => {
  const secret = { name: "DB_PASSWORD", value: 'p@ss w/"quote"&\\back\nline' };
  const b64 = Buffer.from(secret.value).toString("base64");
  t.true(b64.endsWith("="));
  t.is(mask([secret], `b64=${b64}`), `b64=****DB_PASSWORD${b64.match(/=+$/)![0]}`);
  t.is(mask([secret], `b64=${b64.replace(/=+$/, "")};`), "b64=****DB_PASSWORD;");
  // `echo "$DB_PASSWORD" | base64`: only the last character, which also encodes the newline, stays
  const echoed = Buffer.from(`${secret.value}\n`).toString("base64");
  t.false(mask([secret], echoed).includes(b64.slice(0, 20)));
  t.regex(mask([secret], echoed), /^\*\*\*\*DB_PASSWORD.{0,3}$/);
  t.is(mask([secret], `https://h/?p=${encodeURIComponent(secret.value)}&x=1`), "https://h/?p=****DB_PASSWORD&x=1");
  t.is(mask([secret], JSON.stringify({ password: secret.value })), '{"password":"****DB_PASSWORD"}');
});

test("one value a prefix of another: the longer one wins where it occurs, the shorter is masked alone", (t) => {
  const short = { name: "SHORT", value: "abcdef12" };
  const long = { name: "LONG", value: "abcdef1234567" };
  t.is(mask([short, long], "x abcdef1234567 y abcdef12 z abcdef123"), "x ****LONG y ****SHORT z ****SHORT3");
  t.is(mask([long, short], "abcdef1234567abcdef12"), "****LONG****SHORT");
  // the longer one split where the shorter one ends
  t.is(mask([short, long], "x abcdef12", "34567 y"), "x ****LONG y");
});

test("leftmost wins over a value that ends first inside it", (t) => {
  const inner = { name: "INNER", value: "cdefgh" };
  const outer = { name: "OUTER", value: "abcdefghij" };
  t.is(mask([inner, outer], "__abcdefghij__"), "__****OUTER__");
  t.is(mask([inner, outer], "__abcdefghiX__"), "__ab****INNERiX__");
  t.is(mask([outer, inner], "__abcdefghiX", "__"), "__ab****INNERiX__");
});

test("short values are not masked, and 6–7 byte values only as themselves", (t) => {
  const tiny = { name: "PORT", value: "3000" };
  const six = { name: "SIX", value: "abc123" };
  t.is(mask([tiny, six], "port 3000 and abc123"), "port 3000 and ****SIX");
  const sixB64 = Buffer.from(six.value).toString("base64");
  t.is(mask([six], sixB64), sixB64);
  t.deepEqual(maskPatterns([tiny]), []);
});

test("only bytes that could begin a value are held back: a prompt comes out at once", (t) => {
  const masker = createMasker([TOKEN]);
  t.is(masker.push(Buffer.from("Password: ")).toString(), "Password: ");
  t.is(masker.pending, 0);
  t.is(masker.push(Buffer.from("line sk_te")).toString(), "line ");
  t.is(masker.pending, 5);
  t.is(masker.push(Buffer.from("ll")).toString(), "sk_tell");
  t.is(masker.pending, 0);
  t.is(masker.push(Buffer.from("sk")).toString(), "");
  t.is(masker.end().toString(), "sk");
});

test("flush gives up a short held prefix, and the rest of a value completing later is still masked", (t) => {
  const masker = createMasker([TOKEN]);
  t.is(masker.push(Buffer.from("> sk_")).toString(), "> ");
  t.is(masker.flush().toString(), "sk_");
  t.is(masker.pending, 0);
  t.is(masker.push(Buffer.from(`${TOKEN.value.slice(3)}!`)).toString(), "****API_TOKEN!");
  t.is(masker.end().toString(), "");
});

test("no secrets (or only short ones): output passes through untouched", (t) => {
  const masker = createMasker([{ name: "A", value: "1" }]);
  const chunk = Buffer.from("anything");
  t.is(masker.push(chunk), chunk);
  t.is(masker.end().length, 0);
});

test("property: any split of any output masks exactly as the whole, as the naive scanner does, and leaves no value", (t) => {
  // a small alphabet so values overlap, share prefixes and occur by accident; '*' and upper case never occur in values
  const alphabet = fc.constantFrom(...'abcd01=/"\\ \n'.split(""));
  const value = fc.string({ unit: alphabet, minLength: 3, maxLength: 14 });
  const secretsArb = fc
    .uniqueArray(value, { minLength: 1, maxLength: 6 })
    .map((values) => values.map((v, i) => ({ name: `N${i}`, value: v })));
  const scenario = secretsArb.chain((secrets) => {
    const forms = maskPatterns(secrets).map((p) => p.bytes.toString("latin1"));
    const piece = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 8 }),
      fc.constantFrom(...secrets.map((s) => s.value), ...(forms.length ? forms : ["x"])),
      fc.constantFrom(...secrets.map((s) => s.value)).chain((v) => fc.nat(v.length).map((n) => v.slice(0, n))),
    );
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => Buffer.from(parts.join(""), "latin1"));
    return fc.tuple(fc.constant(secrets), text).chain(([s, tx]) =>
      fc.tuple(
        fc.constant(s),
        fc.constant(tx),
        fc.uniqueArray(fc.nat(tx.length), { maxLength: 6 }).map((cuts) => cuts.sort((a, b) => a - b)),
      ),
    );
  });
  fc.assert(
    fc.property(scenario, ([secrets, text, cuts]) => {
      const whole = maskAll(createMasker(secrets), [text]);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const cut of [...cuts, text.length]) {
        chunks.push(text.subarray(from, cut));
        from = cut;
      }
      const split = maskAll(createMasker(secrets), chunks);
      if (split !== whole) return false;
      if (Buffer.from(whole).toString("latin1") !== naiveMask(secrets, text).toString("latin1")) return false;
      return maskPatterns(secrets).every((p) => !Buffer.from(whole).includes(p.bytes));
    }),
    { seed: 20240611, numRuns: 3000 },
  );
  t.pass();
});
