// DS_VAULT_INSECURE is decided from the address alone (DESIGN "Where credentials may go"): plain http only to
// loopback. Rule: no test here opens a socket or looks a name up; non-loopback addresses are only ever parsed.

import test from "ava";
import { isLoopbackHost, refuseInsecureVault } from "../../../common/vault-address.js";
import { endpointOf } from "../../../daemon/providers/vault/vault-auth.js";
import { VaultHttp } from "../../../daemon/providers/vault/vault-http.js";

test("loopback is 127.0.0.0/8, ::1 and localhost, nothing else", (t) => {
  for (const host of ["127.0.0.1", "127.10.20.30", "localhost", "LOCALHOST", "[::1]", "::1"])
    t.true(isLoopbackHost(host), host);
  for (const host of ["128.0.0.1", "10.0.0.1", "localhost.example.com", "127.example.com", "[::2]", "vault", "0.0.0.0"])
    t.false(isLoopbackHost(host), host);
});

test("plain http off loopback is DS_VAULT_INSECURE naming the address and its origin; https and loopback pass", (t) => {
  const error = t.throws(() => refuseInsecureVault("http://vault.example.com:8200", "from --vault"));
  t.is((error as { code?: string }).code, "DS_VAULT_INSECURE");
  t.is(
    error?.message,
    "the Vault address http://vault.example.com:8200 (from --vault) is plain http to a host that is not loopback: no credential is sent there",
  );
  t.regex((error as { hint?: string }).hint ?? "", /https:\/\//);
  for (const fine of [
    "https://vault.example.com:8200",
    "http://127.0.0.1:8200",
    "http://localhost:8200",
    "http://[::1]:8200",
  ])
    t.notThrows(() => refuseInsecureVault(fine, "test"), fine);
  // what the URL parser makes of a numeric host is what is judged (0x7f.1 is 127.0.0.1)
  t.notThrows(() => refuseInsecureVault("http://0x7f.1:8200", "test"));
});

test("the daemon refuses it before node-vault exists: the login's endpoint and every VaultHttp", (t) => {
  for (const make of [
    () => endpointOf({ address: "http://vault.example.com:8200" }),
    () => new VaultHttp({ address: "http://vault.example.com:8200" }, null),
  ]) {
    t.is((t.throws(make) as { code?: string }).code, "DS_VAULT_INSECURE");
  }
  t.deepEqual(endpointOf({ address: "http://127.0.0.1:8200" }), { address: "http://127.0.0.1:8200" });
});
