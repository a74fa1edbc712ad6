// DEVSECRETS_POLL_MS is the one interval of every rotation watcher (Vault KV, AWS Secrets Manager, Parameter Store);
// 0.1.0's DEVSECRETS_VAULT_POLL_MS is still read when the new name is unset, so an upgraded user's setting holds.

import test from "ava";
import { pollInterval } from "../../../daemon/providers/vault/kv-watcher.js";

test("DEVSECRETS_POLL_MS sets the interval; 0.1.0's DEVSECRETS_VAULT_POLL_MS only when it is unset", (t) => {
  t.is(pollInterval({}), 30_000);
  t.is(pollInterval({ DEVSECRETS_POLL_MS: "300" }), 300);
  t.is(pollInterval({ DEVSECRETS_VAULT_POLL_MS: "400" }), 400);
  t.is(pollInterval({ DEVSECRETS_POLL_MS: "300", DEVSECRETS_VAULT_POLL_MS: "400" }), 300);
  t.is(pollInterval({ DEVSECRETS_POLL_MS: "" }), 30_000, "empty is unset");
  t.is(pollInterval({ DEVSECRETS_POLL_MS: "50" }), 30_000, "below 100 ms the default holds");
});
