// Which store `login` ends up with: a locked keychain is an error, no D-Bus means memory (said once), the passphrase file store.
// Rule: the CLI as a user runs it against a real daemon; the passphrase travels on fd 3, never argv; no value reaches a file.

import test from "ava";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sessionFilePath } from "../../daemon/session/stores/file-store.js";
import { encodingsOf, filesHolding, withSessionWorld } from "../helpers/session-world.js";

const MEMORY_NOTICE = /no OS keychain answers \(no Secret Service on D-Bus\): the session is kept in memory/g;

for (const [how, mode, lockLater] of [
  ["locked at start", "locked", false],
  ["locked after start (Service.Lock)", "unlocked", true],
] as const) {
  test(`a keychain ${how}: login fails with DS_KEYCHAIN_LOCKED and says how to go on, exit 1`, async (t) => {
    await withSessionWorld(t, { keyring: mode }, async (sw) => {
      if (lockLater) await sw.keyring!.lock();
      const r = await sw.run(["login"]);
      t.is(r.code, 1, r.stderr);
      t.regex(r.stderr, /^devsecrets: error DS_KEYCHAIN_LOCKED: the keychain is locked$/m);
      t.regex(r.stderr, /^devsecrets: hint: unlock your keyring .*`devsecrets login --store file`$/m);
      t.is(r.stdout, "");
      const json = await sw.run(["login", "--json"]);
      t.is(json.code, 1);
      t.is((JSON.parse(json.stdout) as { error: { code: string } }).error.code, "DS_KEYCHAIN_LOCKED");
      t.is((await sw.status()).session.kind, "anonymous");
      t.false((await sw.keychainItems()).includes("username = session"));

      const doctor = await sw.run(["doctor"]);
      t.is(doctor.code, 1);
      t.regex(doctor.stdout, /^FAIL\s+keychain\s+.*locked/m);
      t.regex(doctor.stdout, /fix: unlock your keyring/);
    });
  });
}

for (const [how, dbus] of [
  ["DBUS_SESSION_BUS_ADDRESS unset", undefined],
  ["DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent", "unix:path=/nonexistent"],
] as const) {
  test(`no D-Bus (${how}): login uses the memory store and says so exactly once`, async (t) => {
    await withSessionWorld(t, { keyring: "none", ...(dbus ? { dbus } : {}) }, async (sw) => {
      const r = await sw.run(["login"]);
      t.is(r.code, 0, r.stderr);
      t.is(r.stderr.match(MEMORY_NOTICE)?.length, 1, r.stderr);
      t.regex(r.stderr, /logged in: env dev, memory store/);
      const status = await sw.status();
      t.is(status.session.kind, "login");
      t.is(status.session.store, "memory");
      // keychain:// works for the life of the daemon
      t.is((await sw.run(["set", "db-password"], { input: "in-memory" })).code, 0);
      t.is((await sw.run(["get", "DB"])).stdout, "in-memory");
      // logging in again keeps the session and says nothing about the keychain
      const again = await sw.run(["login"]);
      t.is(again.code, 0, again.stderr);
      t.is(again.stderr.match(MEMORY_NOTICE), null, again.stderr);

      const doctor = await sw.run(["doctor"]);
      t.is(doctor.code, 0, doctor.stdout);
      t.regex(
        doctor.stdout,
        /^ok\s+keychain\s+no Secret Service answered within 4 s .*login --store auto keeps the session in memory/m,
      );
    });
  });
}

test("the passphrase file store: login, set, logout, wrong passphrase, unsafe mode; the file never holds the value", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const passphrase = `correct horse ${randomBytes(4).toString("hex")}`;
    const value = `fv-${randomBytes(12).toString("hex")}`;
    const file = sessionFilePath(sw.world.env);
    t.is(file, join(sw.world.env.XDG_STATE_HOME!, "devsecrets", "session.enc"));

    const login = await sw.runWithPassphrase(["login", "--store", "file"], passphrase);
    t.is(login.code, 0, login.stderr);
    t.regex(login.stderr, /logged in: env dev, file store/);
    t.false(login.stderr.includes(passphrase));
    t.is((await sw.status()).session.store, "file");
    t.is(statSync(file).mode & 0o777, 0o600);
    t.false((await sw.keychainItems()).includes("username = session"), "the file store keeps nothing in the keychain");

    const set = await sw.run(["set", "db-password"], { input: `${value}\n` });
    t.is(set.code, 0, set.stderr);
    t.is((await sw.run(["get", "DB"])).stdout, value);
    const noLeak = (when: string): void => {
      const bytes = readFileSync(file);
      for (const form of encodingsOf(value))
        t.false(bytes.includes(Buffer.from(form, "latin1")), `${when}: the file holds ${form}`);
      t.false(bytes.includes(Buffer.from(passphrase)), `${when}: the file holds the passphrase`);
    };
    noLeak("after set");

    const logout = await sw.run(["logout"]);
    t.is(logout.code, 0, logout.stderr);
    t.true(existsSync(file), "the user's values outlive the session");
    noLeak("after logout");

    const wrong = await sw.runWithPassphrase(["login", "--store", "file"], `${passphrase}x`);
    t.is(wrong.code, 1);
    t.regex(wrong.stderr, /error DS_PASSPHRASE_WRONG: the passphrase does not open .*session\.enc/);
    t.regex(wrong.stderr, /hint: try again/);
    t.false(wrong.stderr.includes(passphrase));
    t.is((await sw.status()).session.kind, "anonymous");

    chmodSync(file, 0o640);
    const unsafe = await sw.runWithPassphrase(["login", "--store", "file"], passphrase);
    t.is(unsafe.code, 1);
    t.regex(unsafe.stderr, /error DS_STORE_UNSAFE: .*session\.enc has mode 0640, open to group or other/);
    t.regex(unsafe.stderr, /chmod 600/);
    t.is(statSync(file).mode & 0o777, 0o640, "the mode is never repaired silently");

    chmodSync(file, 0o600);
    const right = await sw.runWithPassphrase(["login", "--store", "file"], passphrase);
    t.is(right.code, 0, right.stderr);
    t.is((await sw.run(["get", "DB"])).stdout, value, "the value comes back with the right passphrase");
    noLeak("after a second login");

    t.is((await sw.run(["daemon", "stop"])).code, 0);
    t.deepEqual(filesHolding(sw.world.root, value).hits, []);
  });
});
