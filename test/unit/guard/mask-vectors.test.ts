// The shared masking vectors (test/mask-vectors.json) on the TS masker, as shims/go/mask runs them on the Go one.
// Rule: chunks and silences go through the real maskedOutput (cli/run/masked-output.ts, real timers); cuts through the masker.

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { compileMask, createMasker, type CompiledMask } from "../../../common/masking/masker.js";
import type { MaskSecret } from "../../../common/masking/mask-patterns.js";
import { maskedOutput } from "../../../cli/run/masked-output.js";
import { REPO_ROOT } from "../../helpers/sandbox-env.js";

type Chunk = string | { base64: string } | { silence: true };

interface MaskVector {
  name: string;
  secrets: MaskSecret[];
  chunks: Chunk[];
  expected: string | { base64: string };
  splitEverywhere?: boolean;
}

const { vectors } = JSON.parse(readFileSync(join(REPO_ROOT, "test", "mask-vectors.json"), "utf8")) as {
  vectors: MaskVector[];
};
/** longer than masked-output.ts's 50 ms, with room for a loaded machine */
const SILENCE_MS = 120;

const bytesOf = (c: string | { base64: string }): Buffer =>
  typeof c === "string" ? Buffer.from(c) : Buffer.from(c.base64, "base64");
const isSilence = (c: Chunk): c is { silence: true } => typeof c === "object" && "silence" in c;

/** the chunks through maskedOutput into a collecting stream, a silence being a real wait */
async function throughOutput(compiled: CompiledMask, chunks: Chunk[]): Promise<Buffer> {
  const written: Buffer[] = [];
  const out = {
    write: (b: Buffer) => {
      written.push(Buffer.from(b));
      return true;
    },
    on: () => out,
  } as unknown as Writable;
  const output = maskedOutput(createMasker(compiled), out, () => {});
  for (const chunk of chunks) {
    if (isSilence(chunk)) await new Promise((resolve) => setTimeout(resolve, SILENCE_MS));
    else output.write(bytesOf(chunk));
  }
  output.end();
  return Buffer.concat(written);
}

function throughMasker(compiled: CompiledMask, chunks: Buffer[]): Buffer {
  const masker = createMasker(compiled);
  const out: Buffer[] = chunks.map((c) => Buffer.from(masker.push(c)));
  out.push(Buffer.from(masker.end()));
  return Buffer.concat(out);
}

test("the vector file has the cases both maskers must agree on", (t) => {
  t.true(vectors.length >= 20);
  t.true(
    vectors.some((v) => v.chunks.some(isSilence)),
    "a silence vector",
  );
  t.true(
    vectors.some((v) => v.splitEverywhere),
    "a split-everywhere vector",
  );
});

for (const v of vectors) {
  test(`vector: ${v.name}`, async (t) => {
    const compiled = compileMask(v.secrets);
    const want = bytesOf(v.expected);
    t.deepEqual(await throughOutput(compiled, v.chunks), want, "chunks as given");
    if (v.chunks.some(isSilence)) return;
    const joined = Buffer.concat(v.chunks.map((c) => bytesOf(c as string | { base64: string })));
    const single = [...joined].map((b) => Buffer.from([b]));
    t.deepEqual(throughMasker(compiled, single), want, "one byte at a time");
    if (!v.splitEverywhere) return;
    for (let cut = 0; cut <= joined.length; cut++) {
      t.deepEqual(throughMasker(compiled, [joined.subarray(0, cut), joined.subarray(cut)]), want, `cut at ${cut}`);
    }
  });
}
