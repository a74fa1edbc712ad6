// KeychainStore and chooseStore against a real gnome-keyring on a private D-Bus session bus.
// Rule: a missing binary fails the test with the Debian package to install; nothing started here outlives its test.

import test from "ava";
import { Secret } from "../../common/secret.js";
import type { DevsecretsError } from "../../common/errors.js";
import { KeychainStore } from "../../daemon/session/stores/keychain-store.js";
import { chooseStore, MEMORY_NOTICE } from "../../daemon/session/stores/choose-store.js";
import { isRunning, startKeyring, type Keyring } from "../helpers/keyring.js";
import { PROJECT_A, PROJECT_B, sampleRecord, storeContract } from "../unit/session/store-contract.js";

async function withKeyring<T>(
  body: (kr: Keyring, store: KeychainStore) => Promise<T>,
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  const kr = await startKeyring();
  const store = new KeychainStore({ env: kr.env, ...opts });
  let helper: number | undefined;
  let result: T;
  try {
    result = await body(kr, store);
  } finally {
    helper = store.helperPid ?? undefined;
    await store.close();
    await kr.stop();
  }
  // checked after cleanup, outside `finally`: a throw there would replace the body's own failure
  for (const pid of [...kr.pids, ...(helper ? [helper] : [])]) {
    if (await isRunning(pid)) throw new Error(`process ${pid} is still running after the test`);
  }
  return result;
}

storeContract("keychain", async () => {
  const kr = await startKeyring();
  const store = new KeychainStore({ env: kr.env });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await kr.stop();
    },
  };
});

function items(stdout: string, stderr: string): string {
  // secret-tool prints attributes on stderr and secrets on stdout
  return `${stdout}\n${stderr}`;
}

test("keychain: secret-tool finds the session item (service devsecrets, username session) after save, not after remove", async (t) => {
  await withKeyring(async (kr, store) => {
    await store.saveSession(sampleRecord("keychain"));
    const found = await kr.secretTool(["search", "--all", "service", "devsecrets", "username", "session"]);
    t.is(found.code, 0);
    t.regex(items(found.stdout, found.stderr), /attribute\.service = devsecrets/);
    t.regex(items(found.stdout, found.stderr), /attribute\.username = session/);
    const lookup = await kr.secretTool(["lookup", "service", "devsecrets", "username", "session"]);
    const plain = JSON.parse(lookup.stdout) as { id: string; credential: string };
    t.is(plain.id, "sess-1");
    t.is(
      plain.credential,
      sampleRecord("keychain").credential.reveal(),
      "Secret fields are unwrapped inside the item only",
    );

    // a daemon restart: a fresh store (fresh helper process) resumes the record
    const again = new KeychainStore({ env: kr.env });
    try {
      t.is((await again.loadSession())?.id, "sess-1");
    } finally {
      await again.close();
    }

    await store.removeSession();
    const gone = await kr.secretTool(["search", "--all", "service", "devsecrets", "username", "session"]);
    t.false(items(gone.stdout, gone.stderr).includes("username = session"));
  });
});

test("keychain: values are items with username <projectId>/<NAME>, one per project", async (t) => {
  await withKeyring(async (kr, store) => {
    await store.setValue(PROJECT_A, "DB_PASSWORD", new Secret("pw-a"));
    await store.setValue(PROJECT_B, "DB_PASSWORD", new Secret("pw-b"));
    const a = await kr.secretTool(["lookup", "service", "devsecrets", "username", `${PROJECT_A}/DB_PASSWORD`]);
    const b = await kr.secretTool(["lookup", "service", "devsecrets", "username", `${PROJECT_B}/DB_PASSWORD`]);
    t.is(a.stdout, "pw-a");
    t.is(b.stdout, "pw-b");
    // an item someone wrote with secret-tool under the same attributes is read back by the store
    await kr.secretTool(
      ["store", "--label", "by hand", "service", "devsecrets", "username", `${PROJECT_A}/BY_HAND`],
      "typed",
    );
    t.is((await store.getValue(PROJECT_A, "BY_HAND"))?.reveal(), "typed");
  });
});

