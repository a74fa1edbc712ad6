// MemoryStore against the SessionStore contract.
// Rule: the memory store is held to the same expectations as the keychain and file stores.

import test from "ava";
import { MemoryStore } from "../../../daemon/session/stores/memory-store.js";
import { sampleRecord, storeContract } from "./store-contract.js";

storeContract("memory", async () => ({ store: new MemoryStore(), cleanup: async () => undefined }));

test("memory: a saved record is a copy (later changes to the caller's object do not leak in)", async (t) => {
  const store = new MemoryStore();
  const record = sampleRecord("memory");
  await store.saveSession(record);
  record.id = "changed";
  if (record.extra) record.extra.vaultAddr = "changed";
  const loaded = await store.loadSession();
  t.is(loaded?.id, "sess-1");
  t.is(loaded?.extra?.vaultAddr, "http://127.0.0.1:8200");
});
