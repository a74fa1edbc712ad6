// The sops:// age identity from node:crypto's X25519 (daemon/providers/stores/age-x25519.ts), checked against the
// real tools: published vectors of sops 3.13.3 and age-keygen, and the real sops encrypting to our recipient and
// decrypting with our identity. The age-encryption package (a devDependency now) is a second, independent reference.
// Rule: a missing sops fails the test with what to run (test/helpers/sops.ts); it is never skipped.

import test from "ava";
import { generateX25519Identity, identityToRecipient as referenceRecipient } from "age-encryption";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "../../../daemon/providers/stores/age-x25519.js";
import { sopsKey } from "../../../daemon/providers/stores/sops-identity.js";
import { MemoryStore } from "../../../daemon/session/stores/memory-store.js";
import { sopsEncrypt, sopsPath } from "../../helpers/sops.js";

/** sops 3.13.3, age/keysource_test.go: mockIdentity and the mockRecipient it "matches" */
const SOPS_VECTOR = {
  identity: "AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7",
  recipient: "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun",
};
/** age v1.3.1, doc/age-keygen.1.ronn: the traditional identity and the public key age-keygen printed for it */
const AGE_KEYGEN_VECTOR = {
  identity: "AGE-SECRET-KEY-1N9JEPW6DWJ0ZQUDX63F5A03GX8QUW7PXDE39N8UYF82VZ9PC8UFS3M7XA9",
  recipient: "age1lvyvwawkr0mcnnnncaghunadrqkmuf9e6507x9y920xxpp866cnql7dp2z",
};
const IDENTITY = /^AGE-SECRET-KEY-1[023456789ACDEFGHJKLMNPQRSTUVWXYZ]{58}$/;

/** encrypts `plain` with the real sops to `recipient`, decrypts it with `identity` (SOPS_AGE_KEY, a test key) */
function sopsRoundTrip(plain: string, recipient: string, identity: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ds-age-x25519-"));
  try {
    const file = join(dir, "secret.yaml");
    sopsEncrypt(file, plain, recipient);
    return execFileSync(sopsPath(), ["decrypt", file], {
      // a HOME of its own, so no keys.txt of the user's can do the decrypting
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, XDG_CONFIG_HOME: dir, SOPS_AGE_KEY: identity },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the recipients of the published sops and age-keygen vectors are the ones those tools give", async (t) => {
  for (const vector of [SOPS_VECTOR, AGE_KEYGEN_VECTOR]) {
    t.is(await identityToRecipient(vector.identity), vector.recipient);
    t.is(await identityToRecipient(vector.identity.toLowerCase()), vector.recipient, "age reads either case");
  }
});

test("sops encrypts to the recipient we derive from an imported vector and decrypts with that identity", async (t) => {
  const recipient = await identityToRecipient(SOPS_VECTOR.identity);
  t.is(sopsRoundTrip("api_key: vector-secret\n", recipient, SOPS_VECTOR.identity), "api_key: vector-secret\n");
});

test("an identity we generate is one sops decrypts with, for the recipient we derive", async (t) => {
  const identity = await generateIdentity();
  t.regex(identity, IDENTITY);
  const recipient = await identityToRecipient(identity);
  t.regex(recipient, /^age1[023456789acdefghjklmnpqrstuvwxyz]{58}$/);
  t.is(sopsRoundTrip("password: generated-secret\n", recipient, identity), "password: generated-secret\n");
  t.not(await generateIdentity(), identity, "each identity is new");
});

test("generated and imported identities agree with the age-encryption package's derivation", async (t) => {
  for (let i = 0; i < 20; i++) {
    const ours = await generateIdentity();
    t.is(await identityToRecipient(ours), await referenceRecipient(ours));
    const theirs = await generateX25519Identity();
    t.is(await identityToRecipient(theirs), await referenceRecipient(theirs));
  }
});

test("an identity with a bad checksum or another prefix is refused, and the import stores nothing", async (t) => {
  const last = SOPS_VECTOR.identity.at(-1) === "7" ? "8" : "7";
  const badChecksum = SOPS_VECTOR.identity.slice(0, -1) + last;
  await t.throwsAsync(identityToRecipient(badChecksum));
  await t.throwsAsync(identityToRecipient(SOPS_VECTOR.recipient), undefined, "a recipient is not an identity");

  const store = new MemoryStore();
  const deps = { store: () => store };
  const refused = await t.throwsAsync(sopsKey({ action: "import", identity: badChecksum }, deps));
  t.is((refused as Error & { code?: string }).code, "DS_VALUE_INVALID");
  t.is(await store.getValue("sops", "age-identity"), null, "nothing was kept");

  const imported = await sopsKey({ action: "import", identity: `${SOPS_VECTOR.identity}\n` }, deps);
  t.is(imported.recipient, SOPS_VECTOR.recipient);
  t.is((await sopsKey({ action: "show" }, deps)).recipient, SOPS_VECTOR.recipient);
  const generated = await sopsKey({ action: "generate", replace: true }, deps);
  t.regex((await store.getValue("sops", "age-identity"))?.reveal() ?? "", IDENTITY);
  t.not(generated.recipient, SOPS_VECTOR.recipient);
});
