// On a case-insensitive file system (macOS's APFS by default, Windows') the resolver's open of devsecrets.local.env
// reads DEVSECRETS.LOCAL.ENV, and devsecrets.json reads DevSecrets.json; the trust listing matched names exactly, so
// such a file's keychain references, dangerous names and settings were never shown nor in the digest: trusted once,
// the project could add NODE_OPTIONS there and be served it. Rule: the listing takes project files in any case.

import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTrustListing } from "../../../daemon/trust/trust-listing.js";

test("the trust listing covers project files whatever the case of their names", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-trust-case-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "devsecrets.env"), "A=literal\n");
  writeFileSync(join(dir, "DEVSECRETS.LOCAL.ENV"), "NODE_OPTIONS=--require ./evil.cjs\nK=keychain://db\n");
  writeFileSync(join(dir, "DevSecrets.json"), '{"vault":{"address":"https://vault.example.test"}}');
  writeFileSync(join(dir, "devsecrets.env.bak"), "LD_PRELOAD=./not-a-project-file.so\n");
  const listing = readTrustListing(dir);
  t.deepEqual(listing.items.map((i) => `${i.kind} ${i.file} ${i.name}`).sort(), [
    "dangerous-name DEVSECRETS.LOCAL.ENV NODE_OPTIONS",
    "reference DEVSECRETS.LOCAL.ENV K",
    "setting DevSecrets.json vault.address",
  ]);
  const before = listing.digest;
  writeFileSync(join(dir, "DEVSECRETS.LOCAL.ENV"), "NODE_OPTIONS=--require ./other.cjs\nK=keychain://db\n");
  t.not(readTrustListing(dir).digest, before, "a change in the upper-case file asks again");
});
