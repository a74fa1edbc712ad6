// The keychain locked in the middle of a session, then unlocked again: a clear error and no hang while locked, service after.
// Rule: real gnome-keyring on a private bus; it is unlocked headless by a replacing gnome-keyring-daemon --unlock (a prompt needs a GUI).

import test from "ava";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { withSessionWorld } from "../helpers/session-world.js";
import { KEYRING_PASSWORD, run } from "../helpers/keyring.js";
import { waitFor } from "../helpers/sandbox-env.js";

const LOGIN = "/org/freedesktop/secrets/collection/login";

test.serial(
  "keychain locked mid-session: keychain:// answers DS_KEYCHAIN_LOCKED with its hint (no hang, no DS_INTERNAL), sandbox:// is still served, and after unlocking it works again",
  async (t) => {
    await withSessionWorld(t, {}, async (sw) => {
      const kr = sw.keyring!;
      const project = sw.world.project(
        { "devsecrets.env": "DB=keychain://db-password\nSTRIPE=sandbox://stripe/secret-key\n" },
        "locked",
      );
      const value = `locked-${randomBytes(8).toString("hex")}`;
      t.is((await sw.run(["login", "--store", "keychain"], { cwd: project })).code, 0);
      const set = await sw.run(["set", "db-password"], { cwd: project, input: value });
      t.is(set.code, 0, set.stderr);
      const before = await sw.run(["get", "DB"], { cwd: project });
      t.is(before.stdout.trim(), value, before.stderr);

      await kr.lock();
      const started = Date.now();
      const locked = await sw.run(["get", "DB"], { cwd: project });
      const took = Date.now() - started;
      t.log(`get while locked: exit ${locked.code} in ${took} ms`);
      t.is(locked.code, 1, locked.stdout);
      t.regex(locked.stderr, /DS_KEYCHAIN_LOCKED/);
      t.regex(locked.stderr, /hint: unlock your keyring/);
      t.notRegex(locked.stderr, /DS_INTERNAL/);
      t.false(locked.stderr.includes(value));
      t.true(took < 10_000, `answered in ${took} ms`);
      const json = await sw.run(["get", "DB", "--json"], { cwd: project });
      t.regex(json.stdout + json.stderr, /"code":\s*"DS_KEYCHAIN_LOCKED"/);

      const sandbox = await sw.run(["get", "STRIPE"], { cwd: project });
      t.is(sandbox.code, 0, sandbox.stderr);
      t.regex(sandbox.stdout, /^sk_test_/);
      t.is((await sw.status()).session.kind, "login", "the session outlives the lock");

      // Secret Service's Unlock only returns a prompt, which nothing can answer without a desktop; a gnome-keyring-daemon
      // started with --replace --unlock takes over the bus name and unlocks the login keyring with the password on stdin
      const replacement = spawn(
        "gnome-keyring-daemon",
        [
          "--replace",
          "--foreground",
          "--unlock",
          "--components=secrets",
          "--control-directory",
          join(kr.env.XDG_RUNTIME_DIR as string, "keyring"),
        ],
        {
          env: kr.env,
          stdio: ["pipe", "ignore", "ignore"],
        },
      );
      replacement.stdin.on("error", () => {});
      replacement.stdin.end(KEYRING_PASSWORD);
      try {
        await waitFor(
          async () => {
            const r = await run(
              "gdbus",
              [
                "call",
                "--session",
                "--dest",
                "org.freedesktop.secrets",
                "--object-path",
                LOGIN,
                "--method",
                "org.freedesktop.DBus.Properties.Get",
                "org.freedesktop.Secret.Collection",
                "Locked",
              ],
              kr.env,
            );
            return r.stdout.includes("false");
          },
          10_000,
          "the login keyring to unlock",
        );
        const after = await sw.run(["get", "DB"], { cwd: project });
        t.is(after.code, 0, after.stderr);
        t.is(after.stdout.trim(), value);
        t.is((await sw.run(["logout"], { cwd: project })).code, 0);
      } finally {
        if (replacement.exitCode === null && replacement.pid !== undefined) {
          process.kill(replacement.pid, "SIGTERM");
          await new Promise((r) => replacement.once("exit", r));
        }
      }
    });
  },
);
