// Whether a Vault/OpenBao address may receive a credential over the wire it names (DESIGN "Where credentials may go").
// Rule: plain http:// only to loopback (127.0.0.0/8, ::1, localhost); decided from the address alone, before any
// socket or name lookup exists, by the CLI before it asks and by the daemon before it connects.

import { isIPv4 } from "node:net";
import { DevsecretsError } from "./errors.js";

/** 127.0.0.0/8, ::1 (bracketed as a URL holds it, or not) and the name localhost; nothing is looked up */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  return isIPv4(host) && host.startsWith("127.");
}

/** DS_VAULT_INSECURE for plain http:// to a host that is not loopback; `from` says where the address came from */
export function refuseInsecureVault(address: string, from: string): void {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return; // not a URL: the address checks of the caller say so
  }
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname)) return;
  throw new DevsecretsError(
    "DS_VAULT_INSECURE",
    `the Vault address ${url.protocol}//${url.host} (${from}) is plain http to a host that is not loopback: no credential is sent there`,
  );
}
