// The minted registry: fingerprints only, 0600, read back across writers (sessions), refused when others may write it.
// Rule: every test checks the file never holds a value.

import test from "ava";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  liveHoldPath,
  MAX_REGISTERED,
  MintedRegistry,
  MintedRegistryWriter,
  registryForm,
  settleLive,
} from "../../../common/minted-registry.js";
import { checksummedToken } from "../../../daemon/sandbox/random.js";

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "ds-minted-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a value remembered by one writer is known to a reader and to a later writer's file; the file is 0600 and holds no value", (t) => {
  withDir((dir) => {
    const path = join(dir, "minted-registry");
    const first = checksummedToken("ghp_");
    const second = checksummedToken("ghp_");
    t.true(new MintedRegistryWriter(path).remember("github/pat", [first]));
    // a new daemon (a new session) appends under the same salt
    t.true(new MintedRegistryWriter(path).remember("npm/token", [second, "short"]));
    const registry = MintedRegistry.read(path);
    t.is(registry?.kindOf(first), "github/pat");
    t.is(registry?.kindOf(second), "npm/token");
    t.is(registry?.kindOf(checksummedToken("ghp_")), null);
    t.is(registry?.size, 2, "a value under 16 characters is not recorded");
    t.is(statSync(path).mode & 0o777, 0o600);
    const text = readFileSync(path, "utf8");
    for (const value of [first, second, first.slice(4, 20)]) t.false(text.includes(value));
  });
});

test("a value minted again (a session's own HS256 secret) is one line, not one per mint", (t) => {
  withDir((dir) => {
    const path = join(dir, "minted-registry");
    const writer = new MintedRegistryWriter(path);
    const value = checksummedToken("ghp_");
    for (let i = 0; i < 5; i++) writer.remember("jwt/hs256", [value]);
    t.is(readFileSync(path, "utf8").trim().split("\n").length, 2, "the header and one fingerprint");
  });
});

test("a registry that group or other may write is not read: it could call a real leak harmless", (t) => {
  withDir((dir) => {
    const path = join(dir, "minted-registry");
    const value = checksummedToken("ghp_");
    new MintedRegistryWriter(path).remember("github/pat", [value]);
    chmodSync(path, 0o620);
    t.is(MintedRegistry.read(path), null);
    chmodSync(path, 0o600);
    t.is(MintedRegistry.read(path)?.kindOf(value), "github/pat");
  });
});

test("no file, or a file of another format, is no registry", (t) => {
  withDir((dir) => {
    t.is(MintedRegistry.read(join(dir, "none")), null);
  });
});

test("an overgrown registry keeps its newest half when a daemon opens it", (t) => {
  withDir((dir) => {
    const path = join(dir, "minted-registry");
    const writer = new MintedRegistryWriter(path);
    const values = Array.from({ length: MAX_REGISTERED + 10 }, (_, i) => `value-${i}-${"v".repeat(20)}`);
    writer.remember("random/hex", values);
    const last = values.at(-1) as string;
    t.true(new MintedRegistryWriter(path).remember("random/hex", [`one-more-${"w".repeat(20)}`]));
    const registry = MintedRegistry.read(path);
    t.is(registry?.kindOf(values[0] as string), null);
    t.is(registry?.kindOf(last), "random/hex");
    t.true((registry?.size ?? 0) <= MAX_REGISTERED / 2 + 1);
  });
});

test("a PEM block is fingerprinted by its body: other line ends and JSON's \\n escapes are the same key", (t) => {
  const pem =
    "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\nabcd\n-----END PRIVATE KEY-----\n";
  t.is(registryForm(pem), registryForm(pem.replaceAll("\n", "\r\n")));
  t.is(registryForm(pem), registryForm(JSON.stringify(pem).slice(1, -1)));
});

test("a held live value is unknown to a reader until settled, then known; a side file of another salt is dropped; no value on disk", (t) => {
  withDir((dir) => {
    const path = join(dir, "minted-registry");
    const password = randomBytes(24).toString("base64url");
    const writer = new MintedRegistryWriter(path);
    t.true(writer.holdLive("redis/server", [password, "127.0.0.1"]));
    t.is(MintedRegistry.read(path)?.kindOf(password), null, "held: a server may still enforce it");
    t.is(statSync(liveHoldPath(path)).mode & 0o777, 0o600);
    for (const file of [path, liveHoldPath(path)]) t.false(readFileSync(file, "utf8").includes(password));
    t.is(settleLive(path), 1);
    t.is(MintedRegistry.read(path)?.kindOf(password), "redis/server");
    t.false(existsSync(liveHoldPath(path)), "the side file is gone once settled");
    t.is(settleLive(path), 0, "nothing held: nothing moves");

    // the registry removed and begun again under a new salt: old held fingerprints would match nothing; dropped
    const stale = randomBytes(24).toString("base64url");
    t.true(writer.holdLive("postgres/database", [stale]));
    rmSync(path);
    t.true(new MintedRegistryWriter(path).remember("github/pat", [checksummedToken("ghp_")]));
    t.is(settleLive(path), 0);
    t.false(existsSync(liveHoldPath(path)));
    t.is(MintedRegistry.read(path)?.kindOf(stale), null);
  });
});