test("keychain: a locked collection gives DS_KEYCHAIN_LOCKED with its hint", async (t) => {
  await withKeyring(async (kr, store) => {
    await store.setValue(PROJECT_A, "A", new Secret("v"));
    await kr.lock();
    for (const op of [
      () => store.getValue(PROJECT_A, "A"),
      () => store.setValue(PROJECT_A, "B", new Secret("w")),
      () => store.saveSession(sampleRecord("keychain")),
    ]) {
      const error = (await t.throwsAsync(op())) as DevsecretsError;
      t.is(error.code, "DS_KEYCHAIN_LOCKED");
      t.regex(error.message, /keychain is locked/);
      t.regex(error.hint, /unlock your keyring/);
      t.regex(String((error.cause as Error).message), /unlock prompt was dismissed/);
    }
    // a read of a missing item still answers while locked: searching needs no unlock
    t.is(await store.getValue(PROJECT_A, "MISSING"), null);
    t.is(await store.probe(), "locked");
    for (const requested of ["auto", "keychain"] as const) {
      const error = (await t.throwsAsync(chooseStore(requested, { env: kr.env }))) as DevsecretsError;
      t.is(error.code, "DS_KEYCHAIN_LOCKED", requested);
    }
  });
});

test("keychain: chooseStore picks the keychain when a Secret Service answers, and leaves no probe item", async (t) => {
  await withKeyring(async (kr) => {
    for (const requested of ["auto", "keychain"] as const) {
      const { store, notice } = await chooseStore(requested, { env: kr.env });
      t.is(store.kind, "keychain");
      t.is(notice, undefined);
      await (store as KeychainStore).close();
    }
    const probe = await kr.secretTool(["search", "--all", "service", "devsecrets"]);
    t.false(items(probe.stdout, probe.stderr).includes("username = probe"));
  });
});

for (const [label, address] of [
  ["a bus address that leads nowhere", "unix:path=/nonexistent"],
  ["no bus address at all", undefined],
] as const) {
  test(`keychain: with ${label}, auto gives memory with a notice and keychain gives DS_KEYCHAIN_UNAVAILABLE, quickly`, async (t) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    if (address) env.DBUS_SESSION_BUS_ADDRESS = address;
    const bound = 5000;
    const started = Date.now();
    const auto = await chooseStore("auto", { env, timeoutMs: bound });
    t.is(auto.store.kind, "memory");
    t.is(auto.notice, MEMORY_NOTICE);
    t.false(auto.notice?.includes("\n"));
    const error = (await t.throwsAsync(chooseStore("keychain", { env, timeoutMs: bound }))) as DevsecretsError;
    t.is(error.code, "DS_KEYCHAIN_UNAVAILABLE");
    t.regex(error.hint, /--store memory/);
    t.true(Date.now() - started < bound, `took ${Date.now() - started} ms`);
  });
}

test("keychain: a bus that accepts but never answers is cut off at the bound and the helper is killed", async (t) => {
  await withKeyring(
    async (kr, store) => {
      t.is(await store.getValue(PROJECT_A, "A"), null); // the helper is up and connected
      const firstHelper = store.helperPid;
      const busPid = kr.pids[0] as number;
      process.kill(busPid, "SIGSTOP");
      try {
        const started = Date.now();
        // a new helper's first call blocks in the library's synchronous set-up: only a kill ends it
        const fresh = new KeychainStore({ env: kr.env, timeoutMs: 1500 });
        const pending = fresh.getValue(PROJECT_A, "A");
        const hungHelper = fresh.helperPid as number;
        const error = (await t.throwsAsync(pending)) as DevsecretsError;
        const elapsed = Date.now() - started;
        t.is(error.code, "DS_KEYCHAIN_UNAVAILABLE");
        t.regex(error.message, /did not answer within 1500 ms/);
        t.true(elapsed >= 1400 && elapsed < 4000, `took ${elapsed} ms`);
        t.is(fresh.helperPid, undefined, "the hung helper was let go");
        await new Promise((r) => setTimeout(r, 200));
        t.false(await isRunning(hungHelper), "the hung helper was killed by pid");
        const auto = await chooseStore("auto", { env: kr.env, timeoutMs: 1500 });
        t.is(auto.store.kind, "memory");
      } finally {
        process.kill(busPid, "SIGCONT");
      }
      // the old helper's connection still works once the bus answers again
      t.is(firstHelper, store.helperPid);
      await store.setValue(PROJECT_A, "A", new Secret("after"));
      t.is((await store.getValue(PROJECT_A, "A"))?.reveal(), "after");
    },
    { timeoutMs: 5000 },
  );
});
