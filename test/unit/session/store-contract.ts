// The SessionStore contract every store passes: memory and file here, keychain against a real gnome-keyring.
// Rule: one set of expectations, so the memory "fake" behaves like the real stores.

import test from "ava";
import { Secret } from "../../../common/secret.js";
import { isDevsecretsError } from "../../../common/errors.js";
import type { SessionRecord, SessionStore } from "../../../daemon/session/session-store.js";

export interface StoreUnderTest {
  store: SessionStore;
  cleanup(): Promise<void>;
}

export const PROJECT_A = "0123456789abcdef";
export const PROJECT_B = "fedcba9876543210";

export function sampleRecord(store: SessionRecord["store"]): SessionRecord {
  return {
    id: "sess-1",
    createdAt: "2026-01-01T00:00:00.000Z",
    expiresAt: "2026-01-01T08:00:00.000Z",
    idleSeconds: 3600,
    env: "dev",
    store,
    credential: new Secret("Y3JlZGVudGlhbC1ieXRlcy0zMi1sb25nLXh4eHh4eHg="),
    extra: {
      vaultToken: new Secret("hvs.sample-token"),
      vaultAddr: "http://127.0.0.1:8200",
      renewable: true,
      ttl: 3600,
      ns: null,
    },
  };
}

export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  const withStore = (title: string, body: (store: SessionStore) => Promise<void>) =>
    test(`${name}: ${title}`, async (t) => {
      const { store, cleanup } = await make();
      try {
        await body(store);
        t.pass();
      } finally {
        await cleanup();
      }
    });

  test(`${name}: save, load and remove a session`, async (t) => {
    const { store, cleanup } = await make();
    try {
      t.is(await store.loadSession(), null);
      const record = sampleRecord(store.kind);
      await store.saveSession(record);
      const loaded = await store.loadSession();
      t.truthy(loaded);
      t.is(loaded?.id, "sess-1");
      t.is(loaded?.idleSeconds, 3600);
      t.true(loaded?.credential instanceof Secret);
      t.is(loaded?.credential.reveal(), record.credential.reveal());
      t.true(loaded?.extra?.vaultToken instanceof Secret);
      t.is((loaded?.extra?.vaultToken as Secret | undefined)?.reveal(), "hvs.sample-token");
      t.is(loaded?.extra?.vaultAddr, "http://127.0.0.1:8200");
      t.is(loaded?.extra?.renewable, true);
      t.is(loaded?.extra?.ns, null);
      await store.removeSession();
      t.is(await store.loadSession(), null);
      await store.removeSession(); // idempotent
      t.is(await store.loadSession(), null);
    } finally {
      await cleanup();
    }
  });

  test(`${name}: values are scoped per project`, async (t) => {
    const { store, cleanup } = await make();
    try {
      t.is(await store.getValue(PROJECT_A, "API_KEY"), null);
      await store.setValue(PROJECT_A, "API_KEY", new Secret("value-for-a"));
      await store.setValue(PROJECT_B, "API_KEY", new Secret("value-for-b"));
      t.is((await store.getValue(PROJECT_A, "API_KEY"))?.reveal(), "value-for-a");
      t.is((await store.getValue(PROJECT_B, "API_KEY"))?.reveal(), "value-for-b");
      await store.setValue(PROJECT_A, "API_KEY", new Secret("value-for-a-2"));
      t.is((await store.getValue(PROJECT_A, "API_KEY"))?.reveal(), "value-for-a-2");
      t.true(await store.removeValue(PROJECT_A, "API_KEY"));
      t.false(await store.removeValue(PROJECT_A, "API_KEY"));
      t.is(await store.getValue(PROJECT_A, "API_KEY"), null);
      t.is((await store.getValue(PROJECT_B, "API_KEY"))?.reveal(), "value-for-b");
    } finally {
      await cleanup();
    }
  });

  test(`${name}: values and the session are independent`, async (t) => {
    const { store, cleanup } = await make();
    try {
      await store.setValue(PROJECT_A, "TOKEN", new Secret("t"));
      await store.saveSession(sampleRecord(store.kind));
      await store.removeSession();
      t.is((await store.getValue(PROJECT_A, "TOKEN"))?.reveal(), "t");
    } finally {
      await cleanup();
    }
  });

  test(`${name}: names are NFC-normalised and checked`, async (t) => {
    const { store, cleanup } = await make();
    try {
      await store.setValue(PROJECT_A, "caf\u0065\u0301", new Secret("nfd"));
      t.is((await store.getValue(PROJECT_A, "caf\u00e9"))?.reveal(), "nfd");
      for (const bad of ["", "a/b", "a\0b", "a\nb", "x".repeat(129)]) {
        const error = await t.throwsAsync(store.setValue(PROJECT_A, bad, new Secret("v")));
        t.true(isDevsecretsError(error) && error.code === "DS_REF_SYNTAX", JSON.stringify(bad));
      }
      const error = await t.throwsAsync(store.getValue("not-a-project", "A"));
      t.true(isDevsecretsError(error) && error.code === "DS_INTERNAL");
    } finally {
      await cleanup();
    }
  });

  withStore("a value with unicode, newlines and quotes round-trips exactly", async (store) => {
    const tricky = 'line1\nline2 "quoted" \\ ünïcødé 🔑 \u0000end';
    await store.setValue(PROJECT_A, "TRICKY", new Secret(tricky));
    const back = await store.getValue(PROJECT_A, "TRICKY");
    if (back?.reveal() !== tricky) throw new Error("value did not round-trip");
  });
}
