// The trust listing, the trust file and the book: what needs trust, what keeps it, what asks again.
// Rule: real files in a temp folder; no daemon (test/security/project-trust.test.ts runs the attacks end to end).

import test from "ava";
import {
  mkdtempSync,
  mkdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  readFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import { Notices, type Provider, type ResolveContext } from "../../../daemon/resolve/provider.js";
import { Secret } from "../../../common/secret.js";
import { ProjectTrustBook } from "../../../daemon/trust/project-trust.js";
import { gateProviders } from "../../../daemon/trust/trust-gate.js";
import { readTrustListing, TrustListings } from "../../../daemon/trust/trust-listing.js";
import { TrustStore } from "../../../daemon/trust/trust-store.js";
import { verdictOf } from "../../../daemon/trust/trust-report.js";
import { parseReference } from "../../../daemon/resolve/reference-parser.js";
import type { ServingSession } from "../../../daemon/session/serving-session.js";
import { DANGEROUS_NAMES } from "../../../common/dangerous-names.js";
import { REPO_ROOT } from "../../helpers/sandbox-env.js";

function folder(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "ds-trust-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function project(root: string, files: Record<string, string>): string {
  const dir = join(root, "p");
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function book(root: string, trustAll = false) {
  const store = new TrustStore(join(root, "state", "devsecrets", "trust.json"));
  return {
    store,
    book: new ProjectTrustBook({
      listings: new TrustListings(),
      store,
      projectId: async () => "0123456789abcdef",
      trustAll,
    }),
  };
}

const BASE = "A=literal\nS=sandbox://stripe/secret-key\nK=keychain://stripe\nV=vault://secret/app#key\n";

test("the listing holds credential references, dangerous names and settings; literals and sandbox:// are not in it", (t) => {
  const dir = project(folder(t), {
    "devsecrets.env": `${BASE}NODE_OPTIONS=--require ./x.cjs\nE=env://HOME\nQ='keychain://quoted-is-a-literal'\n`,
    "devsecrets.local.env": "PG=sandbox://postgres/role\nLD_PRELOAD=./evil.so\n",
    "devsecrets.json":
      '{"$schema":"x","vault":{"address":"http://127.0.0.1:8200"},"postgres":{"adminUrl":"postgres://a@h/db"}}',
    "other.env": "K2=keychain://not-a-project-file\n",
  });
  const listing = readTrustListing(dir);
  t.deepEqual(
    listing.items.map((i) => `${i.kind} ${i.file} ${i.name}`),
    [
      "reference devsecrets.env K",
      "reference devsecrets.env V",
      "dangerous-name devsecrets.env NODE_OPTIONS",
      "setting devsecrets.json postgres.adminUrl",
      "setting devsecrets.json vault.address",
      "reference devsecrets.local.env PG",
      "dangerous-name devsecrets.local.env LD_PRELOAD",
    ],
  );
  t.regex(listing.digest, /^[0-9a-f]{64}$/);
});

test("an edit to literals or sandbox references keeps the digest; a new reference, name or setting changes it", (t) => {
  const root = folder(t);
  const dir = project(root, { "devsecrets.env": BASE });
  const first = readTrustListing(dir).digest;
  writeFileSync(
    join(dir, "devsecrets.env"),
    `# moved\n\n${BASE.replace("literal", "other")}S2=sandbox://random/password\n`,
  );
  t.is(readTrustListing(dir).digest, first, "literals, sandbox references and line moves ask nothing");
  for (const change of ["K2=keychain://other\n", "PATH=/tmp/evil\n", "V=vault://secret/other#key\n"]) {
    writeFileSync(join(dir, "devsecrets.env"), `${BASE}${change}`);
    t.not(readTrustListing(dir).digest, first, change);
  }
  writeFileSync(join(dir, "devsecrets.env"), BASE);
  writeFileSync(join(dir, "devsecrets.json"), '{"vault":{"address":"https://vault.example.test"}}');
  t.not(readTrustListing(dir).digest, first, "a devsecrets.json setting");
});

test("a project with nothing to trust is trusted; one with references is not until trusted, then stays so", async (t) => {
  const root = folder(t);
  const dir = project(root, { "devsecrets.env": "S=sandbox://stripe/secret-key\nA=1\n" });
  const { book: trust } = book(root);
  t.like(trust.state(dir), { trusted: true, reason: "nothing-to-trust" });
  writeFileSync(join(dir, "devsecrets.env"), BASE);
  const before = trust.state(dir);
  t.like(before, { trusted: false, reason: "never-trusted" });
  t.deepEqual(
    before.untrusted.map((i) => i.name),
    ["K", "V"],
  );
  await trust.trust(dir, before.listing.digest);
  t.like(trust.state(dir), { trusted: true, reason: "trusted" });
  writeFileSync(join(dir, "devsecrets.env"), `${BASE}B=2\n`);
  t.like(trust.state(dir), { trusted: true }, "a literal added keeps the trust");
  writeFileSync(join(dir, "devsecrets.env"), "K=keychain://stripe\n");
  t.like(trust.state(dir), { trusted: true }, "a reference removed keeps the trust: fewer asks, no new one");
  writeFileSync(join(dir, "devsecrets.env"), `${BASE}NODE_OPTIONS=--require ./x.cjs\n`);
  const changed = trust.state(dir);
  t.like(changed, { trusted: false, reason: "changed" });
  t.deepEqual(
    changed.untrusted.map((i) => i.name),
    ["NODE_OPTIONS"],
    "what changed is named",
  );
  const error = verdictOf(trust, dir).refuse("devsecrets.env:3: keychain://stripe");
  t.true(error instanceof DevsecretsError);
  t.is((error as DevsecretsError).code, "DS_PROJECT_UNTRUSTED");
  t.regex(error.message, /changed since you trusted it \(new or changed: devsecrets\.env:5 NODE_OPTIONS\)/);
});

test("a stale digest is refused (DS_TRUST_STALE) and nothing is recorded", async (t) => {
  const root = folder(t);
  const dir = project(root, { "devsecrets.env": BASE });
  const { book: trust, store } = book(root);
  const seen = trust.state(dir).listing.digest;
  writeFileSync(join(dir, "devsecrets.env"), `${BASE}LD_PRELOAD=./evil.so\n`);
  const error = await t.throwsAsync(trust.trust(dir, seen));
  t.is((error as DevsecretsError).code, "DS_TRUST_STALE");
  t.deepEqual(store.entries(), []);
});

test("trust.json is 0600 in a 0700 folder, keyed by the real path, holds no value; revoke forgets", async (t) => {
  const root = folder(t);
  const dir = project(root, { "devsecrets.env": `${BASE}NODE_OPTIONS=--require ./secret-looking.cjs\n` });
  symlinkSync(dir, join(root, "link"));
  const { book: trust, store } = book(root);
  await trust.trust(join(root, "link"), trust.state(dir).listing.digest);
  t.is(statSync(store.path).mode & 0o777, 0o600);
  t.is(statSync(join(root, "state", "devsecrets")).mode & 0o777, 0o700);
  const text = readFileSync(store.path, "utf8");
  t.deepEqual(Object.keys(JSON.parse(text).projects), [dir]);
  t.false(text.includes("secret-looking"), "hashes only, no text of the files");
  t.like(trust.state(dir), { trusted: true });
  t.deepEqual(
    trust.list().map((p) => p.root),
    [dir],
  );
  t.true(trust.revoke(join(root, "link")));
  t.like(trust.state(dir), { trusted: false });
  t.false(trust.revoke(dir));
});

test("DEVSECRETS_TRUST_ALL trusts every project", (t) => {
  const root = folder(t);
  const dir = project(root, { "devsecrets.env": BASE });
  t.like(book(root, true).book.state(dir), { trusted: true, reason: "trust-all" });
});

test("the cached listing follows edits in place, files added and files removed", (t) => {
  const root = folder(t);
  const dir = project(root, { "devsecrets.env": "A=1\n" });
  const listings = new TrustListings();
  t.is(listings.get(dir).listing.items.length, 0);
  writeFileSync(join(dir, "devsecrets.env"), "K=keychain://k\n");
  // an edit in place within the same millisecond keeps size and mtime only by chance: push the mtime to be sure
  utimesSync(join(dir, "devsecrets.env"), new Date(), new Date(Date.now() + 5000));
  t.is(listings.get(dir).listing.items.length, 1);
  writeFileSync(join(dir, "devsecrets.prod.env"), "P=vault://secret/prod#k\n");
  t.is(listings.get(dir).listing.items.length, 2, "a new overlay file is seen");
  rmSync(join(dir, "devsecrets.prod.env"));
  t.is(listings.get(dir).listing.items.length, 1, "a removed file is forgotten");
  const warm = listings.get(dir);
  t.is(listings.get(dir), warm, "unchanged files give the cached listing");
});

test("a path whose symlink is retargeted is keyed by its new real folder, not the cached one", (t) => {
  const root = folder(t);
  const a = join(root, "a");
  const b = join(root, "b");
  for (const dir of [a, b]) {
    mkdirSync(dir);
    writeFileSync(join(dir, "devsecrets.env"), "K=keychain://k\n");
  }
  symlinkSync(a, join(root, "link"));
  const listings = new TrustListings();
  t.is(listings.get(join(root, "link")).real, a);
  rmSync(join(root, "link"));
  symlinkSync(b, join(root, "link"));
  t.is(listings.get(join(root, "link")).real, b);
});

function contextFor(trusted: boolean, root: string): ResolveContext {
  return {
    session: { sandbox: {} } as unknown as ServingSession,
    environ: {},
    env: "dev",
    projectId: "0123456789abcdef",
    projectRoot: root,
    notices: new Notices(),
    where: "devsecrets.env:1",
    trust: {
      trusted,
      refuse: (what) => new DevsecretsError("DS_PROJECT_UNTRUSTED", `${what}: not trusted`),
    },
  };
}

test("the gate: untrusted keychain:// and postgres/role on a configured server are refused, vault:// never reaches the provider", async (t) => {
  const calls: string[] = [];
  const recording = (scheme: string): Provider => ({
    async resolve(ref) {
      calls.push(`${scheme}:${ref.raw}`);
      return new Secret("value");
    },
  });
  let configured = true;
  const gated = gateProviders(
    {
      env: recording("env"),
      keychain: recording("keychain"),
      vault: recording("vault"),
      sandbox: recording("sandbox"),
      "aws-sm": recording("aws-sm"),
      "aws-ssm": recording("aws-ssm"),
      sops: recording("sops"),
    },
    { adminUrlConfigured: () => configured },
  );
  const untrusted = contextFor(false, "/p");
  const keychain = await t.throwsAsync(gated.keychain.resolve(parseReference("keychain://stripe"), untrusted));
  t.is((keychain as DevsecretsError).code, "DS_PROJECT_UNTRUSTED");
  const role = await t.throwsAsync(gated.sandbox.resolve(parseReference("sandbox://postgres/role"), untrusted));
  t.is((role as DevsecretsError).code, "DS_PROJECT_UNTRUSTED");
  await gated.env.resolve(parseReference("env://HOME"), untrusted);
  t.deepEqual(calls, ["env:env://HOME"], "neither keychain nor the admin server was asked");
  // the stand-in mints in the session; here it fails on the fake session, after the notice, without the live provider
  await gated.vault.resolve(parseReference("vault://secret/app#key"), untrusted).catch(() => {});
  t.deepEqual(calls, ["env:env://HOME"], "the live vault provider is never called for an untrusted project");
  t.regex(
    untrusted.notices.list[0]?.message ?? "",
    /not trusted: its vault:\/\/ references are answered by sandbox values/,
  );
  // the platform stores likewise (issue 21): a stand-in with DS_STORE_SANDBOX, the store's provider never called
  await gated["aws-sm"].resolve(parseReference("aws-sm://prod/db#password"), untrusted).catch(() => {});
  await gated["aws-ssm"].resolve(parseReference("aws-ssm:///prod/db"), untrusted).catch(() => {});
  t.deepEqual(calls, ["env:env://HOME"], "no store provider is called for an untrusted project");
  t.truthy(
    untrusted.notices.list.find(
      (n) => n.code === "DS_STORE_SANDBOX" && /not trusted: its aws-sm:\/\/ references/.test(n.message),
    ),
  );
  configured = false;
  await gated.sandbox.resolve(parseReference("sandbox://postgres/role"), untrusted).catch(() => {});
  t.is(calls.at(-1), "sandbox:sandbox://postgres/role", "no admin server configured: the sandbox answers as before");
  const trusted = contextFor(true, "/p");
  for (const raw of ["keychain://stripe", "vault://secret/app#key"])
    await gated[raw.startsWith("k") ? "keychain" : "vault"].resolve(parseReference(raw), trusted);
  t.deepEqual(calls.slice(-2), ["keychain:keychain://stripe", "vault:vault://secret/app#key"]);
});

test("docs/security.md shows every row of the dangerous-names table with its reason", (t) => {
  const doc = readFileSync(join(REPO_ROOT, "docs", "security.md"), "utf8");
  for (const row of DANGEROUS_NAMES) t.true(doc.includes(`| \`${row.pattern}\` | ${row.why} |`), row.pattern);
});
